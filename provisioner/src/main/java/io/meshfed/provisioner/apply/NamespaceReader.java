package io.meshfed.provisioner.apply;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.meshfed.model.ownership.NamespaceContents;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * What one namespace holds, before meshfed deletes a namespace it created: every namespaced kind the
 * cluster serves (API discovery of every group and version, as kube-controller-manager's namespace
 * controller finds them; once per run), listed in the namespace as metadata only
 * ({@code PartialObjectMetadataList}: no Secret's data crosses the wire), concurrently within the
 * client's request limit. A kind the account may not list is reported unread: what it holds is unknown.
 */
final class NamespaceReader {

    /** The metadata of a list's items only, as kubectl get -o name asks for it. */
    private static final String METADATA_ONLY = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";

    /** A namespaced kind that can be listed: group, version, kind, plural. */
    record Kind(String group, String version, String kind, String plural) {
        String path(String namespace) {
            return (group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version) + "/namespaces/" + namespace + "/" + plural;
        }
    }

    private final ClusterClient client;
    private volatile List<Kind> kinds;

    NamespaceReader(ClusterClient client) {
        this.client = client;
    }

    /** Discovery is read again for each run (a CRD may have come since). */
    void forget() {
        kinds = null;
    }

    /** What in {@code namespace} is someone else's ({@link NamespaceContents}); {@code ours}: a UID the inventory created. */
    NamespaceContents.Foreign foreign(String namespace, Predicate<String> ours) {
        List<Kind> all = kinds();
        Map<Kind, CompletableFuture<List<Map<String, Object>>>> lists = new LinkedHashMap<>();
        var lister = Executors.newVirtualThreadPerTaskExecutor();
        try {
            for (Kind kind : all) {
                lists.put(kind, CompletableFuture.supplyAsync(() -> list(kind, namespace), lister));
            }
            List<NamespaceContents.Item> items = new ArrayList<>();
            List<String> unread = new ArrayList<>();
            lists.forEach((kind, future) -> {
                try {
                    for (Map<String, Object> metadata : future.join()) {
                        items.add(new NamespaceContents.Item(kind.group(), kind.kind(), metadata));
                    }
                } catch (CompletionException e) {
                    if (e.getCause() instanceof ApiException api && (api.code() == 403 || api.code() == 401)) {
                        unread.add(kind.kind() + (kind.group().isEmpty() ? "" : "." + kind.group()));
                    } else if (!(e.getCause() instanceof ApiException api && (api.code() == 404 || api.code() == 405))) {
                        throw e.getCause() instanceof RuntimeException r ? r : e;
                    }
                }
            });
            return NamespaceContents.foreign(items, ours, unread);
        } finally {
            lister.shutdown();
        }
    }

    /** The items' metadata of one kind in the namespace. */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> list(Kind kind, String namespace) {
        var kube = client.kubernetes();
        String url = kube.getMasterUrl().toString().replaceAll("/$", "") + kind.path(namespace);
        return client.call("list " + kind.plural() + " in " + namespace, () -> {
            HttpRequest request = kube.getHttpClient().newHttpRequestBuilder().uri(url).header("Accept", METADATA_ONLY).build();
            HttpResponse<String> response = kube.getHttpClient().sendAsync(request, String.class).get();
            if (!response.isSuccessful()) {
                throw new KubernetesClientException(response.code() + " " + response.message() + " listing " + kind.plural(),
                        response.code(), null);
            }
            Map<String, Object> list = Serialization.unmarshal(response.body(), Map.class);
            List<Map<String, Object>> metadata = new ArrayList<>();
            if (list.get("items") instanceof List<?> items) {
                for (Object item : items) {
                    if (item instanceof Map<?, ?> m && m.get("metadata") instanceof Map<?, ?> md) {
                        metadata.add((Map<String, Object>) md);
                    }
                }
            }
            return metadata;
        });
    }

    /** Every namespaced kind that can be listed, once per group and kind (its group's preferred version first). */
    private List<Kind> kinds() {
        List<Kind> found = kinds;
        if (found != null) {
            return found;
        }
        var kube = client.kubernetes();
        Map<String, Kind> byGroupKind = new LinkedHashMap<>();
        add(byGroupKind, "", "v1", client.call("discover v1", () -> kube.getApiResources("v1")));
        for (APIGroup group : client.call("discover groups", () -> kube.getApiGroups()).getGroups()) {
            List<String> versions = new ArrayList<>();
            versions.add(group.getPreferredVersion().getVersion());
            for (GroupVersionForDiscovery v : group.getVersions()) {
                if (!versions.contains(v.getVersion())) {
                    versions.add(v.getVersion());
                }
            }
            for (String version : versions) {
                add(byGroupKind, group.getName(), version,
                        client.call("discover " + group.getName(), () -> kube.getApiResources(group.getName() + "/" + version)));
            }
        }
        found = List.copyOf(byGroupKind.values());
        kinds = found;
        return found;
    }

    private static void add(Map<String, Kind> byGroupKind, String group, String version, APIResourceList list) {
        if (list == null) {
            return;
        }
        for (APIResource r : list.getResources()) {
            if (Boolean.TRUE.equals(r.getNamespaced()) && !r.getName().contains("/") && r.getVerbs().contains("list")) {
                byGroupKind.putIfAbsent(group + "/" + r.getKind(), new Kind(group, version, r.getKind(), r.getName()));
            }
        }
    }
}
