package io.meshfed.provisioner.apply;

import io.meshfed.model.graph.ResourceGraph;
import io.meshfed.model.ownership.OwnershipLabels;
import io.meshfed.model.resource.DesiredObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * The live state of what an inventory owns, read by listing: one cluster-wide list per kind (by the
 * inventory's label), every cluster and kind concurrently within each client's request limit. The same
 * listing, made once before a run, answers each owned object's first read ({@link ClusterClient#seed})
 * and then finds the orphans ({@link Orphans}) — one list per kind, not one read per object, as kapp and
 * Argo CD read live state. Kinds are listed by group and kind, as kubectl's ApplySet does: every kind
 * meshfed renders, the kinds of this run's graph, and the kinds the cluster's record says earlier runs
 * wrote (so that a kind of the user's manifests that left the inventory altogether is still found).
 */
public final class OwnedObjects {

    /** Lists wait on the API server: a virtual thread each (the client's request limit still applies). */
    private static final Executor LISTER = Executors.newVirtualThreadPerTaskExecutor();

    /** Every kind meshfed renders, in deletion order (dependents first). */
    static final List<String[]> KINDS = List.of(
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

    /**
     * Per cluster, the owned objects (each with the kind it was listed as), the clusters where listing
     * failed, and when the listing was made (System.nanoTime()).
     */
    public record Listing(Map<String, List<Map<String, Object>>> owned, Map<String, ApiException> failed, long madeAt) {
        public List<Map<String, Object>> objects(String cluster) {
            return owned.getOrDefault(cluster, List.of());
        }
    }

    /** The inventory's labelled objects on every cluster, of every kind to look for: meshfed's, the graph's, the recorded ones. */
    public static Listing list(Map<String, ClusterClient> clients, ResourceGraph graph, InventoryRecords records) {
        return list(clients, OwnershipLabels.selector(records.inventory()), cluster -> kinds(cluster, graph, records));
    }

    private OwnedObjects() {
    }

    /**
     * @param kinds a cluster's {apiVersion, kind} to list, in the order the objects are wanted (it may
     *              read the cluster: it runs with the cluster's listing)
     */
    static Listing list(Map<String, ClusterClient> clients, String selector,
                        java.util.function.Function<String, List<String[]>> kinds) {
        long madeAt = System.nanoTime();
        Map<String, CompletableFuture<List<Map<String, Object>>>> listing = new LinkedHashMap<>();
        clients.forEach((cluster, client) -> listing.put(cluster,
                CompletableFuture.supplyAsync(() -> list(client, selector, kinds.apply(cluster)), LISTER)));
        Map<String, List<Map<String, Object>>> owned = new LinkedHashMap<>();
        Map<String, ApiException> failed = new LinkedHashMap<>();
        listing.forEach((cluster, future) -> {
            try {
                owned.put(cluster, future.join());
            } catch (CompletionException e) {
                if (!(e.getCause() instanceof ApiException api)) {
                    throw e.getCause() instanceof RuntimeException r ? r : e;
                }
                failed.put(cluster, api);
            }
        });
        return new Listing(owned, failed, madeAt);
    }

    /** Seeds each cluster's client with what the listing found there. */
    public static void seed(Map<String, ClusterClient> clients, Listing listing) {
        listing.owned().forEach((cluster, objects) -> {
            if (clients.containsKey(cluster)) {
                clients.get(cluster).seed(objects, listing.madeAt());
            }
        });
    }

    /**
     * What to list on a cluster, one version per group-kind: the user's kinds first (they may live in
     * meshfed's namespaces), then meshfed's in deletion order. Reading the record here loads it for the run.
     */
    static List<String[]> kinds(String cluster, ResourceGraph graph, InventoryRecords records) {
        Map<String, String[]> byGroupKind = new LinkedHashMap<>();
        List<String[]> extra = new ArrayList<>();
        for (DesiredObject node : graph.nodes()) {
            if (node.managed() && node.ref().cluster().equals(cluster)) {
                extra.add(new String[] {node.ref().apiVersion(), node.ref().kind()});
            }
        }
        for (String line : records.read(cluster).kinds()) {
            extra.add(line.split(" "));
        }
        for (String[] kind : extra) {
            byGroupKind.putIfAbsent(groupKind(kind[0], kind[1]), kind);
        }
        List<String[]> ordered = new ArrayList<>();
        Set<String> known = new HashSet<>();
        for (String[] kind : KINDS) {
            known.add(groupKind(kind[0], kind[1]));
        }
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

    static String groupKind(String apiVersion, String kind) {
        int slash = apiVersion.indexOf('/');
        return kind + "." + (slash < 0 ? "" : apiVersion.substring(0, slash));
    }

    /** One cluster: every kind concurrently; a kind the cluster does not serve has nothing of it. */
    private static List<Map<String, Object>> list(ClusterClient client, String selector, List<String[]> kinds) {
        List<CompletableFuture<List<Map<String, Object>>>> lists = new ArrayList<>();
        for (String[] kind : kinds) {
            lists.add(CompletableFuture.supplyAsync(() -> {
                try {
                    List<Map<String, Object>> items = new ArrayList<>();
                    for (Map<String, Object> item : client.list(kind[0], kind[1], selector)) {
                        Map<String, Object> copy = new LinkedHashMap<>(item);
                        copy.put("apiVersion", kind[0]);   // a list's items need not say their kind
                        copy.put("kind", kind[1]);
                        items.add(copy);
                    }
                    return items;
                } catch (ApiException e) {
                    if (e.code() == 404) {
                        return List.of();
                    }
                    throw e;
                }
            }, LISTER));
        }
        List<Map<String, Object>> owned = new ArrayList<>();
        for (var list : lists) {
            try {
                owned.addAll(list.join());
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        return owned;
    }
}
