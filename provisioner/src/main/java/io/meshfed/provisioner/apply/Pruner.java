package io.meshfed.provisioner.apply;

import io.meshfed.model.graph.ResourceGraph;
import io.meshfed.model.inventory.ClusterSpec;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.model.ownership.Claim;
import io.meshfed.model.ownership.OwnershipLabels;
import io.meshfed.model.resource.DesiredObject;
import io.meshfed.model.resource.ObjectRef;
import io.meshfed.model.resource.Tree;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds, and with {@code apply --prune} deletes, the objects this inventory created (its labels) that
 * it no longer renders, by group and kind as kubectl's ApplySet does: an object the server returns
 * under another version of its group and kind is the same object. What to look for: every kind
 * meshfed renders, the kinds of this run's graph, and the kinds a record per cluster says earlier
 * runs wrote (a ConfigMap {@code meshfed-<inventory>} in the cluster's mesh namespace), so that a kind
 * of the user's manifests that left the inventory altogether is still found. Custom resources go
 * first, namespaces last. An object another inventory adopted since is not deleted: meshfed gives up
 * its labels and fields.
 */
public final class Pruner {

    /** Every kind meshfed renders, in deletion order (dependents first). */
    private static final List<String[]> KINDS = List.of(
            new String[] {"networking.istio.io/v1beta1", "VirtualService"},
            new String[] {"networking.istio.io/v1beta1", "Gateway"},
            new String[] {"federation.maistra.io/v1", "ImportedServiceSet"},
            new String[] {"federation.maistra.io/v1", "ExportedServiceSet"},
            new String[] {"federation.maistra.io/v1", "ServiceMeshPeer"},
            new String[] {"maistra.io/v1", "ServiceMeshMemberRoll"},
            new String[] {"maistra.io/v2", "ServiceMeshControlPlane"},
            new String[] {"metallb.io/v1beta1", "L2Advertisement"},
            new String[] {"metallb.io/v1beta1", "IPAddressPool"},
            new String[] {"metallb.io/v1beta1", "MetalLB"},
            new String[] {"apps/v1", "Deployment"},
            new String[] {"v1", "Service"},
            new String[] {"v1", "ConfigMap"},
            new String[] {"operators.coreos.com/v1alpha1", "Subscription"},
            new String[] {"operators.coreos.com/v1", "OperatorGroup"},
            new String[] {"v1", "Namespace"});

    /** The record's key listing {@code apiVersion Kind} per line. */
    static final String RECORD_KEY = "group-kinds";
    /** The record's key listing the inventory's clusters at that apply, one per line. */
    static final String CLUSTERS_KEY = "clusters";
    /** The record's label (not meshfed.io/inventory: the record is not one of the inventory's objects). */
    static final String RECORD_OF = "meshfed.io/record-of";

    private final Map<String, ClusterClient> clients;
    private final String inventory;
    private final Map<String, String> recordNamespaces = new LinkedHashMap<>();
    /** Each cluster's record as the last listing read it: its data. */
    private final Map<String, Map<String, Object>> recordedData = new java.util.concurrent.ConcurrentHashMap<>();
    /** The clusters each cluster's record says the inventory had at its last apply. */
    private final Map<String, Set<String>> recordedClusters = new java.util.concurrent.ConcurrentHashMap<>();

    public Pruner(Map<String, ClusterClient> clients, Inventory inventory) {
        this.clients = Map.copyOf(clients);
        this.inventory = inventory.name();
        for (ClusterSpec cluster : inventory.clusters()) {
            recordNamespaces.put(cluster.name(), cluster.mesh().namespace());
        }
    }

    /**
     * Clusters the records (read by {@link #orphans} or {@link #afterApply}) say this inventory had at
     * its last apply and that it no longer names: what it created there stays, and meshfed cannot
     * reach it to remove it. A warning each, saying how.
     */
    public List<RunResult.Warning> departed() {
        Map<String, Set<String>> recordedOn = new java.util.TreeMap<>();
        recordedClusters.forEach((on, names) -> names.stream().filter(n -> !recordNamespaces.containsKey(n))
                .forEach(n -> recordedOn.computeIfAbsent(n, k -> new TreeSet<>()).add(on)));
        List<RunResult.Warning> warnings = new ArrayList<>();
        recordedOn.forEach((gone, on) -> warnings.add(new RunResult.Warning(gone, "was in inventory '" + inventory
                + "' at its last apply (recorded on " + String.join(", ", on) + ") and is no longer named: what the "
                + "inventory created there stays. Remove it by running destroy before removing the host (put the host "
                + "back, destroy, then remove it), or on that cluster: every object the inventory created there carries "
                + "the label " + OwnershipLabels.INVENTORY + "=" + inventory)));
        return warnings;
    }

    /**
     * The orphans an apply found, what --prune did with each (a result per object, counted in the recap
     * and the reports), and the clusters where that could not be done (a warning each: the apply
     * itself succeeded).
     */
    public record Outcome(List<ObjectRef> orphans, List<NodeResult> pruned, List<RunResult.Warning> warnings) {
        /** The orphans prune did not remove. */
        public List<ObjectRef> kept() {
            List<ObjectRef> removed = pruned.stream().filter(r -> r.outcome() == NodeResult.Outcome.CHANGED)
                    .map(NodeResult::ref).toList();
            return orphans.stream().filter(r -> !removed.contains(r)).toList();
        }
    }

    /**
     * The inventory's labelled objects on every cluster ({@link OwnedObjects}), of every kind to look for:
     * meshfed's, this graph's and the ones the cluster's record names.
     */
    public OwnedObjects.Listing list(ResourceGraph graph) {
        return OwnedObjects.list(clients, OwnershipLabels.selector(inventory), cluster -> kinds(cluster, graph));
    }

    /**
     * After an apply, per cluster: finds the orphans, prunes them when asked, and records what the
     * inventory's kinds are. A cluster where this fails (a 403 of a namespace-scoped role) is a warning.
     */
    public Outcome afterApply(ResourceGraph graph, boolean prune) {
        return afterApply(graph, prune, list(graph));
    }

    /** The same from a listing made before the run: every orphan existed then (what the run created, it renders). */
    public Outcome afterApply(ResourceGraph graph, boolean prune, OwnedObjects.Listing listing) {
        List<ObjectRef> orphans = new ArrayList<>();
        List<NodeResult> pruned = new ArrayList<>();
        List<RunResult.Warning> warnings = new ArrayList<>();
        for (String cluster : clients.keySet()) {
            try {
                if (listing.failed().containsKey(cluster)) {
                    throw listing.failed().get(cluster);
                }
                List<ObjectRef> found = orphans(graph, cluster, listing.objects(cluster));
                orphans.addAll(found);
                List<NodeResult> done = prune ? prune(found) : List.of();
                pruned.addAll(done);
                List<ObjectRef> removed = done.stream().filter(r -> r.outcome() == NodeResult.Outcome.CHANGED)
                        .map(NodeResult::ref).toList();
                record(graph, cluster, found.stream().filter(r -> !removed.contains(r)).toList());
            } catch (ApiException e) {
                warnings.add(new RunResult.Warning(cluster, "orphans not " + (prune ? "pruned" : "listed") + ": "
                        + e.getMessage()));
            }
        }
        warnings.addAll(departed());
        return new Outcome(orphans, pruned, warnings);
    }

    /** Owned objects not in the graph, on every cluster, in deletion order (dependents' kinds first). */
    public List<ObjectRef> orphans(ResourceGraph graph) {
        return orphans(graph, list(graph));
    }

    public List<ObjectRef> orphans(ResourceGraph graph, OwnedObjects.Listing listing) {
        if (!listing.failed().isEmpty()) {
            throw listing.failed().values().iterator().next();
        }
        List<ObjectRef> orphans = new ArrayList<>();
        clients.keySet().forEach(cluster -> orphans.addAll(orphans(graph, cluster, listing.objects(cluster))));
        return orphans;
    }

    private List<ObjectRef> orphans(ResourceGraph graph, String cluster, List<Map<String, Object>> owned) {
        List<ObjectRef> orphans = new ArrayList<>();
        ClusterClient client = clients.get(cluster);
        Set<String> wanted = new HashSet<>();
        for (DesiredObject node : graph.nodes()) {
            if (node.ref().cluster().equals(cluster)) {
                wanted.add(key(client, node.ref()));
            }
        }
        for (Map<String, Object> object : owned) {
            ObjectRef ref = new ObjectRef(cluster, (String) object.get("apiVersion"), (String) object.get("kind"),
                    (String) Tree.get(object, "metadata", "namespace"), (String) Tree.get(object, "metadata", "name"));
            if (!wanted.contains(key(client, ref))) {
                orphans.add(ref);
            }
        }
        return orphans;
    }

    /**
     * Deletes the orphans in order (one another inventory wants too is handed over instead); a result
     * for each: CHANGED where it was deleted or given up.
     */
    public List<NodeResult> prune(List<ObjectRef> orphans) {
        List<NodeResult> done = new ArrayList<>();
        for (ObjectRef ref : orphans) {
            long start = System.nanoTime();
            ClusterClient client = clients.get(ref.cluster());
            Map<String, Object> live = client.get(ref);
            String action;
            String message;
            boolean wrote;
            if (live == null) {
                action = "absent";
                message = "already gone";
                wrote = false;
            } else if (Claim.deletable(live, inventory)) {
                wrote = client.delete(ref);
                action = "prune";
                message = "no longer in the inventory: deleted";
            } else {
                GiveUp.Result given = GiveUp.object(client, ref, live, inventory);
                action = given.action();
                message = "no longer in the inventory: " + given.message();
                wrote = given.wrote();
            }
            long now = System.nanoTime();
            done.add(new NodeResult(ref, wrote ? NodeResult.Outcome.CHANGED : NodeResult.Outcome.OK, action,
                    java.time.Duration.ofNanos(now - start), message, start, wrote ? now : 0));
        }
        return done;
    }

    /**
     * Writes a cluster's record: the group-kinds of this run's objects and of the orphans kept, so that
     * a later run finds them even when the inventory no longer names their kind. Written only when it
     * changes; not where the mesh namespace does not exist (nothing was applied there).
     */
    private void record(ResourceGraph graph, String cluster, List<ObjectRef> kept) {
        String namespace = recordNamespaces.get(cluster);
        if (namespace == null) {
            return;
        }
        Set<String> lines = new TreeSet<>();
        for (DesiredObject node : graph.nodes()) {
            if (node.managed() && node.ref().cluster().equals(cluster)) {
                lines.add(node.ref().apiVersion() + " " + node.ref().kind());
            }
        }
        kept.forEach(r -> lines.add(r.apiVersion() + " " + r.kind()));
        Map<String, Object> data = Tree.map(RECORD_KEY, String.join("\n", lines) + "\n",
                CLUSTERS_KEY, String.join("\n", new TreeSet<>(recordNamespaces.keySet())) + "\n");
        if (data.equals(recordedData.get(cluster))) {
            return;
        }
        ObjectRef ref = recordRef(cluster, namespace);
        Map<String, Object> record = Tree.map("apiVersion", "v1", "kind", "ConfigMap",
                "metadata", Tree.map("name", ref.name(), "namespace", namespace,
                        "labels", Tree.map(OwnershipLabels.MANAGED_BY, OwnershipLabels.MANAGED_BY_VALUE, RECORD_OF, inventory)),
                "data", data);
        try {
            clients.get(cluster).apply(ref, record, OwnershipLabels.fieldManager(inventory), false, false);
        } catch (ApiException e) {
            if (e.code() != 404) {
                throw e;
            }
        }
    }

    /** Deletes each cluster's record (destroy, after everything else). */
    public void forget() {
        for (Map.Entry<String, ClusterClient> cluster : clients.entrySet()) {
            String namespace = recordNamespaces.get(cluster.getKey());
            if (namespace != null) {
                cluster.getValue().delete(recordRef(cluster.getKey(), namespace));
            }
        }
    }

    ObjectRef recordRef(String cluster, String namespace) {
        return new ObjectRef(cluster, "v1", "ConfigMap", namespace, "meshfed-" + inventory);
    }

    /** What to list on a cluster: meshfed's kinds, the graph's and the recorded ones, one version per group-kind. */
    private List<String[]> kinds(String cluster, ResourceGraph graph) {
        Map<String, String[]> byGroupKind = new LinkedHashMap<>();
        List<String[]> extra = new ArrayList<>();
        for (DesiredObject node : graph.nodes()) {
            if (node.managed() && node.ref().cluster().equals(cluster)) {
                extra.add(new String[] {node.ref().apiVersion(), node.ref().kind()});
            }
        }
        extra.addAll(recorded(cluster));
        for (String[] kind : extra) {
            byGroupKind.putIfAbsent(groupKind(kind[0], kind[1]), kind);
        }
        List<String[]> ordered = new ArrayList<>();
        Set<String> known = new HashSet<>();
        for (String[] kind : KINDS) {
            known.add(groupKind(kind[0], kind[1]));
        }
        // user kinds first (they may live in meshfed's namespaces), then meshfed's in deletion order
        byGroupKind.forEach((gk, kind) -> {
            if (!known.contains(gk)) {
                ordered.add(kind);
            }
        });
        for (String[] kind : KINDS) {
            String[] fromGraph = byGroupKind.get(groupKind(kind[0], kind[1]));
            ordered.add(fromGraph != null ? fromGraph : kind);
        }
        return ordered;
    }

    private List<String[]> recorded(String cluster) {
        String namespace = recordNamespaces.get(cluster);
        if (namespace == null) {
            return List.of();
        }
        Map<String, Object> record = clients.get(cluster).get(recordRef(cluster, namespace));
        if (record != null && Tree.get(record, "data") instanceof Map<?, ?> recordData) {
            @SuppressWarnings("unchecked")
            Map<String, Object> read = (Map<String, Object>) recordData;
            recordedData.put(cluster, read);
            if (read.get(CLUSTERS_KEY) instanceof String names) {
                recordedClusters.put(cluster, new TreeSet<>(List.of(names.trim().split("\n"))));
            }
        }
        Object data = record == null ? null : Tree.get(record, "data", RECORD_KEY);
        List<String[]> kinds = new ArrayList<>();
        if (data instanceof String text) {
            for (String line : text.split("\n")) {
                String[] parts = line.trim().split(" ");
                if (parts.length == 2) {
                    kinds.add(parts);
                }
            }
        }
        return kinds;
    }

    private static String groupKind(String apiVersion, String kind) {
        int slash = apiVersion.indexOf('/');
        return kind + "." + (slash < 0 ? "" : apiVersion.substring(0, slash));
    }

    /** cluster, group, kind, namespace (for namespaced kinds), name: the identity of an object whatever its version. */
    private static String key(ClusterClient client, ObjectRef ref) {
        boolean namespaced = client.namespaced(ref.apiVersion(), ref.kind());
        return ref.group() + "|" + ref.kind() + "|" + (namespaced && ref.namespace() != null ? ref.namespace() : "")
                + "|" + ref.name();
    }
}
