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
import io.fabric8.kubernetes.client.http.HttpClient;
import io.meshfed.model.doctor.IstiodView;
import io.meshfed.model.doctor.RemoteAccess;
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
            new String[] {"networking.istio.io/v1beta1", "ServiceEntry"},
            new String[] {"networking.istio.io/v1beta1", "WorkloadEntry"},
            new String[] {"gateway.networking.k8s.io/v1", "Gateway"},
            new String[] {"metallb.io/v1beta1", "MetalLB"},
            new String[] {"metallb.io/v1beta1", "IPAddressPool"},
            new String[] {"metallb.io/v1beta1", "L2Advertisement"},
            new String[] {"metallb.io/v1beta1", "BGPAdvertisement"},
            new String[] {"operators.coreos.com/v1alpha1", "Subscription"},
            new String[] {"sailoperator.io/v1", "Istio"});

    private SnapshotReader() {
    }

    /**
     * Every cluster's snapshot. For OSSM 3 clusters (an Istio), a second step once all are read: each gets the
     * remote secret named for every other one's cluster name, and uses it ({@link RemoteSecretProbe}).
     */
    public static List<ClusterSnapshot> read(Map<String, ClusterClient> clients) {
        Map<String, CompletableFuture<Read>> reading = new java.util.LinkedHashMap<>();
        clients.forEach((name, client) -> reading.put(name, CompletableFuture.supplyAsync(() -> read(name, client))));
        Map<String, Read> read = new java.util.LinkedHashMap<>();
        reading.forEach((name, r) -> read.put(name, r.join()));
        Set<String> clusterNames = new LinkedHashSet<>();
        read.values().forEach(r -> r.istio().ifPresent(i -> clusterNames.add(clusterName(i))));
        HttpClient.Factory http = clusterNames.size() > 1 ? io.fabric8.kubernetes.client.utils.HttpClientUtils.getHttpClientFactory() : null;
        List<CompletableFuture<ClusterSnapshot>> snapshots = new ArrayList<>();
        read.forEach((name, r) -> snapshots.add(CompletableFuture.supplyAsync(() -> {
            List<RemoteAccess> access = new ArrayList<>();
            r.istio().ifPresent(istio -> remoteSecrets(name, clients.get(name), istio, clusterNames, http, r.objects(), access));
            List<IstiodView> istiods = r.istio().isPresent() && clusterNames.size() > 1
                    ? IstiodDebug.clusterz(clients.get(name), istioNamespace(r.istio().get())) : List.of();
            return new ClusterSnapshot(name, r.objects(), r.notServed(), clients.get(name).url(), access, istiods);
        })));
        return snapshots.stream().map(CompletableFuture::join).toList();
    }

    /** What one cluster's first read found. */
    private record Read(List<Map<String, Object>> objects, Set<String> notServed) {
        java.util.Optional<Map<String, Object>> istio() {
            return objects.stream().filter(o -> "Istio".equals(o.get("kind"))).findFirst();
        }
    }

    /** The remote secret for each other cluster name, where istiod looks for it, and what it does when used. */
    private static void remoteSecrets(String cluster, ClusterClient client, Map<String, Object> istio, Set<String> clusterNames,
                                      HttpClient.Factory http, List<Map<String, Object>> objects, List<RemoteAccess> access) {
        String ns = istioNamespace(istio);
        for (String peer : clusterNames) {
            if (peer.equals(clusterName(istio))) {
                continue;
            }
            String name = "istio-remote-secret-" + peer;
            Map<String, Object> secret = client.get(new ObjectRef(cluster, "v1", "Secret", ns, name));
            if (secret == null) {
                continue;
            }
            objects.add(kinded(List.of(secret), "v1", "Secret").get(0));
            if (Tree.get(secret, "data") instanceof Map<?, ?> data && data.get(peer) instanceof String kubeconfig) {
                access.add(RemoteSecretProbe.probe(ns, name, kubeconfig, http));
            }
        }
    }

    private static String clusterName(Map<String, Object> istio) {
        return String.valueOf(Tree.get(istio, "spec", "values", "global", "multiCluster", "clusterName"));
    }

    private static String istioNamespace(Map<String, Object> istio) {
        return Objects.toString(Tree.get(istio, "spec", "namespace"), "istio-system");
    }

    private static Read read(String cluster, ClusterClient client) {
        List<Map<String, Object>> objects = new ArrayList<>();
        Set<String> notServed = new LinkedHashSet<>();
        Map<String, List<Map<String, Object>>> byKind = new HashMap<>();
        for (String[] kind : CLUSTER_WIDE) {
            List<Map<String, Object>> listed = served(client, kind[0], kind[1]);
            String key = kind[0].startsWith("gateway.networking.k8s.io/") ? ClusterSnapshot.KUBE_GATEWAY : kind[1];
            if (listed == null) {
                notServed.add(key);
                continue;
            }
            byKind.put(key, listed);
            objects.addAll(listed);
        }
        Set<String> namespaces = new LinkedHashSet<>();
        byKind.getOrDefault("ServiceMeshControlPlane", List.of()).forEach(c -> namespaces.add(namespace(c)));
        for (Map<String, Object> istio : byKind.getOrDefault("Istio", List.of())) {
            String ns = istioNamespace(istio);
            namespaces.add(ns);
            Map<String, Object> namespace = client.get(new ObjectRef(cluster, "v1", "Namespace", null, ns));
            if (namespace != null) {
                objects.add(kinded(List.of(namespace), "v1", "Namespace").get(0));
            }
            // the mesh's namespaces (namespace sameness): labelled for injection, by the default or a revision
            for (String selector : List.of("istio-injection=enabled", "istio.io/rev")) {
                for (Map<String, Object> n : kinded(client.list("v1", "Namespace", selector), "v1", "Namespace")) {
                    if (objects.stream().noneMatch(o -> "Namespace".equals(o.get("kind"))
                            && Objects.equals(Tree.get(o, "metadata", "name"), Tree.get(n, "metadata", "name")))) {
                        objects.add(n);
                    }
                }
            }
            Map<String, Object> cacerts = client.get(new ObjectRef(cluster, "v1", "Secret", ns, "cacerts"));
            if (cacerts != null) {
                // the root only: the intermediate's key stays where it is
                Map<String, Object> root = new java.util.LinkedHashMap<>(cacerts);
                root.put("data", Tree.get(cacerts, "data") instanceof Map<?, ?> d && d.get("root-cert.pem") != null
                        ? Map.of("root-cert.pem", d.get("root-cert.pem")) : Map.of());
                objects.add(kinded(List.of(root), "v1", "Secret").get(0));
            }
        }
        boolean federation = !byKind.getOrDefault("ServiceMeshControlPlane", List.of()).isEmpty()
                || byKind.getOrDefault("Istio", List.of()).stream().anyMatch(i -> !ClusterSnapshot.ofMultiCluster(i));
        if (!byKind.getOrDefault("Istio", List.of()).isEmpty() && federation) {
            // a federation migrating (OSSM 3 beside 2.6, or alone once 2.6 is removed): the Pods of the namespaces on a
            // revision, whose proxies must be of it
            List<String> onRevision = objects.stream().filter(o -> "Namespace".equals(o.get("kind"))
                    && Tree.get(o, "metadata", "labels", "istio.io/rev") != null).map(o -> (String) Tree.get(o, "metadata", "name")).toList();
            for (String ns : onRevision) {
                objects.addAll(kinded(client.listIn(ns, "v1", "Pod").stream().map(SnapshotReader::metadataOnly).toList(), "v1", "Pod"));
            }
        }
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
        return new Read(objects, notServed);
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

    /** A Pod's metadata: which proxy it runs is said there (its spec and status are not read). */
    private static Map<String, Object> metadataOnly(Map<String, Object> pod) {
        return Map.of("metadata", Objects.requireNonNullElse(pod.get("metadata"), Map.of()));
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
