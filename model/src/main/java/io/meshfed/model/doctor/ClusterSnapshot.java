package io.meshfed.model.doctor;

import io.meshfed.model.resource.Tree;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the doctor read from one cluster, at one moment: every object it lists, by kind (the control
 * planes, peers, member rolls, service sets, Services, routes, MetalLB's objects, the Service Mesh
 * operator's Subscription and CSV), and the kinds the cluster does not serve.
 */
public final class ClusterSnapshot {

    /** Gateway API's Gateways, kept apart from Istio's (both are kind Gateway). */
    public static final String KUBE_GATEWAY = "Gateway.gateway.networking.k8s.io";

    private final String cluster;
    private final Map<String, List<Map<String, Object>>> byKind = new LinkedHashMap<>();
    private final Set<String> notServed;
    private final String reachedAt;
    private final List<RemoteAccess> remoteAccess;
    private final List<IstiodView> istiods;

    /**
     * @param objects   the objects read, each with its {@code kind}
     * @param notServed kinds the cluster does not serve (their operator is not installed): none of them exists
     */
    public ClusterSnapshot(String cluster, List<Map<String, Object>> objects, Set<String> notServed) {
        this(cluster, objects, notServed, null, List.of());
    }

    /**
     * @param reachedAt    the API server URL the doctor reached this cluster at
     * @param remoteAccess what each OSSM 3 remote secret of this cluster did when the doctor used it
     */
    public ClusterSnapshot(String cluster, List<Map<String, Object>> objects, Set<String> notServed, String reachedAt,
                           List<RemoteAccess> remoteAccess) {
        this(cluster, objects, notServed, reachedAt, remoteAccess, List.of());
    }

    /**
     * @param istiods what each istiod Pod of an OSSM 3 control plane said of the clusters it reads
     */
    public ClusterSnapshot(String cluster, List<Map<String, Object>> objects, Set<String> notServed, String reachedAt,
                           List<RemoteAccess> remoteAccess, List<IstiodView> istiods) {
        this.cluster = cluster;
        this.istiods = List.copyOf(istiods);
        this.reachedAt = reachedAt;
        this.remoteAccess = List.copyOf(remoteAccess);
        this.notServed = Set.copyOf(notServed);
        for (Map<String, Object> object : objects) {
            byKind.computeIfAbsent(key(object), k -> new java.util.ArrayList<>()).add(object);
        }
    }

    private static String key(Map<String, Object> object) {
        String kind = String.valueOf(object.get("kind"));
        return String.valueOf(object.get("apiVersion")).startsWith("gateway.networking.k8s.io/") ? kind + ".gateway.networking.k8s.io" : kind;
    }

    public String cluster() {
        return cluster;
    }

    /** Every object of {@code kind} read from the cluster. */
    public List<Map<String, Object>> all(String kind) {
        return byKind.getOrDefault(kind, List.of());
    }

    public List<Map<String, Object>> all(String kind, String namespace) {
        return all(kind).stream().filter(o -> Objects.equals(namespace(o), namespace)).toList();
    }

    public boolean serves(String kind) {
        return !notServed.contains(kind);
    }

    public Optional<Map<String, Object>> find(String kind, String namespace, String name) {
        return all(kind).stream().filter(o -> Objects.equals(namespace(o), namespace) && Objects.equals(name(o), name)).findFirst();
    }

    /** The mesh: the first control plane (a cluster federates one). */
    public Optional<Map<String, Object>> controlPlane() {
        return all("ServiceMeshControlPlane").stream().findFirst();
    }

    /**
     * Whether the cluster's mesh is a federation's on OSSM 3 after the migration removed 2.6 (an Istio without a
     * ServiceMeshControlPlane, not one of an OSSM 3 multi-cluster mesh: no {@code global.multiCluster.clusterName}).
     */
    public boolean migratedFromFederation() {
        return controlPlane().isEmpty() && istio().map(i -> !ofMultiCluster(i)).orElse(false);
    }

    /** Whether an Istio is one of an OSSM 3 multi-cluster mesh (it names its cluster: global.multiCluster.clusterName). */
    public static boolean ofMultiCluster(Map<String, Object> istio) {
        return Tree.get(istio, "spec", "values", "global", "multiCluster", "clusterName") != null;
    }

    /** The mesh's network: its ServiceMeshControlPlane's {@code cluster.network}, else its Istio's {@code global.network}. */
    public Object network() {
        return controlPlane().map(c -> Tree.get(c, "spec", "cluster", "network"))
                .orElseGet(() -> istio().map(i -> Tree.get(i, "spec", "values", "global", "network")).orElse(null));
    }

    /** The mesh's trust domain, from its ServiceMeshControlPlane, else its Istio's meshConfig. */
    public String trustDomain() {
        return controlPlane().map(MeshObjects::trustDomain).orElseGet(() -> istio().map(i -> Objects.toString(
                Tree.get(i, "spec", "values", "meshConfig", "trustDomain"), MeshObjects.DEFAULT_TRUST_DOMAIN)).orElse(null));
    }

    /** Whether the mesh accepts identities of {@code trustDomain}: its own, or one of its control plane's aliases. */
    public boolean accepts(String trustDomain) {
        if (Objects.equals(trustDomain(), trustDomain)) {
            return true;
        }
        Object aliases = controlPlane().map(c -> Tree.get(c, "spec", "techPreview", "meshConfig", "trustDomainAliases"))
                .orElseGet(() -> istio().map(i -> Tree.get(i, "spec", "values", "meshConfig", "trustDomainAliases")).orElse(null));
        return aliases instanceof List<?> list && list.contains(trustDomain);
    }

    /** An OSSM 3 control plane (the Sail operator's Istio), if the cluster has one. */
    public Optional<Map<String, Object>> istio() {
        return all("Istio").stream().findFirst();
    }

    /** Where the doctor reached this cluster's API server (null where not said). */
    public String reachedAt() {
        return reachedAt;
    }

    public List<RemoteAccess> remoteAccess() {
        return remoteAccess;
    }

    /** What each istiod Pod said of the clusters it reads (none asked: empty). */
    public List<IstiodView> istiods() {
        return istiods;
    }

    public List<Map<String, Object>> peers() {
        return all("ServiceMeshPeer");
    }

    public Optional<Map<String, Object>> service(String namespace, String name) {
        return find("Service", namespace, name);
    }

    public Optional<Map<String, Object>> configMap(String namespace, String name) {
        return find("ConfigMap", namespace, name);
    }

    static String namespace(Map<String, Object> object) {
        return (String) Tree.get(object, "metadata", "namespace");
    }

    static String name(Map<String, Object> object) {
        return (String) Tree.get(object, "metadata", "name");
    }
}
