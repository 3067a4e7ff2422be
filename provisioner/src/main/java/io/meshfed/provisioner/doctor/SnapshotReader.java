package io.meshfed.provisioner.doctor;

import io.meshfed.model.doctor.ClusterSnapshot;
import io.meshfed.model.resource.ObjectRef;
import io.meshfed.model.resource.Tree;
import io.meshfed.provisioner.apply.ApiException;
import io.meshfed.provisioner.apply.ClusterClient;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One snapshot per cluster for the doctor, read concurrently and only read (get and list): one list
 * per kind, cluster-wide, of what federation is made of (control planes, peers, member rolls,
 * service sets, Services, VirtualServices, Gateways, MetalLB's objects, Subscriptions), the ConfigMaps
 * of the control planes' namespaces, and the Service Mesh operator's installed CSV. A kind the cluster
 * does not serve (its operator is not installed) reads as none, and the snapshot says so.
 * The same kinds, with these verbs only, are in deploy/'s meshfed-doctor ClusterRole.
 */
public final class SnapshotReader {

    /** apiVersion and kind of everything listed cluster-wide (deploy/doctor-rbac.yaml grants exactly these lists). */
    public static final List<String[]> CLUSTER_WIDE = List.of(
            new String[] {"maistra.io/v2", "ServiceMeshControlPlane"},
            new String[] {"maistra.io/v1", "ServiceMeshMemberRoll"},
            new String[] {"federation.maistra.io/v1", "ServiceMeshPeer"},
            new String[] {"federation.maistra.io/v1", "ExportedServiceSet"},
            new String[] {"federation.maistra.io/v1", "ImportedServiceSet"},
            new String[] {"v1", "Service"},
            new String[] {"networking.istio.io/v1beta1", "VirtualService"},
            new String[] {"networking.istio.io/v1beta1", "Gateway"},
            new String[] {"metallb.io/v1beta1", "MetalLB"},
            new String[] {"metallb.io/v1beta1", "IPAddressPool"},
            new String[] {"metallb.io/v1beta1", "L2Advertisement"},
            new String[] {"metallb.io/v1beta1", "BGPAdvertisement"},
            new String[] {"operators.coreos.com/v1alpha1", "Subscription"});

    private SnapshotReader() {
    }

    public static List<ClusterSnapshot> read(Map<String, ClusterClient> clients) {
        List<CompletableFuture<ClusterSnapshot>> reading = new ArrayList<>();
        clients.forEach((name, client) -> reading.add(CompletableFuture.supplyAsync(() -> read(name, client))));
        return reading.stream().map(CompletableFuture::join).toList();
    }

    private static ClusterSnapshot read(String cluster, ClusterClient client) {
        List<Map<String, Object>> objects = new ArrayList<>();
        Set<String> notServed = new LinkedHashSet<>();
        Map<String, List<Map<String, Object>>> byKind = new HashMap<>();
        for (String[] kind : CLUSTER_WIDE) {
            List<Map<String, Object>> listed = served(client, kind[0], kind[1]);
            if (listed == null) {
                notServed.add(kind[1]);
                continue;
            }
            byKind.put(kind[1], listed);
            objects.addAll(listed);
        }
        Set<String> namespaces = new LinkedHashSet<>();
        byKind.getOrDefault("ServiceMeshControlPlane", List.of()).forEach(c -> namespaces.add(namespace(c)));
        for (String namespace : namespaces) {
            objects.addAll(kinded(client.listIn(namespace, "v1", "ConfigMap"), "v1", "ConfigMap"));
            objects.addAll(kinded(client.listIn(namespace, "v1", "ServiceAccount"), "v1", "ServiceAccount"));
        }
        for (Map<String, Object> subscription : byKind.getOrDefault("Subscription", List.of())) {
            Object installed = Tree.get(subscription, "status", "installedCSV");
            if ("servicemeshoperator".equals(Tree.get(subscription, "spec", "name")) && installed != null) {
                Map<String, Object> csv = client.get(new ObjectRef(cluster, "operators.coreos.com/v1alpha1",
                        "ClusterServiceVersion", namespace(subscription), installed.toString()));
                if (csv != null) {
                    objects.add(csv);
                }
            }
        }
        return new ClusterSnapshot(cluster, objects, notServed);
    }

    /** Every object of the kind, each with its kind and apiVersion; null where the cluster does not serve the kind. */
    private static List<Map<String, Object>> served(ClusterClient client, String apiVersion, String kind) {
        try {
            return kinded(client.list(apiVersion, kind, null), apiVersion, kind);
        } catch (ApiException e) {
            if (e.code() == 404) {
                return null;
            }
            throw e;
        }
    }

    /** A list's items need not carry their kind: the snapshot sorts by it. */
    private static List<Map<String, Object>> kinded(List<Map<String, Object>> items, String apiVersion, String kind) {
        List<Map<String, Object>> out = new ArrayList<>(items.size());
        for (Map<String, Object> item : items) {
            Map<String, Object> copy = new java.util.LinkedHashMap<>(item);
            copy.put("apiVersion", Objects.requireNonNullElse(copy.get("apiVersion"), apiVersion));
            copy.put("kind", kind);
            out.add(copy);
        }
        return out;
    }

    private static String namespace(Map<String, Object> object) {
        return (String) Tree.get(object, "metadata", "namespace");
    }
}
