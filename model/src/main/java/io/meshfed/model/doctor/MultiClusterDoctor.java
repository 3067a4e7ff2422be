package io.meshfed.model.doctor;

import io.meshfed.model.resource.Tree;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Why an OpenShift Service Mesh 3 multi-primary, multi-network mesh does not work: pure checks over the
 * snapshots of its clusters (those with a Sail operator {@code Istio}). Per cluster: the control plane is
 * Ready; the mesh ID is the others'; the cluster name is its own; the network is said alike by
 * {@code global.network}, the control-plane namespace's label and the east-west gateway; the root of
 * trust is the others' and istiod signs under it (not a CA of its own); the east-west gateway has an
 * address; the cross-network Gateway passes 15443 through. Per other cluster ({@link RemoteSecretChecks}):
 * the remote secret is where istiod looks, named as the peer calls itself, its kubeconfig reaches the
 * peer's API server and may read it, and istiod itself says it synced the peer ({@link IstiodView}). Sources: the Sail operator's guide (docs/deployment-models/multicluster.adoc) and
 * Istio's "Install Multi-Primary on different networks" and "Plug in CA Certificates".
 */
public final class MultiClusterDoctor {

    static final String GUIDE = "Sail operator multicluster.adoc";
    private static final String NETWORK_LABEL = "topology.istio.io/network";

    private final List<ClusterSnapshot> mesh;

    private MultiClusterDoctor(List<ClusterSnapshot> mesh) {
        this.mesh = mesh;
    }

    /** The OSSM 3 clusters among {@code clusters}: the ones with an Istio and no ServiceMeshControlPlane. */
    static List<ClusterSnapshot> ossm3(List<ClusterSnapshot> clusters) {
        return clusters.stream().filter(c -> c.istio().isPresent() && c.controlPlane().isEmpty()).toList();
    }

    /** Every finding of one OSSM 3 cluster, then of its link to each other one. */
    static List<Finding> check(ClusterSnapshot cluster, List<ClusterSnapshot> clusters) {
        MultiClusterDoctor doctor = new MultiClusterDoctor(ossm3(clusters));
        List<Finding> findings = new ArrayList<>();
        Map<String, Object> istio = cluster.istio().orElseThrow();
        findings.add(controlPlane(cluster, istio));
        findings.add(doctor.meshId(cluster));
        findings.add(doctor.clusterName(cluster));
        findings.add(doctor.network(cluster, istio));
        findings.add(doctor.namespaces(cluster, istio));
        findings.add(doctor.services(cluster, istio));
        findings.add(doctor.rootOfTrust(cluster));
        findings.add(eastWest(cluster, istio));
        findings.add(crossNetwork(cluster, istio));
        for (ClusterSnapshot peer : doctor.mesh) {
            // a peer whose cluster name another cluster has too cannot be told apart, by istiod or by these checks:
            // its links are not judged until "cluster name" passes (which says why)
            if (peer != cluster && !doctor.nameShared(peer)) {
                findings.addAll(RemoteSecretChecks.check(cluster, peer));
            }
        }
        return findings;
    }

    private static Finding controlPlane(ClusterSnapshot c, Map<String, Object> istio) {
        String where = MeshObjects.where(c.cluster(), istio);
        String ready = MeshObjects.condition(istio, "Ready", "status");
        if (!"True".equals(ready)) {
            return Finding.fail(c.cluster(), null, "control plane", where + " is not Ready (Ready=" + ready + ": "
                    + MeshObjects.condition(istio, "Ready", "message") + ")", "see the Sail operator's status on " + where);
        }
        return Finding.ok(c.cluster(), null, "control plane", where + " Ready, " + Tree.get(istio, "spec", "version")
                + ", revision " + Tree.get(istio, "status", "activeRevisionName"));
    }

