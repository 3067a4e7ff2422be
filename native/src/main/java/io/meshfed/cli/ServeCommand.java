package io.meshfed.cli;

import io.meshfed.model.inventory.Inventory;
import io.meshfed.provisioner.apply.GraphExecutor;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code meshfed serve}: converge again and again, correcting drift, until stopped. The inventory is
 * read again before every run, so an edited inventory takes effect at the next one. SIGTERM (or
 * Ctrl-C) stops it: between runs at once; during a run, the run is given up to 30 s to end, and what
 * is still in flight then is abandoned (each write is one API call: it happened or not), so the next
 * run converges from whatever state that left.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Converges the inventory's clusters every --interval until stopped (SIGTERM or Ctrl-C), correcting drift.",
                "Serves health (/q/health/live, /q/health/ready) and metrics (/q/metrics) on QUARKUS_HTTP_PORT (8080 by default)."})
public class ServeCommand implements Callable<Integer> {

    @Mixin
    InventoryOption inventory;

    @Mixin
    RunMixin run;

    @Option(names = "--interval", defaultValue = "10m", paramLabel = "DURATION",
            description = "Pause between runs (default ${DEFAULT-VALUE}).")
    String interval;

    @Option(names = "--runs", defaultValue = "0", paramLabel = "N", description = "Stop after N runs (0: never).")
    int runs;

    @Option(names = "--prune", description = "Also delete owned objects the inventory no longer renders, every run.")
    boolean prune;

    /** How long a SIGTERM waits for the current run to end. */
    private static final Duration GRACE = Duration.ofSeconds(30);

    @Spec
    CommandSpec spec;

    @Inject
    RunState state;

    @Inject
    Stop stop;

    /** Released when Quarkus shuts down (SIGTERM, Ctrl-C). */
    @ApplicationScoped
    public static class Stop {
        private final CountDownLatch latch = new CountDownLatch(1);

        void onShutdown(@Observes ShutdownEvent event) {
            latch.countDown();
        }

        boolean await(Duration d) throws InterruptedException {
            return latch.await(d.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        Duration pause = Durations.parse(interval, spec.commandLine(), "--interval");
        PrintWriter out = spec.commandLine().getOut();
        Inventory first = inventory.load();
        // on SIGTERM the JVM would not wait for this thread: a hook holds the exit until it is done
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            try {
                finished.await(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "meshfed-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        int code = ExitCodes.OK;
        try (Session session = Session.open(first, run, spec, state)) {
            if (session == null) {
                return ExitCodes.UNREACHABLE;
            }
            for (int n = 1; runs == 0 || n <= runs; n++) {
                out.printf("run %d%n", n);
                Inventory current = n == 1 ? first : inventory.load();
                code = ApplyCommand.converge(current, session, run, spec, GraphExecutor.Mode.APPLY, prune, state);
                if ((runs != 0 && n == runs) || stop.await(pause)) {
                    break;
                }
            }
        } finally {
            out.println("stopped");
            out.flush();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook has seen the latch
            }
        }
        return code;
    }
}
