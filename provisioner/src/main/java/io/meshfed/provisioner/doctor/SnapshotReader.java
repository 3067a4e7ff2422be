package io.meshfed.provisioner.doctor;

import io.meshfed.model.doctor.ClusterSnapshot;
import io.meshfed.model.resource.Tree;
import io.meshfed.provisioner.apply.ApiException;
import io.meshfed.provisioner.apply.ClusterClient;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One snapshot per cluster for the doctor, read concurrently and only read (get and list): the
 * control planes and peers in every namespace, the Services and ConfigMaps of the control planes'
 * namespaces. A kind the cluster does not serve (no Service Mesh operator) reads as none.
 */
public final class SnapshotReader {

    private SnapshotReader() {
    }

    public static List<ClusterSnapshot> read(Map<String, ClusterClient> clients) {
        List<CompletableFuture<ClusterSnapshot>> reading = new ArrayList<>();
        clients.forEach((name, client) -> reading.add(CompletableFuture.supplyAsync(() -> read(name, client))));
        return reading.stream().map(CompletableFuture::join).toList();
    }

    private static ClusterSnapshot read(String cluster, ClusterClient client) {
        List<Map<String, Object>> controlPlanes = served(() -> client.list("maistra.io/v2", "ServiceMeshControlPlane", null));
        List<Map<String, Object>> peers = served(() -> client.list("federation.maistra.io/v1", "ServiceMeshPeer", null));
        Set<String> namespaces = new LinkedHashSet<>();
        controlPlanes.forEach(c -> namespaces.add((String) Tree.get(c, "metadata", "namespace")));
        List<Map<String, Object>> services = new ArrayList<>();
        List<Map<String, Object>> configMaps = new ArrayList<>();
        for (String namespace : namespaces) {
            services.addAll(client.listIn(namespace, "v1", "Service"));
            configMaps.addAll(client.listIn(namespace, "v1", "ConfigMap"));
        }
        return new ClusterSnapshot(cluster, controlPlanes, peers, services, configMaps);
    }

    private static List<Map<String, Object>> served(Supplier<List<Map<String, Object>>> list) {
        try {
            return list.get();
        } catch (ApiException e) {
            if (e.code() == 404) {
                return List.of();
            }
            throw e;
        }
    }
}