    /** Istio multi-primary: "the same meshID" on every cluster of the mesh. */
    private Finding meshId(ClusterSnapshot c) {
        String id = global(c, "meshID");
        Map<String, String> others = new LinkedHashMap<>();
        for (ClusterSnapshot o : mesh) {
            if (o != c && !Objects.equals(global(o, "meshID"), id)) {
                others.put(o.cluster(), global(o, "meshID"));
            }
        }
        if (id == null || !others.isEmpty()) {
            return Finding.fail(c.cluster(), null, "mesh ID", c.cluster() + "'s Istio has global.meshID " + id
                    + (others.isEmpty() ? "" : "; " + others) + " (" + GUIDE + ": every cluster of a mesh has the same meshID)",
                    "set mesh_id once for all hosts in the inventory (group_vars/all) and apply");
        }
        return Finding.ok(c.cluster(), null, "mesh ID", "global.meshID " + id + ", as on " + mesh.size() + " clusters");
    }

    private boolean nameShared(ClusterSnapshot peer) {
        String name = clusterNameOf(peer);
        return mesh.stream().anyMatch(o -> o != peer && Objects.equals(clusterNameOf(o), name));
    }

    /** istiod knows each remote cluster by its clusterName: two alike and one hides the other. */
    private Finding clusterName(ClusterSnapshot c) {
        String name = clusterNameOf(c);
        List<String> same = mesh.stream().filter(o -> o != c && Objects.equals(clusterNameOf(o), name))
                .map(ClusterSnapshot::cluster).toList();
        if (name == null || !same.isEmpty()) {
            return Finding.fail(c.cluster(), null, "cluster name", "global.multiCluster.clusterName " + name
                    + (same.isEmpty() ? "" : ", also " + String.join(", ", same) + "'s")
                    + " (istiod tells remote clusters apart by it)", "give each host its own mesh_cluster_name and apply");
        }
        return Finding.ok(c.cluster(), null, "cluster name", "global.multiCluster.clusterName " + name + ", its own");
    }

    /**
     * Namespace sameness (Istio "Deployment models: namespace sameness"): a namespace in the mesh on another
     * cluster is in it here too, so its Services have a name here and their endpoints are one Service's; and
     * the Istio's discoverySelectors (meshConfig), where set, admit every mesh namespace (istiod ignores the
     * Services of the others).
     */
    private Finding namespaces(ClusterSnapshot c, Map<String, Object> istio) {
        List<String> here = meshNamespaces(c);
        List<String> missing = new ArrayList<>();
        for (ClusterSnapshot o : mesh) {
            for (String ns : meshNamespaces(o)) {
                if (o != c && !here.contains(ns) && !missing.contains(ns + " (in the mesh on " + o.cluster() + ")")) {
                    missing.add(ns + " (in the mesh on " + o.cluster() + ")");
                }
            }
        }
        List<Map<String, Object>> selectors = Tree.maps(istio, "spec", "values", "meshConfig", "discoverySelectors");
        List<String> unselected = new ArrayList<>();
        if (!selectors.isEmpty()) {
            for (String ns : here) {
                Map<?, ?> labels = c.find("Namespace", null, ns).map(n -> Tree.get(n, "metadata", "labels"))
                        .filter(Map.class::isInstance).map(Map.class::cast).orElse(Map.of());
                boolean admitted = selectors.stream().anyMatch(s -> Tree.get(s, "matchLabels") instanceof Map<?, ?> m
                        && labels.entrySet().containsAll(m.entrySet()));
                if (!admitted) {
                    unselected.add(ns);
                }
            }
        }
        if (!missing.isEmpty() || !unselected.isEmpty()) {
            return Finding.fail(c.cluster(), null, "namespaces", (missing.isEmpty() ? "" : "not in the mesh here: "
                    + String.join(", ", missing) + " (namespace sameness: its Services have no name here) ")
                    + (unselected.isEmpty() ? "" : "not admitted by the Istio's discoverySelectors: " + unselected),
                    "the same mesh_members on every host (meshfed labels them istio-injection=enabled), and "
                            + "discoverySelectors that match them");
        }
        return Finding.ok(c.cluster(), null, "namespaces", here.isEmpty() ? "no namespace in the mesh on any cluster"
                : "mesh namespaces " + here + ", as on the other clusters" + (selectors.isEmpty() ? "" : ", admitted by discoverySelectors"));
    }

