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

    @Mixin
    LockOption lockOption;

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

    /** What the clients are made from: each cluster's name and connection. */
    private static java.util.List<String> connections(Inventory inventory) {
        return inventory.clusters().stream().map(c -> c.name() + " " + c.connection()).toList();
    }

    @Override
    public Integer call() throws InterruptedException {
        Duration pause = Durations.parse(interval, spec.commandLine(), "--interval");
        PrintWriter out = spec.commandLine().getOut();
        Inventory current = inventory.load();   // the first inventory must be valid: a typo is exit 2 at once
        int code = ExitCodes.OK;
        Session session = null;
        try (Interruption interruption = Interruption.install(spec.commandLine().getErr())) {
            session = Session.open(current, run, spec, state);
            if (session == null) {
                return ExitCodes.UNREACHABLE;
            }
            for (int n = 1; runs == 0 || n <= runs; n++) {
                out.printf("run %d at %s%n", n, java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                        java.time.OffsetDateTime.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
                out.flush();
                try {
                    if (n > 1) {
                        Inventory next = inventory.load();
                        if (session == null || !connections(next).equals(connections(current))) {
                            out.println(session == null ? "connecting to the inventory's clusters again"
                                    : "the inventory's clusters changed: connecting again");
                            out.flush();
                            if (session != null) {
                                session.close();
                            }
                            session = Session.open(next, run, spec, state);
                        }
                        current = next;
                    }
                    if (session == null) {
                        state.done(false, "not every cluster could be reached (of " + String.join(", ", current.clusters()
                                .stream().map(c -> c.name()).toList()) + "; the log says which and why): nothing was written");
                        code = ExitCodes.UNREACHABLE;
                    } else {
                        try (io.meshfed.provisioner.apply.RunLock lock = ApplyCommand.lock(current, session, lockOption, spec,
                                interruption.cancellation())) {
                            if (MigrateCommand.otherPhase(current, session, spec)) {
                                state.done(false, "run " + n + " skipped: the clusters are in another migration phase than "
                                        + "the inventory's mesh_migration (meshfed migrate moves them)");
                                code = ExitCodes.OTHER_MIGRATION_PHASE;
                            } else {
                                code = ApplyCommand.converge(current, session, run, spec, GraphExecutor.Mode.APPLY, prune,
                                        state, interruption, false, java.util.List.of());
                            }
                            if (ApplyCommand.lockLost(lock, spec)) {
                                code = ExitCodes.LOCK_LOST;
                            }
                        } catch (io.meshfed.provisioner.apply.RunLock.Interrupted e) {
                            state.done(false, "stopped while waiting for the run lock");
                            code = interruption.exitCode();
                        } catch (io.meshfed.provisioner.apply.RunLock.Held e) {
                            spec.commandLine().getErr().println("error: run " + n + " skipped: " + e.getMessage());
                            spec.commandLine().getErr().flush();
                            state.done(false, "run " + n + " skipped: " + e.getMessage());
                            code = ExitCodes.LOCKED;
                        }
                    }
                } catch (io.meshfed.inventory.InventoryException | io.meshfed.model.render.RenderException
                         | io.meshfed.model.graph.GraphException e) {
                    // an edited inventory that is not valid: say why, keep serving (not ready) until it is fixed
                    ErrorHandling.handle(e, spec.commandLine(), null);
                    spec.commandLine().getErr().println("error: run " + n + " skipped: the inventory is not valid; "
                            + "serving on, not ready, until it is fixed");
                    spec.commandLine().getErr().flush();
                    state.done(false, "run " + n + " skipped: the inventory is not valid: "
                            + e.getMessage().lines().findFirst().orElse(""));
                    code = ExitCodes.BAD_INPUT;
                }
                if ((runs != 0 && n == runs) || interruption.cancellation().await(pause.toMillis())) {
                    break;
                }
            }
        } finally {
            if (session != null) {
                session.close();
            }
            out.println("stopped");
            out.flush();
        }
        return code;
    }
}
