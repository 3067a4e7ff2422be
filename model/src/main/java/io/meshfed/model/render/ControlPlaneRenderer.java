package io.meshfed.model.render;

import io.meshfed.model.inventory.ClusterSpec;
import io.meshfed.model.inventory.MeshSpec;
import io.meshfed.model.inventory.MigrationPhase;
import io.meshfed.model.resource.ObjectRef;
import io.meshfed.model.resource.Readiness;
import io.meshfed.model.resource.Tree;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.meshfed.model.render.FederationNames.DISCOVERY_PORT;
import static io.meshfed.model.render.FederationNames.SERVICE_PORT;

/**
 * The mesh namespace and the ServiceMeshControlPlane, with one additional ingress and one additional
 * egress gateway per peer (seed, "Deploying the OpenShift ServiceMesh Control Planes"); and the
 * objects the control plane creates that meshfed reads: each federation ingress Service (its
 * load-balancer address) and {@code istio-ca-root-cert} (the mesh's root CA).
 */
@SuppressWarnings("unchecked")
final class ControlPlaneRenderer {

    static final String SMCP_API = "maistra.io/v2";

    private ControlPlaneRenderer() {
    }

    static void render(ClusterSpec cluster, List<ClusterSpec> peers, MigrationPhase phase, Rendering out) {
        MeshSpec mesh = cluster.mesh();
        out.namespace(cluster.name(), mesh.namespace(), Tags.CONTROL_PLANE);

        Map<String, Object> spec = Tree.map("version", mesh.version());
        boolean federating = !peers.isEmpty() && !phase.atLeast(MigrationPhase.CUT_OVER);
        if (federating) {
            spec.put("gateways", gateways(cluster, peers));
        }
        spec.put("security", Tree.map("trust", Tree.map("domain", mesh.trustDomain())));
        if (phase.atLeast(MigrationPhase.PREPARED) && !peers.isEmpty()) {
            prepare(spec, mesh, peers);
        }
        if (phase.atLeast(MigrationPhase.DISCOVERY) && !peers.isEmpty()) {
            // istiod deploys the east-west gateway and reads istio-remote Gateways only with Gateway API on
            // (OSSM 2.6: a technology preview outside ClusterWide mode)
            ((Map<String, Object>) spec.get("techPreview")).put("gatewayAPI", Tree.map("enabled", true));
        }
        spec = Tree.deepMerge(spec, mesh.smcpOverrides());
        if (!phase.atLeast(MigrationPhase.CLEANUP)) {   // the migration's last phase removes 2.6's control plane
            out.managed(cluster.name(), SMCP_API, "ServiceMeshControlPlane", mesh.namespace(), mesh.name(),
                    Tree.map("spec", spec), Readiness.READY_CONDITION, "control plane", Tags.CONTROL_PLANE);
        }

        if (!peers.isEmpty()) {
            out.observed(cluster.name(), "v1", "ConfigMap", mesh.namespace(), FederationNames.ISTIO_CA_ROOT_CERT,
                    Readiness.VALUE_PUBLISHED, Tags.CA_ROOT);
        }
        for (ClusterSpec peer : federating ? peers : List.<ClusterSpec>of()) {
            out.observed(cluster.name(), "v1", "Service", mesh.namespace(),
                    FederationNames.ingressGateway(peer.mesh().name()), Readiness.LOAD_BALANCER_ADDRESS, Tags.LB_ADDRESS);
        }
    }

    /**
     * The migration guide's first step ("Installing OSSM 2.6 Control Planes", the SMCP it shows): trust the peers'
     * trust domains, discover Gateway API network gateways, name this mesh's network as its peers' federation
     * already names it ({@code network-<mesh>}, FEDERATION.md), and leave NetworkPolicies to the user (the east-west
     * gateways of the next phase are reached across namespaces).
     */
    private static void prepare(Map<String, Object> spec, MeshSpec mesh, List<ClusterSpec> peers) {
        List<String> aliases = peers.stream().map(p -> p.mesh().trustDomain()).sorted().distinct().toList();
        spec.put("techPreview", Tree.map("meshConfig", Tree.map("trustDomainAliases", aliases)));
        spec.put("runtime", Tree.map("components", Tree.map("pilot", Tree.map("container", Tree.map("env",
                Tree.map(FederationNames.DISCOVER_GATEWAY_API, "true"))))));
        spec.put("cluster", Tree.map("network", FederationNames.meshNetwork(mesh.name())));
        ((Map<String, Object>) spec.get("security")).put("manageNetworkPolicy", false);
    }

    /** The Service a cluster's mesh exposes to {@code peerMesh}, whose address the peer connects to. */
    static ObjectRef ingressService(ClusterSpec cluster, String peerMesh) {
        return new ObjectRef(cluster.name(), "v1", "Service", cluster.mesh().namespace(),
                FederationNames.ingressGateway(peerMesh));
    }

    static ObjectRef caRootConfigMap(ClusterSpec cluster) {
        return new ObjectRef(cluster.name(), "v1", "ConfigMap", cluster.mesh().namespace(),
                FederationNames.ISTIO_CA_ROOT_CERT);
    }

    private static Map<String, Object> gateways(ClusterSpec cluster, List<ClusterSpec> peers) {
        Map<String, Object> egress = new LinkedHashMap<>();
        Map<String, Object> ingress = new LinkedHashMap<>();
        for (ClusterSpec peer : peers) {
            String peerMesh = peer.mesh().name();
            String egressName = FederationNames.egressGateway(peerMesh);
            egress.put(egressName, Tree.map(
                    "enabled", true,
                    "requestedNetworkView", List.of(FederationNames.networkView(peer.name())),
                    "routerMode", FederationNames.ROUTER_MODE,
                    "service", Tree.map(
                            "metadata", Tree.map("labels", Tree.map(FederationNames.EGRESS_FOR_LABEL, egressName)),
                            "ports", List.of(
                                    Tree.map("port", SERVICE_PORT, "name", "tls"),
                                    Tree.map("port", DISCOVERY_PORT, "name", "http-discovery")))));
            String ingressName = FederationNames.ingressGateway(peerMesh);
            Map<String, Object> metadata = Tree.map("labels", Tree.map(FederationNames.INGRESS_FOR_LABEL, ingressName));
            if (!cluster.loadBalancer().annotations().isEmpty()) {
                metadata.put("annotations", new LinkedHashMap<>(new java.util.TreeMap<>(cluster.loadBalancer().annotations())));
            }
            ingress.put(ingressName, Tree.map(
                    "enabled", true,
                    "routerMode", FederationNames.ROUTER_MODE,
                    "service", Tree.map(
                            "type", "LoadBalancer",
                            "metadata", metadata,
                            "ports", List.of(
                                    Tree.map("port", SERVICE_PORT, "name", "tls"),
                                    Tree.map("port", DISCOVERY_PORT, "name", "https-discovery")))));
        }
        return Tree.map("additionalEgress", egress, "additionalIngress", ingress);
    }
}
