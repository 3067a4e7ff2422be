package io.meshfed.provisioner.apply;

import java.util.ArrayList;
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
 * and then finds the orphans ({@link Pruner}) — one list per kind, not one read per object, as kapp and
 * Argo CD read live state.
 */
public final class OwnedObjects {

    /** Lists wait on the API server: a virtual thread each (the client's request limit still applies). */
    private static final Executor LISTER = Executors.newVirtualThreadPerTaskExecutor();

    /** Per cluster, the owned objects (each with the kind it was listed as), and the clusters where listing failed. */
    public record Listing(Map<String, List<Map<String, Object>>> owned, Map<String, ApiException> failed) {
        public List<Map<String, Object>> objects(String cluster) {
            return owned.getOrDefault(cluster, List.of());
        }
    }

    private OwnedObjects() {
    }

    /**
     * @param kinds a cluster's {apiVersion, kind} to list, in the order the objects are wanted (it may
     *              read the cluster: it runs with the cluster's listing)
     */
    static Listing list(Map<String, ClusterClient> clients, String selector,
                        java.util.function.Function<String, List<String[]>> kinds) {
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
        return new Listing(owned, failed);
    }

    /** Seeds each cluster's client with what the listing found there. */
    public static void seed(Map<String, ClusterClient> clients, Listing listing) {
        listing.owned().forEach((cluster, objects) -> {
            if (clients.containsKey(cluster)) {
                clients.get(cluster).seed(objects);
            }
        });
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
