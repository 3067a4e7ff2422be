package io.meshfed.provisioner.apply;

import io.meshfed.model.graph.ResourceGraph;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.model.resource.DesiredObject;
import io.meshfed.model.resource.ObjectRef;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import io.meshfed.provisioner.trust.IntermediateCas;
import io.meshfed.provisioner.trust.ReaderTokens;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One command's whole run over an inventory's graph, for the CLI and the tests alike: apply (the
 * listing of what the inventory owns, the graph's walk, the orphans, the records), destroy (the
 * orphans, the walk backwards, the records last) and plan (the same decisions, written nowhere).
 */
public final class Runner {

    private final Map<String, ClusterClient> clients;
    private final Inventory inventory;
    private final RunOptions options;
    private final ProgressListener progress;

    public Runner(Map<String, ClusterClient> clients, Inventory inventory, RunOptions options, ProgressListener progress) {
        this.clients = Map.copyOf(clients);
        this.inventory = inventory;
        this.options = options;
        this.progress = progress;
    }

    /**
     * Converges the clusters to {@code graph}; then, when every cluster was reached and the run was not
     * interrupted, finds the orphans (deleted with {@code prune} after a successful run, else listed) and
     * writes each cluster's record (also after a failure or an interruption: what was created is recorded).
     */
    public RunResult apply(ResourceGraph graph, boolean prune, Set<String> unreachable, Cancellation cancel) {
        return apply(graph, prune, unreachable, cancel, Set.of());
    }

    /**
     * @param limit the clusters the run writes on (apply --limit: {@code graph} is {@link ResourceGraph#limitedTo}
     *              them); empty: every cluster. Orphans, records and renames are looked for on those alone.
     */
    public RunResult apply(ResourceGraph graph, boolean prune, Set<String> unreachable, Cancellation cancel, Set<String> limit) {
        IntermediateCas cas = TrustRoots.issuer(inventory, clients);   // a root that cannot be used stops the run before it writes
        Map<String, ClusterClient> owned = writable(limit);
        InventoryRecords records = new InventoryRecords(clients, inventory);
        // one list per kind of what the inventory owns: it answers each object's first read, then finds the orphans
        OwnedObjects.Listing listing = unreachable.isEmpty() ? OwnedObjects.list(owned, graph, records) : null;
        if (listing != null) {
            renderedIntoNamespacesGone(owned.keySet(), graph, listing, records);
            OwnedObjects.seed(owned, listing);
            progress.milestone("owned objects listed");
        }
        List<RunResult.Warning> warnings = new ArrayList<>(listing == null ? List.of()
                : Rename.suspected(owned, graph, records));
        RunResult result = new GraphExecutor(clients, options, progress, records, cas).run(graph, GraphExecutor.Mode.APPLY,
                unreachable, cancel);
        progress.milestone("graph run");
        List<NodeResult> pruned = new ArrayList<>();
        List<RunResult.Orphan> kept = new ArrayList<>();
        try {
            if (listing != null && !result.interrupted()) {
                orphans(owned.keySet(), graph, listing, records, prune && result.succeeded(), pruned, kept, warnings);
            }
            warnings.addAll(records.save());
            warnings.addAll(recovered(records, "recorded"));
            warnings.addAll(departed(owned.keySet(), records));
        } catch (RuntimeException e) {   // whatever happens after the walk, the run's results and recap stand
            warnings.add(new RunResult.Warning(null, "after the run: " + e.getMessage()));
        }
        progress.milestone("orphans done");
        return result.with(pruned, warnings, kept);
    }

