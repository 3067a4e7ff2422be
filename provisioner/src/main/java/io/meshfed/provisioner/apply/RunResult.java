package io.meshfed.provisioner.apply;

import io.meshfed.model.resource.ObjectRef;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every node's result, in the order the graph lists them (then what prune and destroy did with the
 * orphans), the per-cluster recap, the orphans left where they are, and warnings: what went wrong
 * after the run without failing it (the orphans of a cluster could not be listed).
 */
public record RunResult(List<NodeResult> results, List<Warning> warnings, String interruption, List<Orphan> orphans) {

    /** Something a run could not do that does not make it fail; {@code cluster} null for the whole run. */
    public record Warning(String cluster, String message) {
    }

    /** An object the inventory no longer renders that the run left in place, and what it would do with it. */
    public record Orphan(ObjectRef ref, String message) {
    }

    public RunResult {
        results = List.copyOf(results);
        warnings = List.copyOf(warnings);
        orphans = List.copyOf(orphans);
    }

    public RunResult(List<NodeResult> results, List<Warning> warnings, String interruption) {
        this(results, warnings, interruption, List.of());
    }

    public RunResult(List<NodeResult> results) {
        this(results, List.of(), null);
    }

    /** This run with more results (prune's), warnings and orphans left in place. */
    public RunResult with(List<NodeResult> more, List<Warning> moreWarnings, List<Orphan> moreOrphans) {
        List<NodeResult> all = new ArrayList<>(results);
        all.addAll(more);
        List<Warning> allWarnings = new ArrayList<>(warnings);
        allWarnings.addAll(moreWarnings);
        List<Orphan> allOrphans = new ArrayList<>(orphans);
        allOrphans.addAll(moreOrphans);
        return new RunResult(all, allWarnings, interruption, allOrphans);
    }

    /** Ansible's recap counts for one cluster; ok counts changed ones too, as Ansible does. */
    public record Recap(int ok, int changed, int unreachable, int failed, int skipped) {
    }

    public Map<String, Recap> recap() {
        Map<String, int[]> counts = new TreeMap<>();
        for (NodeResult r : results) {
            int[] c = counts.computeIfAbsent(r.ref().cluster(), k -> new int[5]);
            switch (r.outcome()) {
                case OK -> c[0]++;
                case CHANGED -> {
                    c[0]++;
                    c[1]++;
                }
                case UNREACHABLE -> c[2]++;
                case FAILED -> c[3]++;
                case SKIPPED -> c[4]++;
            }
        }
        Map<String, Recap> recap = new LinkedHashMap<>();
        counts.forEach((cluster, c) -> recap.put(cluster, new Recap(c[0], c[1], c[2], c[3], c[4])));
        return recap;
    }

    public boolean succeeded() {
        return interruption == null && results.stream().allMatch(NodeResult::succeeded);
    }

    /** Whether the run was asked to stop before it ended. */
    public boolean interrupted() {
        return interruption != null;
    }

    public int changed() {
        return (int) results.stream().filter(r -> r.outcome() == NodeResult.Outcome.CHANGED).count();
    }

    public List<NodeResult> failures() {
        List<NodeResult> failed = new ArrayList<>();
        results.stream().filter(r -> r.outcome() == NodeResult.Outcome.FAILED).forEach(failed::add);
        return failed;
    }

    public NodeResult result(ObjectRef ref) {
        return results.stream().filter(r -> r.ref().equals(ref)).findFirst().orElseThrow();
    }

    /** The Ansible-style recap, one line per cluster. */
    public String recapText() {
        StringBuilder sb = new StringBuilder("PLAY RECAP ");
        sb.append("*".repeat(60)).append('\n');
        recap().forEach((cluster, r) -> sb.append(String.format("%-24s : ok=%-4d changed=%-4d unreachable=%-3d failed=%-3d"
                + " skipped=%d%n", cluster, r.ok(), r.changed(), r.unreachable(), r.failed(), r.skipped())));
        if (interruption != null) {
            long notRun = results.stream().filter(r -> r.action().equals("not run")).count();
            long stopped = results.stream().filter(r -> r.action().equals("interrupted")).count();
            sb.append("interrupted (").append(interruption).append("): ").append(notRun).append(" not run, ").append(stopped)
                    .append(" stopped while waiting; a new run goes on from there\n");
        }
        warnings.forEach(w -> sb.append("warning: ").append(w.cluster() == null ? "" : "[" + w.cluster() + "] ")
                .append(w.message()).append('\n'));
        return sb.toString();
    }
}
