package io.meshfed.cli;

import io.meshfed.model.inventory.Inventory;
import io.meshfed.provisioner.apply.GraphExecutor;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code meshfed serve}: converge again and again, correcting drift, until stopped. The inventory is
 * read again before every run, so an edited inventory takes effect at the next one. SIGTERM (or
 * Ctrl-C) stops it: between runs at once (exit 0); during a run, the run stops as apply's does
 * ({@link Interruption}: its recap, exit 143 or 130), and the next start converges from there.
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

    @Spec
    CommandSpec spec;

    @Inject
    RunState state;

    @Override
    public Integer call() throws InterruptedException {
        Duration pause = Durations.parse(interval, spec.commandLine(), "--interval");
        PrintWriter out = spec.commandLine().getOut();
        Inventory first = inventory.load();
        int code = ExitCodes.OK;
        try (Interruption interruption = Interruption.install(spec.commandLine().getErr());
             Session session = Session.open(first, run, spec, state)) {
            if (session == null) {
                return ExitCodes.UNREACHABLE;
            }
            for (int n = 1; runs == 0 || n <= runs; n++) {
                out.printf("run %d at %s%n", n, java.time.OffsetDateTime.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
                Inventory current = n == 1 ? first : inventory.load();
                code = ApplyCommand.converge(current, session, run, spec, GraphExecutor.Mode.APPLY, prune, state, interruption);
                if ((runs != 0 && n == runs) || interruption.cancellation().await(pause.toMillis())) {
                    break;
                }
            }
        } finally {
            out.println("stopped");
            out.flush();
        }
        return code;
    }
}