    /**
     * An inventory that renders objects into a namespace it created and renders no more is in error,
     * before anything is written: prune would keep that namespace for ever, and without it every apply of
     * those objects would fail.
     */
    private void renderedIntoNamespacesGone(Set<String> clusters, ResourceGraph graph, OwnedObjects.Listing listing,
                                            InventoryRecords records) {
        List<String> problems = new ArrayList<>();
        for (String cluster : clusters) {
            Set<String> renderedInto = Orphans.namespacesRenderedInto(graph, cluster);
            for (Map<String, Object> object : listing.objects(cluster)) {
                String name = (String) io.meshfed.model.resource.Tree.get(object, "metadata", "name");
                if (!"Namespace".equals(object.get("kind")) || !"v1".equals(object.get("apiVersion")) || !renderedInto.contains(name)
                        || graph.contains(new ObjectRef(cluster, "v1", "Namespace", null, name))
                        || !records.claim(cluster, object).created()) {
                    continue;
                }
                List<String> inside = graph.nodes().stream().filter(n -> n.managed() && n.ref().cluster().equals(cluster)
                        && name.equals(n.ref().namespace())).map(n -> n.ref().describe()).limit(3).toList();
                problems.add("cluster " + cluster + ": the inventory renders " + String.join(", ", inside) + " into namespace "
                        + name + ", which it created and no longer renders (was it taken out of mesh_members?): render the "
                        + "namespace again, or take those objects out of the inventory too");
            }
        }
        if (!problems.isEmpty()) {
            throw new io.meshfed.model.render.RenderException(io.meshfed.model.inventory.Location.UNKNOWN,
                    String.join("\n", problems));
        }
    }

    /** Per cluster: the orphans, deleted ({@code deleting}) or listed as kept; the kinds to record. */
    private void orphans(Set<String> clusters, ResourceGraph graph, OwnedObjects.Listing listing, InventoryRecords records,
                         boolean deleting, List<NodeResult> pruned, List<RunResult.Orphan> kept, List<RunResult.Warning> warnings) {
        for (String cluster : clusters) {
            if (listing.failed().containsKey(cluster)) {
                warnings.add(new RunResult.Warning(cluster, "orphans not " + (deleting ? "pruned" : "listed") + ": "
                        + listing.failed().get(cluster).getMessage()));
                continue;
            }
            try {
                Set<String> kinds = graphKinds(graph, cluster);
                for (ObjectRef ref : Orphans.of(graph, cluster, clients.get(cluster), listing.objects(cluster))) {
                    if (deleting) {
                        NodeResult r = remove(records, ref, "prune");
                        pruned.add(r);
                        if (!r.action().equals("prune") && !r.action().equals("absent")) {
                            kinds.add(ref.apiVersion() + " " + ref.kind());
                        }
                    } else {
                        kept.add(new RunResult.Orphan(ref, "no longer in the inventory; kept (apply --prune deletes it)"));
                        kinds.add(ref.apiVersion() + " " + ref.kind());
                    }
                }
                records.kinds(cluster, kinds);
            } catch (ApiException e) {
                warnings.add(new RunResult.Warning(cluster, "orphans not " + (deleting ? "pruned" : "listed") + ": "
                        + e.getMessage()));
            }
        }
    }

    /**
     * Deletes what the inventory created: its orphans (what it created and no longer renders, found through
     * the record's kinds) first, the graph walked backwards, then the orphan namespaces; each object as
     * {@link Deletion} decides. The records go last, where nothing they list as created is left.
     */
    public RunResult destroy(ResourceGraph graph, Set<String> unreachable, Cancellation cancel) {
        InventoryRecords records = new InventoryRecords(clients, inventory);
        Map<String, ClusterClient> reachable = new TreeMap<>(clients);
        reachable.keySet().removeAll(unreachable);
        Set<String> clusters = new TreeSet<>();
        graph.nodes().forEach(n -> clusters.add(n.ref().cluster()));
        reachable.keySet().retainAll(clusters);
        OwnedObjects.Listing listing = OwnedObjects.list(reachable, graph, records);
        List<ObjectRef> namespaces = new ArrayList<>();
        List<NodeResult> results = new ArrayList<>();
        List<RunResult.Warning> warnings = new ArrayList<>();
        for (String cluster : reachable.keySet()) {
            if (listing.failed().containsKey(cluster)) {
                warnings.add(new RunResult.Warning(cluster, "orphans not deleted: " + listing.failed().get(cluster).getMessage()));
                continue;
            }
            for (ObjectRef ref : Orphans.of(graph, cluster, clients.get(cluster), listing.objects(cluster))) {
                if (ref.kind().equals("Namespace") && ref.group().isEmpty()) {
                    namespaces.add(ref);   // after the graph: what it renders into them goes first
                } else if (!cancel.cancelled()) {
                    results.add(remove(records, ref, "delete"));
                }
            }
        }
        RunResult walked = new GraphExecutor(clients, options, progress, records).run(graph, GraphExecutor.Mode.DESTROY,
                unreachable, cancel);
        results.addAll(walked.results());
        for (ObjectRef ref : namespaces) {
            if (!cancel.cancelled()) {
                results.add(remove(records, ref, "delete"));
            }
        }
        boolean everywhere = unreachable.isEmpty() && results.stream().allMatch(NodeResult::succeeded);
        try {
            records.dropGone();
            warnings.addAll(everywhere ? records.forget() : records.save());
        } catch (RuntimeException e) {   // the run's results and recap stand
            warnings.add(new RunResult.Warning(null, "the records were not written: " + e.getMessage()));
        }
        return new RunResult(results, warnings, walked.interruption(), List.of());
    }

