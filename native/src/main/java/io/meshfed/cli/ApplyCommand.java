package io.meshfed.cli;

import io.meshfed.model.graph.ResourceGraph;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.model.render.FederationRenderer;
import io.meshfed.provisioner.apply.Cancellation;
import io.meshfed.provisioner.apply.ClusterClient;
import io.meshfed.provisioner.apply.GraphExecutor;
import io.meshfed.provisioner.apply.NodeResult;
import io.meshfed.provisioner.apply.RunOptions;
import io.meshfed.provisioner.apply.RunResult;
import io.meshfed.provisioner.apply.RunLock;
import io.meshfed.provisioner.apply.Runner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code meshfed apply} (and {@code destroy}): converge the clusters to the inventory. */
@Command(name = "apply", mixinStandardHelpOptions = true,
        header = "Converges every cluster to the inventory, writing only what differs.",
        description = {"Converges every cluster of the inventory to what it describes: one run over the whole graph,",
                "all clusters at once, writing only what differs, waiting for each object to be ready."})
public class ApplyCommand implements Callable<Integer> {

    @Mixin
    InventoryOption inventory;

    @Mixin
    RunMixin run;

    @Mixin
    LockOption lockOption;

    @Option(names = {"-C", "--check"}, description = "Change nothing: show what would change (as plan does).")
    boolean check;

    @Option(names = {"-D", "--diff"}, description = "Show a unified diff of every change: of what apply writes, or with "
            + "--check of what it would write (as Ansible's --diff).")
    boolean diff;

    @Option(names = "--prune", description = "Also delete objects meshfed owns for this inventory that it no longer renders.")
    boolean prune;

    @Mixin
    LimitOption limit;

    @Spec
    CommandSpec spec;

    @jakarta.inject.Inject
    RunState state;

    @Override
    public Integer call() {
        List<String> limited = limit.clusters(inventory, spec.commandLine());
        if (check) {
            return PlanCommand.plan(inventory, run, spec, diff, prune, false, state, limited);
        }
        return execute(inventory, run, lockOption, spec, GraphExecutor.Mode.APPLY, prune, state, diff, limited);
    }

    private static void writeReports(RunMixin run, String inventory, String command, RunResult result,
                                     java.time.Duration wall) {
        try {
            if (run.reportJson != null) {
                java.nio.file.Files.writeString(run.reportJson, VaultMask.masked(Reports.json(inventory, command, result, wall)));
            }
            if (run.junit != null) {
                java.nio.file.Files.writeString(run.junit, VaultMask.masked(Reports.junit(command, result)));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write the report: " + e.getMessage(), e);
        }
    }

    /** @param limit the clusters the run writes on (--limit; empty: all) */
    static int execute(InventoryOption inventory, RunMixin run, LockOption lockOption, CommandSpec spec,
                       GraphExecutor.Mode mode, boolean prune, RunState state, boolean diffs, List<String> limit) {
        Inventory inv = inventory.load();
        Timings.mark("inventory read");
        List<String> hosts = inv.clusters().stream().map(c -> c.name()).toList();
        for (String cluster : limit) {
            if (!hosts.contains(cluster)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--limit " + cluster
                        + ": no such host in inventory '" + inv.name() + "' (its hosts: " + String.join(", ", hosts) + ")");
            }
        }
        try (Interruption interruption = Interruption.install(spec.commandLine().getErr());
             Session session = Session.open(inv, run, spec, state, mode == GraphExecutor.Mode.DESTROY)) {
            if (session == null) {
                return ExitCodes.UNREACHABLE;
            }
            Timings.mark("clusters answered");
            try (RunLock lock = lock(inv, session, lockOption, spec, interruption.cancellation())) {
                Timings.mark("run lock taken");
                if (mode == GraphExecutor.Mode.APPLY && MigrateCommand.otherPhase(inv, session, spec)) {
                    return ExitCodes.OTHER_MIGRATION_PHASE;
                }
                int code = converge(inv, session, run, spec, mode, prune, state, interruption, diffs, limit);
                return lockLost(lock, spec) ? ExitCodes.LOCK_LOST : code;
            } catch (RunLock.Held e) {
                spec.commandLine().getErr().println("error: " + e.getMessage());
                spec.commandLine().getErr().flush();
                return ExitCodes.LOCKED;
            } catch (RunLock.Interrupted e) {
                // stopped while waiting for another run: nothing ran, which the recap and reports say
                ResourceGraph graph = graph(inv, limit, mode);
                List<NodeResult> notRun = graph.nodes().stream().map(n -> new NodeResult(n.ref(), NodeResult.Outcome.SKIPPED,
                        "not run", java.time.Duration.ZERO, "not run: " + e.getMessage(), System.nanoTime(), 0)).toList();
                report(inv, run, spec, mode, new RunResult(notRun, List.of(), interruption.cancellation().reason()),
                        System.nanoTime(), session.unreachable);
                return interruption.exitCode();
            }
        }
    }

    /** Whether the run lost its lock (said on stderr): then it stopped writing, whatever else it did. */
    static boolean lockLost(RunLock lock, CommandSpec spec) {
        if (lock.lost() == null) {
            return false;
        }
        spec.commandLine().getErr().println("error: " + lock.lost());
        spec.commandLine().getErr().flush();
        return true;
    }