    /**
     * Istio "Deployment models" (namespace sameness) and "DNS Proxying": a sidecar calls another cluster's
     * Service by a name its own cluster defines, unless its DNS proxy answers for every Service istiod knows
     * (ISTIO_META_DNS_CAPTURE). A warning, not a failure: the doctor cannot know which Services are called from here.
     */
    private Finding services(ClusterSnapshot c, Map<String, Object> istio) {
        if ("true".equals(String.valueOf(Tree.get(istio, "spec", "values", "meshConfig", "defaultConfig", "proxyMetadata",
                "ISTIO_META_DNS_CAPTURE")))) {
            return Finding.ok(c.cluster(), null, "services", "DNS capture (meshConfig.defaultConfig.proxyMetadata): sidecars "
                    + "here resolve every Service of the mesh, defined here or not");
        }
        List<String> here = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (ClusterSnapshot o : mesh) {
            for (String ns : meshNamespaces(o)) {
                for (Map<String, Object> service : o.all("Service", ns)) {
                    String name = Tree.get(service, "metadata", "name") + "." + ns;
                    if (c.service(ns, (String) Tree.get(service, "metadata", "name")).isPresent()) {
                        if (!here.contains(name)) {
                            here.add(name);
                        }
                    } else if (missing.stream().noneMatch(m -> m.startsWith(name + " "))) {
                        missing.add(name + " (on " + o.cluster() + ")");
                    }
                }
            }
        }
        if (!missing.isEmpty()) {
            return new Finding(c.cluster(), null, "services", Finding.Status.WARN, "not defined here: " + String.join(", ", missing)
                    + ": a sidecar here has no name to call them by (namespace sameness), nor DNS capture",
                    "list them in mesh_services (meshfed defines them here), or set mesh_reachability: dns-capture");
        }
        return Finding.ok(c.cluster(), null, "services", here.isEmpty() ? "no Service in the mesh's namespaces"
                : "every Service of the mesh's namespaces is defined here too: " + here);
    }

    /** The namespaces labelled for injection (istio-injection=enabled, or a revision): the mesh's, on that cluster. */
    private static List<String> meshNamespaces(ClusterSnapshot c) {
        List<String> names = new ArrayList<>();
        for (Map<String, Object> n : c.all("Namespace")) {
            if ("enabled".equals(label(n, "istio-injection")) || label(n, "istio.io/rev") != null) {
                names.add((String) Tree.get(n, "metadata", "name"));
            }
        }
        return names;
    }

    /**
     * The network, said alike by global.network, the control-plane namespace and the east-west gateway; and
     * its own: a network name another cluster has too tells istiod to send traffic to that cluster's pod IPs
     * directly (a warning: right only where the clusters share a flat network).
     */
    private Finding network(ClusterSnapshot c, Map<String, Object> istio) {
        String network = global(c, "network");
        String ns = namespaceOf(istio);
        String nsLabel = c.find("Namespace", null, ns).map(n -> label(n, NETWORK_LABEL)).orElse(null);
        String gatewayLabel = c.service(ns, "istio-eastwestgateway").map(s -> label(s, NETWORK_LABEL)).orElse(null);
        List<String> wrong = new ArrayList<>();
        if (!Objects.equals(nsLabel, network)) {
            wrong.add("namespace " + ns + " is labelled " + NETWORK_LABEL + "=" + nsLabel);
        }
        if (gatewayLabel != null && !Objects.equals(gatewayLabel, network)) {
            wrong.add("Service " + ns + "/istio-eastwestgateway is labelled " + NETWORK_LABEL + "=" + gatewayLabel);
        }
        if (network == null || !wrong.isEmpty()) {
            return Finding.fail(c.cluster(), null, "network", "global.network " + network + "; " + String.join("; ", wrong)
                    + " (" + GUIDE + ": label the control-plane namespace with the cluster's network; the east-west gateway "
                    + "serves that network)", "meshfed apply puts the labels back (mesh_network)");
        }
        List<String> same = mesh.stream().filter(o -> o != c && Objects.equals(global(o, "network"), network))
                .map(ClusterSnapshot::cluster).toList();
        if (!same.isEmpty()) {
            return new Finding(c.cluster(), null, "network", Finding.Status.WARN, "network " + network + " is also "
                    + String.join(", ", same) + "'s: istiod reaches their pods directly, not through an east-west gateway "
                    + "(right only where the clusters share one flat pod network)", "give each host its own mesh_network "
                    + "(the default) unless their pods reach each other");
        }
        return Finding.ok(c.cluster(), null, "network", "network " + network + " on the Istio, namespace " + ns
                + " and the east-west gateway, no other cluster's");
    }