    /** The clients of the clusters a run writes on: {@code limit}'s, or all where it is empty. */
    private Map<String, ClusterClient> writable(Set<String> limit) {
        if (limit.isEmpty()) {
            return clients;
        }
        Map<String, ClusterClient> owned = new TreeMap<>(clients);
        owned.keySet().retainAll(limit);
        return owned;
    }

    /** What plan shows: each object's entry, the orphans and what apply (--prune) would do with them, warnings. */
    public record Plan(List<Planner.Entry> entries, List<Planner.Entry> orphans, List<RunResult.Warning> warnings) {
    }

    /** What apply would do, and with {@code prune} what it would do with the orphans; writes nothing. */
    public Plan plan(ResourceGraph graph, boolean prune, Set<String> unreachable) {
        return plan(graph, prune, unreachable, Set.of());
    }

    /** @param limit the clusters apply --limit would write on (empty: every cluster) */
    public Plan plan(ResourceGraph graph, boolean prune, Set<String> unreachable, Set<String> limit) {
        IntermediateCas cas = TrustRoots.issuer(inventory, clients);
        Map<String, ClusterClient> owned = writable(limit);
        InventoryRecords records = new InventoryRecords(clients, inventory);
        OwnedObjects.Listing listing = unreachable.isEmpty() ? OwnedObjects.list(owned, graph, records) : null;
        if (listing != null) {
            renderedIntoNamespacesGone(owned.keySet(), graph, listing, records);
            OwnedObjects.seed(owned, listing);
        }
        List<RunResult.Warning> warnings = new ArrayList<>(listing == null ? List.of()
                : Rename.suspected(owned, graph, records));
        List<Planner.Entry> entries = new Planner(clients, records, options.forceConflicts(), cas,
                new ReaderTokens(options.clock())).plan(graph);
        List<Planner.Entry> orphans = new ArrayList<>();
        if (listing != null) {
            for (String cluster : owned.keySet()) {
                if (listing.failed().containsKey(cluster)) {
                    warnings.add(new RunResult.Warning(cluster, "orphans unknown: " + listing.failed().get(cluster).getMessage()));
                    continue;
                }
                ClusterClient client = clients.get(cluster);
                for (ObjectRef ref : Orphans.of(graph, cluster, client, listing.objects(cluster))) {
                    Map<String, Object> live = listing.objects(cluster).stream().filter(o -> ref.name().equals(
                            io.meshfed.model.resource.Tree.get(o, "metadata", "name")) && ref.kind().equals(o.get("kind"))
                            && java.util.Objects.equals(ref.namespace(), io.meshfed.model.resource.Tree.get(o, "metadata", "namespace")))
                            .findFirst().orElse(null);
                    Deletion.Decision decision = Deletion.decide(client, records, ref, live);
                    String action = !prune ? "orphan" : decision.action() == Deletion.Action.DELETE ? "delete"
                            : decision.action().word;
                    orphans.add(new Planner.Entry(ref, action, "", !prune ? "no longer in the inventory; apply keeps it "
                            + "(apply --prune: " + decision.action().word + ")" : "no longer in the inventory: " + decision.why()));
                }
            }
        }
        warnings.addAll(recovered(records, "apply records them"));
        warnings.addAll(departed(owned.keySet(), records));
        return new Plan(entries, orphans, warnings);
    }

