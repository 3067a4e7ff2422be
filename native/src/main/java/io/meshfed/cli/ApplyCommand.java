package io.meshfed.cli;

import io.meshfed.model.graph.ResourceGraph;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.model.render.FederationRenderer;
import io.meshfed.provisioner.apply.GraphExecutor;
import io.meshfed.provisioner.apply.Planner;
import io.meshfed.provisioner.apply.OwnedObjects;
import io.meshfed.provisioner.apply.Pruner;
import io.meshfed.model.resource.ObjectRef;
import io.meshfed.provisioner.apply.RunOptions;
import io.meshfed.provisioner.apply.RunResult;
import io.meshfed.provisioner.apply.RunLock;
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

    @Option(names = {"-C", "--check"}, description = "Change nothing: show what would change (as plan does).")
    boolean check;

    @Option(names = {"-D", "--diff"}, description = "Show a unified diff of every change: of what apply writes, or with "
            + "--check of what it would write (as Ansible's --diff).")
    boolean diff;

    @Option(names = "--prune", description = "Also delete objects meshfed owns for this inventory that it no longer renders.")
    boolean prune;

    @Spec
    CommandSpec spec;

    @jakarta.inject.Inject
    RunState state;

    @Override
    public Integer call() {
        if (check) {
            return plan(inventory, run, spec, diff, prune, false, state);
        }
        return execute(inventory, run, spec, GraphExecutor.Mode.APPLY, prune, state, diff);
    }

    private static void writeReports(RunMixin run, String inventory, String command, RunResult result,
                                     java.time.Duration wall) {
        try {
            if (run.reportJson != null) {
                java.nio.file.Files.writeString(run.reportJson, Reports.json(inventory, command, result, wall));
            }
            if (run.junit != null) {
                java.nio.file.Files.writeString(run.junit, Reports.junit(command, result));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write the report: " + e.getMessage(), e);
        }
    }

    private static void writePlanReports(RunMixin run, String inventory, List<Planner.Entry> entries, List<ObjectRef> orphans,
                                         boolean prune, java.time.Duration wall) {
        try {
            if (run.reportJson != null) {
                java.nio.file.Files.writeString(run.reportJson, Reports.planJson(inventory, entries, orphans, prune, wall));
            }
            if (run.junit != null) {
                java.nio.file.Files.writeString(run.junit, Reports.planJunit(entries, orphans, prune));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write the report: " + e.getMessage(), e);
        }
    }

    /** What apply would do, by server-side dry runs; {@code exitCode}: {@link ExitCodes#CHANGES} when anything would change. */
    static int plan(InventoryOption inventory, RunMixin run, CommandSpec spec, boolean diffs, boolean prune, boolean exitCode,
                    RunState state) {
        Inventory inv = inventory.load();
        ResourceGraph graph = FederationRenderer.graph(inv);
        PrintWriter out = spec.commandLine().getOut();
        long start = System.nanoTime();
        try (Session session = Session.open(inv, run, spec, state)) {
            if (session == null) {
                return ExitCodes.UNREACHABLE;
            }
            Map<String, Integer> counts = new java.util.TreeMap<>();
            Pruner pruner = new Pruner(session.clients, inv);
            OwnedObjects.Listing listing = session.unreachable.isEmpty() ? pruner.list(graph) : null;
            if (listing != null) {
                OwnedObjects.seed(session.clients, listing);
            }
            List<Planner.Entry> entries = new Planner(session.clients, inv.name()).plan(graph);
            for (Planner.Entry e : entries) {
                counts.merge(e.action().startsWith("observe") ? "observe" : e.action(), 1, Integer::sum);
                if (!e.action().equals("unchanged") && !e.action().equals("observe") || run.verbose) {
                    out.printf("%-9s [%s] %s%s%n", e.action().startsWith("observe") ? "observe:" : e.action() + ":",
                            e.ref().cluster(), e.ref().describe(),
                            e.action().startsWith("observe (") ? " (not there yet)" : "");
                }
                if (diffs && !e.diff().isEmpty()) {
                    out.print(e.diff());
                }
            }
            List<ObjectRef> orphans = listing != null ? pruner.orphans(graph, listing) : List.of();
            pruner.departed().forEach(w -> out.printf("warning: [%s] %s%n", w.cluster(), w.message()));
            for (ObjectRef ref : orphans) {
                out.printf(prune ? "delete:   [%s] %s: no longer in the inventory%n"
                        : "orphan:   [%s] %s: no longer in the inventory; apply keeps it (apply --prune deletes it)%n",
                        ref.cluster(), ref.describe());
            }
            int changes = counts.getOrDefault("create", 0) + counts.getOrDefault("update", 0)
                    + counts.getOrDefault("adopt", 0) + (prune ? orphans.size() : 0);
            out.printf("Plan: %d to create, %d to adopt, %d to update, %d unchanged (%d read only)%s. Nothing was written.%n",
                    counts.getOrDefault("create", 0), counts.getOrDefault("adopt", 0), counts.getOrDefault("update", 0),
                    counts.getOrDefault("unchanged", 0), counts.getOrDefault("observe", 0),
                    orphans.isEmpty() ? "" : ", " + orphans.size() + (prune ? " to delete" : " orphaned"));
            out.flush();
            writePlanReports(run, inv.name(), entries, orphans, prune, java.time.Duration.ofNanos(System.nanoTime() - start));
            return exitCode && changes > 0 ? ExitCodes.CHANGES : ExitCodes.OK;
        }
    }

    static int execute(InventoryOption inventory, RunMixin run, CommandSpec spec, GraphExecutor.Mode mode, boolean prune,
                       RunState state, boolean diffs) {
        Inventory inv = inventory.load();
        Timings.mark("inventory read");
        try (Interruption interruption = Interruption.install(spec.commandLine().getErr());
             Session session = Session.open(inv, run, spec, state)) {
            if (session == null) {
                return ExitCodes.UNREACHABLE;
            }
            Timings.mark("clusters answered");
            try (RunLock lock = lock(inv, session, run, spec)) {
                Timings.mark("run lock taken");
                return converge(inv, session, run, spec, mode, prune, state, interruption, diffs);
            } catch (RunLock.Held e) {
                spec.commandLine().getErr().println("error: " + e.getMessage());
                spec.commandLine().getErr().flush();
                return ExitCodes.LOCKED;
            }
        }
    }

    /**
     * Takes the inventory's run lock on every reachable cluster (a Lease in {@code default}, a namespace
     * every cluster has before meshfed's first run, as Terraform's Kubernetes backend keeps its lock),
     * waiting up to --lock-timeout for another run of the inventory, and saying whose it is while it waits.
     */
    /** Where the run lock's Leases live. */
    static final String LOCK_NAMESPACE = "default";

    static RunLock lock(Inventory inv, Session session, RunMixin run, CommandSpec spec) {
        Map<String, io.meshfed.provisioner.apply.ClusterClient> reachable = new java.util.LinkedHashMap<>(session.clients);
        reachable.keySet().removeAll(session.unreachable);
        Map<String, String> namespaces = new java.util.LinkedHashMap<>();
        inv.clusters().forEach(c -> namespaces.put(c.name(), LOCK_NAMESPACE));
        RunLock lock = new RunLock(reachable, namespaces, inv.name(), RunLock.thisProcess());
        PrintWriter err = spec.commandLine().getErr();
        lock.acquire(Durations.parse(run.lockTimeout, spec.commandLine(), "--lock-timeout"), message -> {
            err.println("waiting: " + message);
            err.flush();
        });
        return lock;
    }

    /** One run over the inventory's graph on an open session; prints progress, orphans, the recap. */
    static int converge(Inventory inv, Session session, RunMixin run, CommandSpec spec, GraphExecutor.Mode mode,
                        boolean prune, RunState state, Interruption interruption, boolean diffs) {
        ResourceGraph graph = FederationRenderer.graph(inv);
        Timings.mark("graph built");
        RunOptions options = run.options(spec.commandLine());
        PrintWriter out = spec.commandLine().getOut();
        long start = System.nanoTime();
        out.printf("%s %d objects on %d clusters (%d edges)%n", mode == GraphExecutor.Mode.APPLY ? "applying" : "destroying",
                graph.nodes().size(), inv.clusters().size(), graph.edges().size());
        out.flush();
        state.started(graph.nodes().size());
        Pruner pruner = new Pruner(session.clients, inv);
        // one list per kind of what the inventory owns: it answers each object's first read, then finds the orphans
        OwnedObjects.Listing listing = mode == GraphExecutor.Mode.APPLY && session.unreachable.isEmpty() ? pruner.list(graph) : null;
        if (listing != null) {
            OwnedObjects.seed(session.clients, listing);
            Timings.mark("owned objects listed");
        }
        RunResult result = new GraphExecutor(session.clients, options, new ProgressPrinter(out, run.verbose, state).withDiffs(diffs),
                inv.name()).run(graph, mode, session.unreachable, interruption.cancellation());
        state.done(result.succeeded());
        Timings.mark("graph run");
        if (listing != null && !result.interrupted()) {
            Pruner.Outcome pruning = pruner.afterApply(graph, prune && result.succeeded(), listing);
            pruning.pruned().forEach(r -> out.printf("%-8s [%s] %s: %s%n", r.action() + ":", r.ref().cluster(),
                    r.ref().describe(), r.message()));
            pruning.kept().forEach(ref -> out.printf(
                    "orphan:  [%s] %s: no longer in the inventory; kept (apply --prune deletes it)%n", ref.cluster(),
                    ref.describe()));
            result = result.with(pruning.pruned(), pruning.warnings());
        } else if (mode == GraphExecutor.Mode.DESTROY && result.succeeded() && session.unreachable.isEmpty()) {
            pruner.forget();
        }
        Timings.mark("orphans done");
        out.println();
        out.print(result.recapText());
        out.printf("%d changed in %.1f s%s%n", result.changed(), (System.nanoTime() - start) / 1e9,
                result.changed() == 0 && result.succeeded() ? " (nothing to do: already converged)" : "");
        for (var failure : result.failures()) {
            out.println("failed: " + failure.ref().id() + ": " + failure.message());
        }
        for (String cluster : session.unreachable) {
            out.println("unreachable: cluster " + cluster + " was left out (--skip-unreachable): it was not converged, so "
                    + "the run did not succeed");
        }
        out.flush();
        writeReports(run, inv.name(), mode == GraphExecutor.Mode.APPLY ? "apply" : "destroy", result,
                java.time.Duration.ofNanos(System.nanoTime() - start));
        out.flush();
        return result.interrupted() ? interruption.exitCode() : result.succeeded() ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