    /**
     * Istio "Plug in CA Certificates": every cluster's intermediate chains to one root, and istiod signs with
     * cacerts only if it found the Secret when it started (else it makes a CA of its own, which no other cluster
     * trusts).
     */
    private Finding rootOfTrust(ClusterSnapshot c) {
        String ns = namespaceOf(c.istio().orElseThrow());
        String root = cacertsRoot(c);
        if (root == null) {
            return Finding.fail(c.cluster(), null, "root of trust", "no cacerts Secret (or no root-cert.pem in it) in " + ns
                    + ": istiod signs with a CA of its own, which the other clusters do not trust",
                    "meshfed apply issues cacerts from mesh_trust; then restart istiod (kubectl rollout restart "
                            + "deployment/istiod -n " + ns + ")");
        }
        String published = c.configMap(ns, "istio-ca-root-cert").map(m -> (String) Tree.get(m, "data", "root-cert.pem"))
                .orElse(null);
        if (published == null || !fingerprint(published).equals(fingerprint(root))) {
            return Finding.fail(c.cluster(), null, "root of trust", "istiod publishes root " + (published == null ? "none"
                    : fingerprint(published)) + " in " + ns + "/istio-ca-root-cert, not cacerts' " + fingerprint(root)
                    + ": it started before cacerts existed and signs with a CA of its own",
                    "restart istiod: kubectl rollout restart deployment/istiod -n " + ns);
        }
        Map<String, String> others = new LinkedHashMap<>();
        for (ClusterSnapshot o : mesh) {
            String theirs = cacertsRoot(o);
            if (o != c && theirs != null && !fingerprint(theirs).equals(fingerprint(root))) {
                others.put(o.cluster(), fingerprint(theirs));
            }
        }
        if (!others.isEmpty()) {
            return Finding.fail(c.cluster(), null, "root of trust", "cacerts' root " + fingerprint(root) + " differs from "
                    + others + ": workloads of these clusters do not trust each other",
                    "one mesh_trust for all hosts; meshfed apply issues every cluster's intermediate from it");
        }
        return Finding.ok(c.cluster(), null, "root of trust", "cacerts' root " + fingerprint(root)
                + ", the same on " + mesh.size() + " clusters, and the one istiod publishes");
    }

    /** The east-west gateway's Service has a load-balancer address and 15443: the other networks' way in. */
    private static Finding eastWest(ClusterSnapshot c, Map<String, Object> istio) {
        String ns = namespaceOf(istio);
        Optional<Map<String, Object>> service = c.service(ns, "istio-eastwestgateway");
        if (service.isEmpty()) {
            return Finding.fail(c.cluster(), null, "east-west", "no Service " + ns + "/istio-eastwestgateway: the other "
                    + "networks cannot reach this cluster's workloads", "meshfed apply");
        }
        Object address = Tree.get(service.get(), "status", "loadBalancer", "ingress") instanceof List<?> l && !l.isEmpty()
                && l.get(0) instanceof Map<?, ?> m ? Objects.requireNonNullElse(m.get("ip"), m.get("hostname")) : null;
        boolean has15443 = Tree.maps(service.get(), "spec", "ports").stream()
                .anyMatch(p -> Objects.equals(String.valueOf(p.get("port")), "15443"));
        if (!"LoadBalancer".equals(Tree.get(service.get(), "spec", "type")) || address == null || !has15443) {
            return Finding.fail(c.cluster(), null, "east-west", "Service " + ns + "/istio-eastwestgateway: type "
                    + Tree.get(service.get(), "spec", "type") + ", address " + (address == null ? "<pending>" : address)
                    + (has15443 ? "" : ", no port 15443"), "a LoadBalancer Service with an address (MetalLB's pool, "
                    + "the cloud's load balancer) and 15443: meshfed apply");
        }
        return Finding.ok(c.cluster(), null, "east-west", "Service " + ns + "/istio-eastwestgateway at " + address + ":15443");
    }

