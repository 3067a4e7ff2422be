package io.meshfed.model.render;

import io.meshfed.model.inventory.ClusterSpec;
import io.meshfed.model.inventory.IstioSpec;
import io.meshfed.model.inventory.MultiCluster;
import io.meshfed.model.resource.IssuedCa;
import io.meshfed.model.resource.IssuedToken;
import io.meshfed.model.resource.LiveText;
import io.meshfed.model.resource.LiveValue;
import io.meshfed.model.resource.ObjectRef;
import io.meshfed.model.resource.Readiness;
import io.meshfed.model.resource.Tree;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.meshfed.model.render.MultiClusterNames.*;

/**
 * One cluster of an OpenShift Service Mesh 3 multi-primary, multi-network mesh, as the Sail operator's
 * guide sets it up by hand (docs/deployment-models/multicluster.adoc): the control-plane namespace with
 * its network label, the {@code cacerts} intermediate CA (before istiod starts, or istiod signs with a
 * CA of its own), {@code IstioCNI}, the {@code Istio} with the mesh ID, cluster name and network, the
 * east-west gateway and the cross-network {@code Gateway} on 15443, the member namespaces (the same on
 * every cluster: namespace sameness), and for every other cluster of the mesh both halves of a remote
 * secret: here a reader account the peer's istiod uses, there the Secret holding its kubeconfig.
 */
final class MultiClusterRenderer {

    /** The service ports of the east-west gateway (gen-eastwest-gateway.sh): status, cross-network, istiod, webhook. */
    private static final List<Map<String, Object>> EAST_WEST_PORTS = List.of(
            port("status-port", 15021), port("tls", CROSS_NETWORK_PORT), port("tls-istiod", 15012), port("tls-webhook", 15017));

    private MultiClusterRenderer() {
    }

    /**
     * @param peers the mesh's other clusters: each reads this one's API server, and this one reads theirs
     */
    static void render(ClusterSpec cluster, List<ClusterSpec> peers, MultiCluster mesh, Rendering out) {
        IstioSpec istio = cluster.istio();
        String c = cluster.name();
        String ns = cluster.mesh().namespace();
        out.namespace(c, ns, Map.of(NETWORK_LABEL, istio.network()));
        Map<String, Object> cacerts = Tree.map();
        for (String key : List.of(IssuedCa.CA_CERT, IssuedCa.CA_KEY, IssuedCa.ROOT_CERT, IssuedCa.CERT_CHAIN)) {
            cacerts.put(key, new IssuedCa(istio.clusterName(), key));
        }
        out.managed(c, "v1", "Secret", ns, CACERTS, Tree.map("type", "Opaque", "data", cacerts), Readiness.EXISTS,
                "trust", Tags.CACERTS);

        out.namespace(c, CNI_NAMESPACE);
        out.managed(c, SAIL_API, "IstioCNI", null, DEFAULT,
                Tree.map("spec", Tree.map("version", istio.version(), "namespace", CNI_NAMESPACE)),
                Readiness.READY_CONDITION, "control plane", Tags.CONTROL_PLANE);
        Map<String, Object> values = Tree.map("global", Tree.map(
                "meshID", mesh.meshId(),
                "multiCluster", Tree.map("clusterName", istio.clusterName()),
                "network", istio.network()));
        if (MultiCluster.DNS_CAPTURE.equals(mesh.reachability())) {
            // Istio "DNS Proxying": the sidecar answers for every Service istiod knows, another cluster's too
            values.put("meshConfig", Tree.map("defaultConfig", Tree.map("proxyMetadata", Tree.map(
                    "ISTIO_META_DNS_CAPTURE", "true", "ISTIO_META_DNS_AUTO_ALLOCATE", "true"))));
        }
        out.managed(c, SAIL_API, "Istio", null, DEFAULT,
                Tree.map("spec", Tree.map(
                        "version", istio.version(),
                        "namespace", ns,
                        "updateStrategy", Tree.map("type", istio.updateStrategy()),
                        "values", Tree.deepMerge(values, istio.values()))),
                Readiness.READY_CONDITION, "control plane", Tags.CONTROL_PLANE);
        if (IstioSpec.REVISION_BASED.equals(istio.updateStrategy())) {
            // istio-injection=enabled follows the tag to whichever revision is active
            out.managed(c, SAIL_API, "IstioRevisionTag", null, DEFAULT,
                    Tree.map("spec", Tree.map("targetRef", Tree.map("kind", "Istio", "name", DEFAULT))),
                    Readiness.EXISTS, "control plane", Tags.MESH_WORKLOAD);
        }
        eastWestGateway(c, ns, istio.network(), out);
        for (String member : cluster.members()) {
            out.namespace(c, member, Map.of(INJECTION_LABEL, "enabled"), Tags.MEMBER_NAMESPACE);
        }
        if (MultiCluster.NAMESPACE_SAMENESS.equals(mesh.reachability())) {
            sameServices(cluster, peers, mesh, out);
        }
        readerRole(c, out);
        for (ClusterSpec peer : peers) {
            reader(cluster, peer, out);
            remoteSecretOf(cluster, peer, out, mesh);
        }
    }

