package io.meshfed.model.render;

/**
 * The names and constants of Maistra 2.x federation (see shared/FEDERATION.md for the source lines):
 * what the renderers write, and what the simulated clusters and readiness checks expect.
 */
public final class FederationNames {

    /** istiod's discovery port, and the port of exported services (fed/common/const.go). */
    public static final int DISCOVERY_PORT = 8188;
    public static final int SERVICE_PORT = 15443;
    /** The ConfigMap istiod writes with the mesh's root CA, and its key. */
    public static final String ISTIO_CA_ROOT_CERT = "istio-ca-root-cert";
    public static final String ROOT_CERT_KEY = "root-cert.pem";
    public static final String INGRESS_FOR_LABEL = "federation.maistra.io/ingress-for";
    public static final String EGRESS_FOR_LABEL = "federation.maistra.io/egress-for";
    public static final String ROUTER_MODE = "sni-dnat";

    private FederationNames() {
    }

    /** The ingress gateway a mesh dedicates to one peer: {@code ingress-<peer mesh>}. */
    public static String ingressGateway(String peerMesh) {
        return "ingress-" + peerMesh;
    }

    /** The egress gateway a mesh dedicates to one peer: {@code egress-<peer mesh>}. */
    public static String egressGateway(String peerMesh) {
        return "egress-" + peerMesh;
    }

    /** Gateway pods run as {@code <gateway>-service-account} (istio-operator gateway templates). */
    public static String serviceAccount(String gateway) {
        return gateway + "-service-account";
    }

    /** The ConfigMap holding a peer's root CA in the local control-plane namespace. */
    public static String peerCaConfigMap(String peerMesh) {
        return peerMesh + "-ca-root-cert";
    }

    /**
     * The network view the seed requests for a peer's egress gateway: {@code <peer cluster>-network}
     * ({@code green-network} for cluster green). Istiod filters by it only when multi-network is on, and
     * its own remote network is {@code network-<peer>} (FEDERATION.md), so the value is kept as the seed has it.
     */
    /**
     * A mesh's own network once it prepares to leave federation ({@code cluster.network}): {@code network-<mesh>},
     * the name its peers' federation discovery already files its endpoints under (FEDERATION.md; the migration
     * guide's {@code network-east-mesh}).
     */
    public static String meshNetwork(String mesh) {
        return "network-" + mesh;
    }

    /** istiod's switch to find network gateways among Gateway API Gateways (the migration guide's first step). */
    public static final String DISCOVER_GATEWAY_API = "PILOT_MULTI_NETWORK_DISCOVER_GATEWAY_API";

    /** The label that puts a namespace, gateway or Gateway on a network. */
    public static final String NETWORK_LABEL = "topology.istio.io/network";
    /** The migration's east-west gateway on each exporter (a Gateway API Gateway; istiod deploys {@code <name>-istio}). */
    public static final String EASTWEST_GATEWAY = "eastwestgateway";
    /** The Service istiod's Gateway API deployment controller makes for the east-west gateway. */
    public static final String EASTWEST_SERVICE = EASTWEST_GATEWAY + "-istio";
    /** The Istio Gateway that opens the east-west gateway to the exported hosts alone (AUTO_PASSTHROUGH). */
    public static final String EXPOSED_SERVICES = "expose-services";

    /** The importer's {@code istio-remote} Gateway standing for an exporter's east-west gateway. */
    public static String remoteGateway(String exporterMesh) {
        return "remote-gateway-" + exporterMesh;
    }

    /**
     * The network an importer files an exporter's endpoints under once it discovers them by hand: not
     * {@code network-<mesh>}, which the federation's own discovery uses (the guide: the same name would send
     * imported traffic to the east-west gateway before its ServiceEntries exist).
     */
    public static String remoteNetwork(String exporterMesh) {
        return "eastwest-" + exporterMesh;
    }

    public static String networkView(String peerCluster) {
        return peerCluster + "-network";
    }

    /**
     * The ServiceMeshPeer clientID a mesh accepts from a peer: the peer's egress gateway identity,
     * {@code <peer trust domain>/ns/<peer namespace>/sa/egress-<local mesh>-service-account}.
     */
    public static String clientId(String peerTrustDomain, String peerNamespace, String localMesh) {
        return peerTrustDomain + "/ns/" + peerNamespace + "/sa/" + serviceAccount(egressGateway(localMesh));
    }

    /** The name an exporter gives a service for one peer: {@code name.ns.svc.<peer>-exports.local}. */
    public static String exportedHost(String name, String namespace, String peerName) {
        return name + "." + namespace + ".svc." + peerName + "-exports.local";
    }

    /** The name an importer gives a service from one peer: {@code name.ns.svc.<peer>-imports.local}. */
    public static String importedHost(String name, String namespace, String peerName) {
        return name + "." + namespace + ".svc." + peerName + "-imports.local";
    }

    /** The host of an importAsLocal service: the local cluster domain. */
    public static String localHost(String name, String namespace) {
        return name + "." + namespace + ".svc.cluster.local";
    }
}