    /** Where the run lock's Leases live. */
    static final String LOCK_NAMESPACE = "default";

    /**
     * Takes the inventory's run lock on every reachable cluster (a Lease in {@code default}, a namespace
     * every cluster has before meshfed's first run, as Terraform's Kubernetes backend keeps its lock),
     * waiting up to --lock-timeout for another run of the inventory, and saying whose it is while it
     * waits; a stop request ends the wait. The Lease's duration is {@code meshfed.lock-duration}
     * ({@code MESHFED_LOCK_DURATION}), 15 s unless set.
     */
    static RunLock lock(Inventory inv, Session session, LockOption option, CommandSpec spec, Cancellation cancel) {
        Map<String, ClusterClient> reachable = new java.util.LinkedHashMap<>(session.clients);
        reachable.keySet().removeAll(session.unreachable);
        Map<String, String> namespaces = new java.util.LinkedHashMap<>();
        inv.clusters().forEach(c -> namespaces.put(c.name(), LOCK_NAMESPACE));
        java.time.Duration duration = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue("meshfed.lock-duration", String.class)
                .map(d -> Durations.parse(d, spec.commandLine(), "MESHFED_LOCK_DURATION")).orElse(RunLock.DURATION);
        RunLock lock = new RunLock(reachable, namespaces, inv.name(), RunLock.thisProcess(), duration);
        PrintWriter err = spec.commandLine().getErr();
        lock.acquire(option.timeout(spec.commandLine()), cancel, message -> {
            err.println("waiting: " + message);
            err.flush();
        });
        return lock;
    }

    /**
     * The graph a run walks: every cluster's, or with --limit the limited clusters' — for apply with what they read
     * from the others as observations ({@link ResourceGraph#limitedTo}), for destroy alone ({@link ResourceGraph#on}).
     */
    static ResourceGraph graph(Inventory inv, List<String> limit, GraphExecutor.Mode mode) {
        ResourceGraph graph = FederationRenderer.graph(inv);
        if (limit.isEmpty()) {
            return graph;
        }
        java.util.Set<String> clusters = new java.util.TreeSet<>(limit);
        return mode == GraphExecutor.Mode.APPLY ? graph.limitedTo(clusters) : graph.on(clusters);
    }

    /** One run over the inventory's graph on an open session; prints progress, orphans, the recap. */
    static int converge(Inventory inv, Session session, RunMixin run, CommandSpec spec, GraphExecutor.Mode mode,
                        boolean prune, RunState state, Interruption interruption, boolean diffs, List<String> limit) {
        ResourceGraph graph = graph(inv, limit, mode);
        Timings.mark("graph built");
        RunOptions options = run.options(spec.commandLine());
        PrintWriter out = spec.commandLine().getOut();
        long start = System.nanoTime();
        out.printf("%s %d objects on %d clusters (%d edges)%n", mode == GraphExecutor.Mode.APPLY ? "applying" : "destroying",
                graph.nodes().size(), limit.isEmpty() ? inv.clusters().size() : limit.size(), graph.edges().size());
        out.flush();
        state.started(graph.nodes().size());
        ProgressPrinter progress = new ProgressPrinter(out, run.verbose, state).withDiffs(diffs);
        Runner runner = new Runner(session.clients, inv, options, progress);
        RunResult result = mode == GraphExecutor.Mode.APPLY
                ? runner.apply(graph, prune, session.unreachable, interruption.cancellation(), java.util.Set.copyOf(limit))
                : runner.destroy(graph, session.unreachable, interruption.cancellation());
        state.done(result.succeeded(), result.failures().isEmpty() ? result.interruption() == null ? null
                : "interrupted: " + result.interruption()
                : result.failures().size() + " objects failed, first " + result.failures().get(0).ref().id() + ": "
                        + result.failures().get(0).message());
        report(inv, run, spec, mode, result, start, session.unreachable);
        return result.interrupted() ? interruption.exitCode() : result.succeeded() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /** The orphans left in place, the recap, the failures, and the reports: what every run that ends says. */
    private static void report(Inventory inv, RunMixin run, CommandSpec spec, GraphExecutor.Mode mode, RunResult result,
                               long start, java.util.Set<String> unreachable) {
        PrintWriter out = spec.commandLine().getOut();
        result.orphans().forEach(o -> out.printf("orphan:  [%s] %s: %s%n", o.ref().cluster(), o.ref().describe(), o.message()));
        out.println();
        out.print(result.recapText());
        out.printf("%d changed in %.1f s%s%n", result.changed(), (System.nanoTime() - start) / 1e9,
                result.changed() == 0 && result.succeeded() ? " (nothing to do: already converged)" : "");
        for (var failure : result.failures()) {
            out.println("failed: " + failure.ref().id() + ": " + failure.message());
        }
        for (String cluster : unreachable) {
            out.println("unreachable: cluster " + cluster + " was left out (--skip-unreachable): it was not converged, so "
                    + "the run did not succeed");
        }
        out.flush();
        writeReports(run, inv.name(), mode == GraphExecutor.Mode.APPLY ? "apply" : "destroy", result,
                java.time.Duration.ofNanos(System.nanoTime() - start));
        out.flush();
    }
}
