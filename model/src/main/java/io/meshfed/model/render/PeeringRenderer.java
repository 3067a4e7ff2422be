package io.meshfed.model.render;

import io.meshfed.model.inventory.ClusterSpec;
import io.meshfed.model.resource.LiveValue;
import io.meshfed.model.resource.Readiness;
import io.meshfed.model.resource.Tree;

import java.util.List;

import static io.meshfed.model.render.FederationNames.DISCOVERY_PORT;
import static io.meshfed.model.render.FederationNames.SERVICE_PORT;

/**
 * For one cluster and one peer: the ConfigMap with the peer's root CA, and the ServiceMeshPeer that
 * points at the peer's federation ingress (seed, "Federating the OpenShift ServiceMesh Control
 * Planes"). Both hold values read from the peer cluster's live state.
 */
final class PeeringRenderer {

    static final String FEDERATION_API = "federation.maistra.io/v1";

    private PeeringRenderer() {
    }

    /**
     * A load balancer's address: an IP (MetalLB; Azure, GCP, OpenStack) or a hostname (AWS); a
     * ServiceMeshPeer's remote address takes either.
     */
    static final LiveValue.OneOf ADDRESS = new LiveValue.OneOf(List.of("ip", "hostname"));

    /**
     * @param federating false once the migration cut over: the peer's CA ConfigMap stays (OSSM 3 trusts that root),
     *                   the ServiceMeshPeer goes
     */
    static void render(ClusterSpec local, ClusterSpec peer, boolean federating, Rendering out) {
        String ns = local.mesh().namespace();
        String peerMesh = peer.mesh().name();
        String caName = FederationNames.peerCaConfigMap(peerMesh);

        out.managed(local.name(), "v1", "ConfigMap", ns, caName,
                Tree.map("data", Tree.map(FederationNames.ROOT_CERT_KEY,
                        LiveValue.of(ControlPlaneRenderer.caRootConfigMap(peer), "data", FederationNames.ROOT_CERT_KEY))),
                Readiness.EXISTS, "peering", Tags.PEER_CA);
        if (!federating) {
            return;
        }

        LiveValue peerAddress = LiveValue.of(ControlPlaneRenderer.ingressService(peer, local.mesh().name()),
                "status", "loadBalancer", "ingress", 0, ADDRESS);
        out.managed(local.name(), FEDERATION_API, "ServiceMeshPeer", ns, peerMesh,
                Tree.map("spec", Tree.map(
                        "remote", Tree.map(
                                "addresses", List.of(peerAddress),
                                "discoveryPort", DISCOVERY_PORT,
                                "servicePort", SERVICE_PORT),
                        "gateways", Tree.map(
                                "ingress", Tree.map("name", FederationNames.ingressGateway(peerMesh)),
                                "egress", Tree.map("name", FederationNames.egressGateway(peerMesh))),
                        "security", Tree.map(
                                "trustDomain", peer.mesh().trustDomain(),
                                "clientID", FederationNames.clientId(peer.mesh().trustDomain(), peer.mesh().namespace(),
                                        local.mesh().name()),
                                "certificateChain", Tree.map("kind", "ConfigMap", "name", caName)))),
                Readiness.PEER_CONNECTED, "peering", Tags.PEER);
    }
}