    private static void eastWestGateway(String c, String ns, String network, Rendering out) {
        Map<String, String> labels = Map.of("app", EAST_WEST_GATEWAY, "istio", "eastwestgateway", NETWORK_LABEL, network);
        out.managed(c, "v1", "ServiceAccount", ns, EAST_WEST_SERVICE_ACCOUNT, labels, Map.of(), Map.of(), Readiness.EXISTS,
                "east-west gateway");
        out.managed(c, "rbac.authorization.k8s.io/v1", "Role", ns, EAST_WEST_SDS, Tree.map("rules", List.of(Tree.map(
                        "apiGroups", List.of(""), "resources", List.of("secrets"), "verbs", List.of("get", "watch", "list")))),
                Readiness.EXISTS, "east-west gateway");
        out.managed(c, "rbac.authorization.k8s.io/v1", "RoleBinding", ns, EAST_WEST_SDS, Tree.map(
                        "roleRef", Tree.map("apiGroup", "rbac.authorization.k8s.io", "kind", "Role", "name", EAST_WEST_SDS),
                        "subjects", List.of(Tree.map("kind", "ServiceAccount", "name", EAST_WEST_SERVICE_ACCOUNT))),
                Readiness.EXISTS, "east-west gateway");
        Map<String, Object> selector = Tree.map("app", EAST_WEST_GATEWAY, "istio", "eastwestgateway", NETWORK_LABEL, network);
        List<Map<String, Object>> containerPorts = new ArrayList<>();
        for (int p : List.of(15021, CROSS_NETWORK_PORT, 15012, 15017)) {
            containerPorts.add(Tree.map("containerPort", p, "protocol", "TCP"));
        }
        out.managed(c, "apps/v1", "Deployment", ns, EAST_WEST_GATEWAY, labels, Map.of(), Tree.map("spec", Tree.map(
                        "selector", Tree.map("matchLabels", selector),
                        "template", Tree.map(
                                "metadata", Tree.map(
                                        // the injector's gateway template makes this an Envoy gateway of the mesh
                                        "annotations", Tree.map("inject.istio.io/templates", "gateway"),
                                        "labels", Tree.deepMerge(selector, Tree.map("sidecar.istio.io/inject", "true"))),
                                "spec", Tree.map(
                                        "serviceAccountName", EAST_WEST_SERVICE_ACCOUNT,
                                        "containers", List.of(Tree.map(
                                                "name", "istio-proxy",
                                                "image", "auto",
                                                "env", List.of(Tree.map("name", "ISTIO_META_REQUESTED_NETWORK_VIEW",
                                                        "value", network)),
                                                "ports", containerPorts,
                                                "securityContext", Tree.map(
                                                        "allowPrivilegeEscalation", false,
                                                        "capabilities", Tree.map("drop", List.of("ALL")),
                                                        "privileged", false,
                                                        "readOnlyRootFilesystem", true))))))),
                Readiness.EXISTS, "east-west gateway", Tags.MESH_WORKLOAD);
        out.managed(c, "v1", "Service", ns, EAST_WEST_GATEWAY, labels, Map.of(), Tree.map("spec", Tree.map(
                        "type", "LoadBalancer",
                        "selector", selector,
                        "ports", EAST_WEST_PORTS)),
                Readiness.LOAD_BALANCER_ADDRESS, "east-west gateway", Tags.LB_ADDRESS);
        out.managed(c, ISTIO_NETWORKING_API, "Gateway", ns, CROSS_NETWORK_GATEWAY, Tree.map("spec", Tree.map(
                        "selector", Tree.map("istio", "eastwestgateway"),
                        "servers", List.of(Tree.map(
                                "port", Tree.map("number", CROSS_NETWORK_PORT, "name", "tls", "protocol", "TLS"),
                                "tls", Tree.map("mode", "AUTO_PASSTHROUGH"),
                                "hosts", List.of("*.local"))))),
                Readiness.EXISTS, "east-west gateway", Tags.MESH_WORKLOAD);
    }

