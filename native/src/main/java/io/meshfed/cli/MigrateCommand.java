package io.meshfed.cli;

import io.meshfed.model.doctor.Finding;
import io.meshfed.model.inventory.ClusterSpec;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.model.inventory.MigrationPhase;
import io.meshfed.model.migration.PhaseReader;
import io.meshfed.model.migration.WorkloadMove;
import io.meshfed.provisioner.apply.ClusterClient;
import io.meshfed.provisioner.apply.GraphExecutor;
import io.meshfed.provisioner.apply.RunLock;
import io.meshfed.provisioner.migrate.Migration;
import io.meshfed.provisioner.migrate.WorkloadMover;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code meshfed migrate}: moves an OSSM 2.6 federation toward OSSM 3 multi-cluster, one phase at a time
 * ({@link MigrationPhase}), as Red Hat's Federation-to-Multi-Cluster Migration Guide does it by hand. The
 * inventory's {@code mesh_migration} is the phase the clusters are to be in (every later run, the CronJob's
 * too, converges to it); the clusters say which phase they are in.
 */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        header = "Moves an OSSM 2.6 federation toward OSSM 3 multi-cluster, one verified phase at a time.",
        description = {"The phases, in order: " + "federated, prepared, discovery, cut-over, ossm3, cleanup.",
                "The inventory's mesh_migration says which phase the clusters are to be in; 'status' reads which one they",
                "are in; 'plan' shows each phase's changes; 'apply' converges one phase after the other, each checked by",
                "the doctor before the next; 'back' undoes phases."},
        subcommands = {MigrateCommand.Status.class, MigrateCommand.Plan.class, MigrateCommand.Apply.class,
                MigrateCommand.Back.class})
