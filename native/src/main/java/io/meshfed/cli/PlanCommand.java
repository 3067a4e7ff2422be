package io.meshfed.cli;

import io.meshfed.model.graph.ResourceGraph;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.provisioner.apply.Planner;
import io.meshfed.provisioner.apply.ProgressListener;
import io.meshfed.provisioner.apply.Runner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** {@code meshfed plan}: what apply would do, writing nothing. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        header = "Shows what apply would change, by dry runs at the API servers; writes nothing.",
        description = {"Shows what apply would do to each object (create, adopt, update, unchanged) with a unified YAML",
                "diff of the object as the API server would store it (a server-side dry run), and the orphans;",
                "writing nothing. Values only a live cluster has show as '(known after apply: ...)'."})
public class PlanCommand implements Callable<Integer> {

    @Mixin
    InventoryOption inventory;

    @Mixin
    RunMixin run;

    @Option(names = "--no-diff", description = "Only the actions, no diffs.")
    boolean noDiff;

    @Option(names = "--prune", description = "Show the orphans as deletions, as apply --prune would make them.")
    boolean prune;

    @Option(names = "--exit-code", description = "Exit with 4 when anything would change (as git diff --exit-code and "
            + "kubectl diff do), for drift checks in pipelines; 0 when nothing would.")
    boolean exitCode;

    @Mixin
    LimitOption limit;

    @Spec
    CommandSpec spec;

    @jakarta.inject.Inject
    RunState state;

    @Override
    public Integer call() {
        return plan(inventory, run, spec, !noDiff, prune, exitCode, state, limit.clusters(inventory, spec.commandLine()));
    }

    /**
     * What apply would do, by server-side dry runs; {@code exitCode}: {@link ExitCodes#CHANGES} when anything
     * would change. What the account may not read is printed as unknown, and plan then exits 1 after
     * printing the rest.
     */
    static int plan(InventoryOption inventory, RunMixin run, CommandSpec spec, boolean diffs, boolean prune, boolean exitCode,
                    RunState state, java.util.List<String> limit) {
        Inventory inv = inventory.load();
        try (Session session = Session.open(inv, run, spec, state)) {
            if (session == null) {
                return ExitCodes.UNREACHABLE;
            }
            return plan(inv, session, run, spec, diffs, prune, exitCode, limit);
        }
    }

    /** The plan of {@code inv} on an open session (migrate plans each phase's rendering of one inventory). */
    static int plan(Inventory inv, Session session, RunMixin run, CommandSpec spec, boolean diffs, boolean prune,
                    boolean exitCode) {
        return plan(inv, session, run, spec, diffs, prune, exitCode, java.util.List.of());
    }

    /** @param limit the clusters apply --limit would write on (empty: all) */
    static int plan(Inventory inv, Session session, RunMixin run, CommandSpec spec, boolean diffs, boolean prune,
                    boolean exitCode, java.util.List<String> limit) {
        ResourceGraph graph = ApplyCommand.graph(inv, limit, io.meshfed.provisioner.apply.GraphExecutor.Mode.APPLY);
        PrintWriter out = spec.commandLine().getOut();
        long start = System.nanoTime();
        Runner.Plan plan = new Runner(session.clients, inv, run.options(spec.commandLine()), ProgressListener.NONE)
                .plan(graph, prune, session.unreachable, java.util.Set.copyOf(limit));
        Map<String, Integer> counts = new TreeMap<>();
        for (Planner.Entry e : plan.entries()) {
            String action = e.action().startsWith("observe") ? "observe" : e.action();
            counts.merge(action, 1, Integer::sum);
            if (!action.equals("unchanged") && !action.equals("observe") || run.verbose) {
                out.printf("%-9s [%s] %s%s%s%n", action + ":", e.ref().cluster(), e.ref().describe(),
                        e.action().startsWith("observe (") ? " (not there yet)" : "", e.note() == null ? "" : ": " + e.note());
            }
            if (diffs && !e.diff().isEmpty()) {
                out.print(e.diff());
            }
        }
        plan.warnings().forEach(w -> out.printf("warning: [%s] %s%n", w.cluster(), w.message()));
        for (Planner.Entry o : plan.orphans()) {
            counts.merge("orphan " + o.action(), 1, Integer::sum);
            out.printf("%-9s [%s] %s: %s%n", o.action() + ":", o.ref().cluster(), o.ref().describe(), o.note());
        }
        int deletions = prune ? counts.getOrDefault("orphan delete", 0) : 0;
        int releases = prune ? plan.orphans().size() - deletions - counts.getOrDefault("orphan kept", 0)
                - counts.getOrDefault("orphan absent", 0) : 0;
        int changes = counts.getOrDefault("create", 0) + counts.getOrDefault("update", 0)
                + counts.getOrDefault("adopt", 0) + deletions + releases;
        int unknown = counts.getOrDefault(Planner.UNKNOWN, 0);
        int conflicts = counts.getOrDefault("conflict", 0);
        String orphans = plan.orphans().isEmpty() ? ""
                : !prune ? ", " + plan.orphans().size() + " orphaned"
                : ", " + deletions + " to delete" + (counts.containsKey("orphan kept") ? ", " + counts.get("orphan kept")
                + " kept" : "") + (releases > 0 ? ", " + releases + " to release" : "");
        out.printf("Plan: %d to create, %d to adopt, %d to update, %d unchanged (%d read only)%s%s. Nothing was written.%n",
                counts.getOrDefault("create", 0), counts.getOrDefault("adopt", 0), counts.getOrDefault("update", 0),
                counts.getOrDefault("unchanged", 0), counts.getOrDefault("observe", 0), orphans,
                (unknown == 0 ? "" : ", " + unknown + " unknown (this account may not read them)")
                        + (conflicts == 0 ? "" : ", " + conflicts + " in conflict with another inventory"));
        out.flush();
        writeReports(run, inv.name(), plan, prune, java.time.Duration.ofNanos(System.nanoTime() - start));
        return unknown + conflicts > 0 ? ExitCodes.FAILED : exitCode && changes > 0 ? ExitCodes.CHANGES : ExitCodes.OK;
    }

    private static void writeReports(RunMixin run, String inventory, Runner.Plan plan, boolean prune, java.time.Duration wall) {
        try {
            if (run.reportJson != null) {
                java.nio.file.Files.writeString(run.reportJson, VaultMask.masked(Reports.planJson(inventory, plan, prune, wall)));
            }
            if (run.junit != null) {
                java.nio.file.Files.writeString(run.junit, VaultMask.masked(Reports.planJunit(plan, prune)));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write the report: " + e.getMessage(), e);
        }
    }
}