    /**
     * Namespace sameness for {@code mesh_services}: a sidecar calls a Service by a name its own cluster defines,
     * so each one another cluster's manifests define is defined here too (its labels, ports and selector: no pod
     * here, its endpoints are the other clusters'), unless this cluster's manifests define it themselves.
     */
    private static void sameServices(ClusterSpec cluster, List<ClusterSpec> peers, MultiCluster mesh, Rendering out) {
        for (String service : mesh.services()) {
            String name = service.substring(0, service.indexOf('.'));
            String ns = service.substring(service.indexOf('.') + 1);
            if (definition(cluster, name, ns) != null) {
                continue;
            }
            for (ClusterSpec peer : peers) {
                Map<String, Object> defined = definition(peer, name, ns);
                if (defined != null) {
                    Map<String, String> labels = new java.util.TreeMap<>();
                    if (Tree.get(defined, "metadata", "labels") instanceof Map<?, ?> l) {
                        l.forEach((k, v) -> labels.put(String.valueOf(k), String.valueOf(v)));
                    }
                    out.managed(cluster.name(), "v1", "Service", ns, name, labels, Map.of(), Tree.map("spec", Tree.map(
                                    "ports", Tree.get(defined, "spec", "ports"),
                                    "selector", Tree.get(defined, "spec", "selector"))),
                            Readiness.EXISTS, "reachability (namespace sameness, as " + peer.name() + " defines it)", Tags.APP);
                    break;
                }
            }
        }
    }

    /** The Service {@code ns/name} as {@code cluster}'s own manifests define it, or null. */
    private static Map<String, Object> definition(ClusterSpec cluster, String name, String ns) {
        for (io.meshfed.model.inventory.Manifest m : cluster.manifests()) {
            ObjectRef ref = Rendering.refOf(cluster.name(), m.object());
            if ("Service".equals(ref.kind()) && name.equals(ref.name()) && ns.equals(ref.namespace())) {
                return m.object();
            }
        }
        return null;
    }

    /** What istiod reads on a remote cluster (Istio's istio-reader-clusterrole), bound per reading cluster. */
    private static void readerRole(String c, Rendering out) {
        List<String> read = List.of("get", "list", "watch");
        out.managed(c, "rbac.authorization.k8s.io/v1", "ClusterRole", null, READER_CLUSTER_ROLE, Tree.map("rules", List.of(
                Tree.map("apiGroups", List.of("config.istio.io", "security.istio.io", "networking.istio.io",
                        "authentication.istio.io", "rbac.istio.io", "telemetry.istio.io", "extensions.istio.io"),
                        "resources", List.of("*"), "verbs", read),
                Tree.map("apiGroups", List.of(""), "resources", List.of("endpoints", "pods", "services", "nodes",
                        "replicationcontrollers", "namespaces", "secrets"), "verbs", read),
                Tree.map("apiGroups", List.of("gateway.networking.k8s.io"), "resources", List.of("gateways"), "verbs", read),
                Tree.map("apiGroups", List.of("apiextensions.k8s.io"), "resources", List.of("customresourcedefinitions"),
                        "verbs", read),
                Tree.map("apiGroups", List.of("discovery.k8s.io"), "resources", List.of("endpointslices"), "verbs", read),
                Tree.map("apiGroups", List.of("multicluster.x-k8s.io"), "resources", List.of("serviceexports"), "verbs", read),
                Tree.map("apiGroups", List.of("apps"), "resources", List.of("replicasets"), "verbs", read),
                Tree.map("apiGroups", List.of("authentication.k8s.io"), "resources", List.of("tokenreviews"),
                        "verbs", List.of("create")),
                Tree.map("apiGroups", List.of("authorization.k8s.io"), "resources", List.of("subjectaccessreviews"),
                        "verbs", List.of("create")))),
                Readiness.EXISTS, "remote access");
    }