public class MigrateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "say what: status, plan, apply or back");
    }

    /** Where the clusters are, where the inventory wants them, and what each cluster lacks for its next phase. */
    static MigrationPhase printStatus(Inventory inv, Map<String, ClusterClient> clients, PrintWriter out) {
        List<PhaseReader.ClusterPhase> phases = Migration.status(clients, inv);
        for (PhaseReader.ClusterPhase c : phases) {
            out.printf("%-12s %-10s %s%n", c.cluster(), c.phase().word(), c.missing().isEmpty() ? c.phase().meaning()
                    : "next phase lacks: " + String.join("; ", c.missing()));
        }
        MigrationPhase current = PhaseReader.federation(phases);
        out.printf("federation: %s; the inventory says %s (mesh_migration)%n", current.word(),
                inv.topology().migration().word());
        out.flush();
        return current;
    }

    /**
     * Whether a plain apply must refuse (said on stderr): the inventory is migrating (mesh_migration set) and the
     * clusters are in another phase — apply would take them there without the doctor between phases, or back
     * without saying so. Reads each control plane only where mesh_migration is set.
     */
    static boolean otherPhase(Inventory inv, Session session, CommandSpec spec) {
        MigrationPhase wanted = inv.topology().migration();
        if (wanted == MigrationPhase.FEDERATED) {
            return false;
        }
        Map<String, ClusterClient> reachable = new LinkedHashMap<>(session.clients);
        reachable.keySet().removeAll(session.unreachable);
        MigrationPhase current = PhaseReader.federation(Migration.status(reachable, inv));
        if (current == wanted) {
            return false;
        }
        spec.commandLine().getErr().println("error: the clusters are in migration phase " + current.word() + " and the "
                + "inventory says mesh_migration: " + wanted.word() + ": meshfed migrate " + (current.compareTo(wanted) < 0
                ? "apply" : "back --to " + wanted.word()) + " -i ... moves them, one phase at a time, each verified by the "
                + "doctor; apply converges them once they are there");
        spec.commandLine().getErr().flush();
        return true;
    }

    /**
     * The guide's "restart deployments" of a step that moves the member namespaces to another control plane (to OSSM 3's
     * revision, or back to 2.6's): each workload with a Pod on the control plane left is restarted (planning: named),
     * once the step's objects converged (its Istio ready: the new injector answers).
     */
    static void moveWorkloads(Inventory inv, MigrationPhase step, boolean back, Map<String, ClusterClient> clients,
                              PrintWriter out, boolean planning) {
        for (ClusterSpec cluster : inv.clusters()) {
            WorkloadMover.Direction direction = WorkloadMover.direction(cluster, inv.topology(), step, back);
            ClusterClient client = clients.get(cluster.name());
            if (cluster.multiCluster() || direction == null || client == null) {
                continue;
            }
            for (WorkloadMove.Restart restart : WorkloadMover.planned(client, cluster, direction)) {
                if (planning) {
                    out.printf("%-9s [%s] %s onto revision %s (its Pods made again, as kubectl rollout restart)%n", "restart:",
                            cluster.name(), restart.describe(), restart.to());
                } else if (WorkloadMover.restart(client, cluster.name(), restart)) {
                    out.printf("changed: [%s] %s restarted onto revision %s%n", cluster.name(), restart.describe(), restart.to());
                }
            }
        }
        out.flush();
    }

    static MigrationPhase phase(String word, CommandSpec spec) {
        MigrationPhase phase = MigrationPhase.of(word);
        if (phase == null) {
            throw new ParameterException(spec.commandLine(), "--to " + word + ": no such phase (the phases: "
                    + String.join(", ", MigrationPhase.words()) + ")");
        }
        return phase;
    }

    @Command(name = "status", mixinStandardHelpOptions = true, header = "Which phase each cluster is in, read from it.")
    static class Status implements Callable<Integer> {
        @Mixin
        InventoryOption inventory;
        @Mixin
        RunMixin run;
        @Spec
        CommandSpec spec;
        @jakarta.inject.Inject
        RunState state;

        @Override
        public Integer call() {
            Inventory inv = inventory.load();
            try (Session session = Session.open(inv, run, spec, state)) {
                if (session == null) {
                    return ExitCodes.UNREACHABLE;
                }
                printStatus(inv, session.clients, spec.commandLine().getOut());
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "plan", mixinStandardHelpOptions = true,
            header = "Shows what each phase up to the inventory's (or --to) would change; writes nothing.")
    static class Plan implements Callable<Integer> {
        @Mixin
        InventoryOption inventory;
        @Mixin
        RunMixin run;
        @Option(names = "--to", paramLabel = "PHASE", description = "The last phase to show (default: the inventory's).")
        String to;
        @Option(names = "--no-diff", description = "Only the actions, no diffs.")
        boolean noDiff;
        @Spec
        CommandSpec spec;
        @jakarta.inject.Inject
        RunState state;

        @Override
        public Integer call() {
            Inventory inv = inventory.load();
            MigrationPhase target = to == null ? inv.topology().migration() : phase(to, spec);
            PrintWriter out = spec.commandLine().getOut();
            try (Session session = Session.open(inv, run, spec, state)) {
                if (session == null) {
                    return ExitCodes.UNREACHABLE;
                }
                MigrationPhase current = printStatus(inv, session.clients, out);
                int code = ExitCodes.OK;
                List<MigrationPhase> steps = Migration.steps(current, target);
                for (MigrationPhase step : steps) {
                    out.printf("%n== phase %s: %s%s ==%n", step.word(), step.meaning(),
                            step == steps.get(0) ? "" : " (from the clusters as they are: with the phases before it)");
                    out.flush();
                    code = Math.max(code, PlanCommand.plan(Migration.at(inv, step), session, run, spec, !noDiff,
                            Migration.prunes(step, step.compareTo(current) < 0), false));
                    Map<String, ClusterClient> reachable = new LinkedHashMap<>(session.clients);
                    reachable.keySet().removeAll(session.unreachable);
                    moveWorkloads(inv, step, step.compareTo(current) < 0, reachable, out, true);
                }
                if (steps.isEmpty()) {
                    out.println("nothing to do: the clusters are in phase " + current.word());
                }
                out.flush();
                return code;
            }
        }
    }

    /** What apply and back share: one session and one run lock, then each step converged and verified. */
    abstract static class Move implements Callable<Integer> {
        @Mixin
        InventoryOption inventory;
        @Mixin
        RunMixin run;
        @Mixin
        LockOption lockOption;
        @Option(names = "--verify-timeout", paramLabel = "DURATION", defaultValue = "3m",
                description = "How long the doctor may take to find a phase working (the meshes settle), e.g. 90s, 3m.")
        String verifyTimeout;
        @Spec
        CommandSpec spec;
        @jakarta.inject.Inject
        RunState state;

        /** The phase to reach, checked against the inventory's and the clusters'. */
        abstract MigrationPhase target(Inventory inv, MigrationPhase current);

        @Override
        public Integer call() throws InterruptedException {
            Inventory inv = inventory.load();
            Duration timeout = Durations.parse(verifyTimeout, spec.commandLine(), "--verify-timeout");
            PrintWriter out = spec.commandLine().getOut();
            try (Interruption interruption = Interruption.install(spec.commandLine().getErr());
                 Session session = Session.open(inv, run, spec, state)) {
                if (session == null) {
                    return ExitCodes.UNREACHABLE;
                }
                try (RunLock lock = ApplyCommand.lock(inv, session, lockOption, spec, interruption.cancellation())) {
                    MigrationPhase current = printStatus(inv, session.clients, out);
                    MigrationPhase target = target(inv, current);
                    List<MigrationPhase> steps = Migration.steps(current, target);
                    if (steps.isEmpty()) {
                        out.println("nothing to do: the clusters are in phase " + current.word());
                        out.flush();
                        return ExitCodes.OK;
                    }
                    Map<String, ClusterClient> reachable = new LinkedHashMap<>(session.clients);
                    reachable.keySet().removeAll(session.unreachable);
                    for (MigrationPhase step : steps) {
                        boolean back = step.compareTo(current) < 0;
                        out.printf("%n== phase %s: %s ==%n", step.word(), back ? "undoing what came after it" : step.meaning());
                        if (back && Migration.notAsItWas(step) != null) {
                            out.println("note: " + Migration.notAsItWas(step));
                        }
                        out.flush();
                        int code = ApplyCommand.converge(Migration.at(inv, step), session, run, spec, GraphExecutor.Mode.APPLY,
                                Migration.prunes(step, back), state, interruption, false, List.of());
                        if (ApplyCommand.lockLost(lock, spec)) {
                            return ExitCodes.LOCK_LOST;
                        }
                        if (code != ExitCodes.OK) {
                            out.println("stopped in phase " + step.word() + ": its apply did not succeed; run migrate again");
                            out.flush();
                            return code;
                        }
                        moveWorkloads(inv, step, back, reachable, out, false);
                        List<Finding> findings = Migration.verify(reachable, timeout, interruption.cancellation());
                        List<Finding> failing = Migration.failing(findings);
                        if (!failing.isEmpty()) {
                            out.println("phase " + step.word() + " is applied but does not work: the doctor finds");
                            for (Finding f : failing) {
                                out.printf("  FAIL %s%s %s: %s%n", f.cluster(), f.peer() == null ? "" : " -> " + f.peer(), f.check(),
                                        f.evidence());
                                if (f.fix() != null) {
                                    out.printf("       fix: %s%n", f.fix());
                                }
                            }
                            out.println("stopped before the next phase (meshfed doctor -i ... shows every check)");
                            out.flush();
                            return ExitCodes.DOCTOR_FAILED;
                        }
                        out.printf("phase %s verified: the doctor finds %d checks ok, none failing%n", step.word(),
                                findings.stream().filter(f -> f.status() == Finding.Status.OK).count());
                        out.flush();
                    }
                    printStatus(inv, session.clients, out);
                    return ExitCodes.OK;
                } catch (RunLock.Held e) {
                    spec.commandLine().getErr().println("error: " + e.getMessage());
                    spec.commandLine().getErr().flush();
                    return ExitCodes.LOCKED;
                } catch (RunLock.Interrupted e) {
                    return interruption.exitCode();
                }
            }
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            header = "Converges the clusters phase by phase up to the inventory's mesh_migration (or --to), each verified.")
    static class Apply extends Move {
        @Option(names = "--to", paramLabel = "PHASE", description = "Stop at this phase (at most the inventory's).")
        String to;

        @Override
        MigrationPhase target(Inventory inv, MigrationPhase current) {
            MigrationPhase wanted = inv.topology().migration();
            MigrationPhase target = to == null ? wanted : phase(to, spec);
            if (target.compareTo(wanted) > 0) {
                throw new ParameterException(spec.commandLine(), "--to " + target.word() + " is past the inventory's phase, "
                        + wanted.word() + ": set mesh_migration: " + target.word() + " in the inventory (group_vars/all) first, "
                        + "so that every later run converges to it");
            }
            if (target.compareTo(current) < 0) {
                throw new ParameterException(spec.commandLine(), "the clusters are in phase " + current.word() + ", past "
                        + target.word() + ": going back is meshfed migrate back --to " + target.word());
            }
            return target;
        }
    }

    @Command(name = "back", mixinStandardHelpOptions = true,
            header = "Undoes phases down to --to, which the inventory's mesh_migration must say, each verified.")
    static class Back extends Move {
        @Option(names = "--to", paramLabel = "PHASE", required = true, description = "The phase to go back to.")
        String to;

        @Override
        MigrationPhase target(Inventory inv, MigrationPhase current) {
            MigrationPhase target = phase(to, spec);
            if (target.compareTo(current) > 0) {
                throw new ParameterException(spec.commandLine(), "the clusters are in phase " + current.word() + ", before "
                        + target.word() + ": going forward is meshfed migrate apply");
            }
            if (target != inv.topology().migration()) {
                throw new ParameterException(spec.commandLine(), "the inventory says mesh_migration: "
                        + inv.topology().migration().word() + ": set it to " + target.word() + " first, so that no later "
                        + "run (the CronJob's) takes the clusters forward again");
            }
            return target;
        }
    }
}