    /** A Gateway on the east-west gateway passing 15443 through (AUTO_PASSTHROUGH): cross-network mTLS by SNI. */
    private static Finding crossNetwork(ClusterSnapshot c, Map<String, Object> istio) {
        String ns = namespaceOf(istio);
        for (Map<String, Object> gateway : c.all("Gateway")) {
            if (!Objects.equals("eastwestgateway", Tree.get(gateway, "spec", "selector", "istio"))) {
                continue;
            }
            for (Map<String, Object> server : Tree.maps(gateway, "spec", "servers")) {
                if (Objects.equals(String.valueOf(Tree.get(server, "port", "number")), "15443")
                        && "AUTO_PASSTHROUGH".equals(Tree.get(server, "tls", "mode"))) {
                    return Finding.ok(c.cluster(), null, "cross-network", MeshObjects.where(c.cluster(), gateway)
                            + " passes 15443 through (AUTO_PASSTHROUGH) for " + server.get("hosts"));
                }
            }
        }
        return Finding.fail(c.cluster(), null, "cross-network", "no Gateway selecting istio=eastwestgateway passes 15443 "
                + "through (tls.mode AUTO_PASSTHROUGH): " + GUIDE + " \"Expose services\"",
                "meshfed apply (the cross-network-gateway in " + ns + ")");
    }

    /** Whether the URL's host is a loopback address (localhost, 127.0.0.0/8, ::1). */
    public static boolean loopback(String url) {
        String host = url.replaceFirst("^[a-z]+://", "").replaceFirst("[:/].*$", "");
        if (url.matches("^[a-z]+://\\[.*")) {
            host = url.replaceFirst("^[a-z]+://\\[", "").replaceFirst("].*$", "");
        }
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }

    private static String cacertsRoot(ClusterSnapshot c) {
        String ns = namespaceOf(c.istio().orElseThrow());
        return c.find("Secret", ns, "cacerts").map(s -> Tree.get(s, "data", "root-cert.pem"))
                .map(v -> new String(Base64.getDecoder().decode(v.toString()), StandardCharsets.UTF_8)).orElse(null);
    }

    /** SHA-256 of a PEM certificate's DER, shortened: the same root whatever its PEM's line breaks. */
    static String fingerprint(String pem) {
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            byte[] der = Base64.getDecoder().decode(body);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(der);
            return "sha256:" + HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (IllegalArgumentException | NoSuchAlgorithmException e) {
            return "unreadable";
        }
    }

    private static String global(ClusterSnapshot c, String key) {
        return c.istio().map(i -> Tree.get(i, "spec", "values", "global", key)).map(Object::toString).orElse(null);
    }

    static String clusterNameOf(ClusterSnapshot c) {
        return c.istio().map(i -> Tree.get(i, "spec", "values", "global", "multiCluster", "clusterName"))
                .map(Object::toString).orElse(null);
    }

    static String namespaceOf(Map<String, Object> istio) {
        return Objects.toString(Tree.get(istio, "spec", "namespace"), "istio-system");
    }

    static String label(Map<String, Object> object, String key) {
        return Tree.get(object, "metadata", "labels") instanceof Map<?, ?> m ? (String) m.get(key) : null;
    }

    static String annotation(Map<String, Object> object, String key) {
        return Tree.get(object, "metadata", "annotations") instanceof Map<?, ?> m ? (String) m.get(key) : null;
    }
}