    /** On {@code cluster}: the account {@code reader}'s istiod reads it as. */
    private static void reader(ClusterSpec cluster, ClusterSpec reader, Rendering out) {
        String c = cluster.name();
        String ns = cluster.mesh().namespace();
        String account = MultiClusterNames.reader(reader.istio().clusterName());
        out.managed(c, "v1", "ServiceAccount", ns, account, Map.of(), Readiness.EXISTS, "remote access");
        out.managed(c, "rbac.authorization.k8s.io/v1", "ClusterRoleBinding", null, account, Tree.map(
                        "roleRef", Tree.map("apiGroup", "rbac.authorization.k8s.io", "kind", "ClusterRole",
                                "name", READER_CLUSTER_ROLE),
                        "subjects", List.of(Tree.map("kind", "ServiceAccount", "name", account, "namespace", ns))),
                Readiness.EXISTS, "remote access");
    }

    /**
     * On {@code cluster}: the Secret its istiod finds {@code peer} by, a kubeconfig as {@code istioctl
     * create-remote-secret} writes it, with the peer's API server URL and CA read from the peer and a token of
     * the peer's reader account issued by the peer (bounded: {@code mesh_reader_token_lifetime}, renewed by a run
     * before it ends, the old one still good meanwhile).
     */
    private static void remoteSecretOf(ClusterSpec cluster, ClusterSpec peer, Rendering out, MultiCluster mesh) {
        String name = peer.istio().clusterName();
        String peerNs = peer.mesh().namespace();
        ObjectRef account = new ObjectRef(peer.name(), "v1", "ServiceAccount", peerNs,
                MultiClusterNames.reader(cluster.istio().clusterName()));
        ObjectRef rootCa = out.observed(peer.name(), "v1", "ConfigMap", peerNs, ROOT_CA_CONFIG_MAP, Readiness.EXISTS);
        Object server = peer.istio().apiServer() != null ? peer.istio().apiServer()
                : LiveValue.of(out.observed(peer.name(), "config.openshift.io/v1", "Infrastructure", null, "cluster",
                Readiness.EXISTS), "status", "apiServerURL");
        LiveText kubeconfig = new LiveText(List.of(
                "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    certificate-authority-data: ",
                LiveValue.of(rootCa, "data", "ca.crt", LiveValue.BASE64_ENCODED),
                "\n    server: ", server,
                "\n  name: " + name + "\ncontexts:\n- context:\n    cluster: " + name + "\n    user: " + name + "\n  name: " + name
                        + "\ncurrent-context: " + name + "\npreferences: {}\nusers:\n- name: " + name + "\n  user:\n    token: ",
                new IssuedToken(LiveValue.of(account, "metadata", "uid"), mesh.readerTokenLifetime()),
                "\n"), true);
        out.managed(cluster.name(), "v1", "Secret", cluster.mesh().namespace(), MultiClusterNames.remoteSecret(name),
                Map.of(MULTICLUSTER_LABEL, "true"), Map.of(CLUSTER_ANNOTATION, name),
                Tree.map("type", "Opaque", "data", Tree.map(name, kubeconfig)), Readiness.EXISTS, "remote access",
                Tags.REMOTE_SECRET);
    }

    private static Map<String, Object> port(String name, int port) {
        return Tree.map("name", name, "port", port, "protocol", "TCP", "targetPort", port);
    }
}