    /** Prune or destroy of one orphan, as a result (told to the progress listener): CHANGED where it wrote. */
    private NodeResult remove(InventoryRecords records, ObjectRef ref, String deleteWord) {
        long start = System.nanoTime();
        ClusterClient client = clients.get(ref.cluster());
        try {
            Deletion.Outcome outcome = Deletion.settle(client, records, ref);
            Deletion.Decision decision = outcome.decision();
            Deletion.Done done = outcome.done();
            long now = System.nanoTime();
            String action = decision.action() == Deletion.Action.DELETE ? deleteWord : done.action();
            return told(new NodeResult(ref, done.wrote() ? NodeResult.Outcome.CHANGED : NodeResult.Outcome.OK, action,
                    Duration.ofNanos(now - start), "no longer in the inventory: " + done.message(), start, done.wrote() ? now : 0));
        } catch (ApiException e) {
            if (e.code() == 404) {   // gone while it was looked at (its owner's deletion took it): what prune wanted
                return told(new NodeResult(ref, NodeResult.Outcome.OK, Deletion.Action.ABSENT.word,
                        Duration.ofNanos(System.nanoTime() - start), "no longer in the inventory: already gone", start, 0));
            }
            return told(new NodeResult(ref, NodeResult.Outcome.FAILED, "error", Duration.ofNanos(System.nanoTime() - start),
                    "no longer in the inventory, and could not be removed: " + e.getMessage(), start, 0));
        }
    }

    private NodeResult told(NodeResult result) {
        progress.finished(result);
        return result;
    }

    /** {@code apiVersion Kind} of what the graph writes on a cluster. */
    private static Set<String> graphKinds(ResourceGraph graph, String cluster) {
        Set<String> kinds = new TreeSet<>();
        for (DesiredObject node : graph.nodes()) {
            if (node.managed() && node.ref().cluster().equals(cluster)) {
                kinds.add(node.ref().apiVersion() + " " + node.ref().kind());
            }
        }
        return kinds;
    }

    /** Objects with the inventory's labels that the run found meshfed made without a record (a note per cluster). */
    private static List<RunResult.Warning> recovered(InventoryRecords records, String done) {
        List<RunResult.Warning> notes = new ArrayList<>();
        records.recovered().forEach((cluster, objects) -> notes.add(new RunResult.Warning(cluster, done + " as created by this "
                + "inventory (meshfed's field manager was their only writer; made before records kept UIDs, or by a run "
                + "that ended before it could record them): " + String.join(", ", objects.size() > 5 ? objects.subList(0, 5)
                : objects) + (objects.size() > 5 ? " and " + (objects.size() - 5) + " more" : ""))));
        return notes;
    }

    /**
     * Clusters the records say this inventory had at its last apply and that it no longer names: what it
     * created there stays, and meshfed cannot reach it to remove it. A warning each, saying how.
     */
    private List<RunResult.Warning> departed(Set<String> clusters, InventoryRecords records) {
        Set<String> named = new TreeSet<>();
        inventory.clusters().forEach(c -> named.add(c.name()));
        Map<String, Set<String>> recordedOn = new TreeMap<>();
        for (String cluster : clusters) {
            if (records.failure(cluster) != null) {
                continue;
            }
            records.read(cluster).clusters().stream().filter(n -> !named.contains(n))
                    .forEach(n -> recordedOn.computeIfAbsent(n, k -> new TreeSet<>()).add(cluster));
        }
        List<RunResult.Warning> warnings = new ArrayList<>();
        recordedOn.forEach((gone, on) -> warnings.add(new RunResult.Warning(gone, "was in inventory '" + inventory.name()
                + "' at its last apply (recorded on " + String.join(", ", on) + ") and is no longer named: what the "
                + "inventory created there stays. To remove it, put the host back in the inventory and run 'meshfed destroy "
                + "--limit " + gone + "' (that cluster only), then remove the host; or delete on that cluster what carries "
                + "the label meshfed.io/inventory=" + inventory.name() + " and the record " + InventoryRecords.NAMESPACE
                + "/meshfed-" + inventory.name())));
        return warnings;
    }
}
