package io.meshfed.model.render;

/** The {@code role:} tags renderers give objects, which the default ordering rules select by. */
final class Tags {

    static final String OPERATOR = "role:operator";
    static final String OPERATOR_GROUP = "role:operator-group";
    static final String LB_CONFIG = "role:lb-config";
    static final String CONTROL_PLANE = "role:control-plane";
    static final String LB_ADDRESS = "role:lb-address";
    static final String CA_ROOT = "role:ca-root";
    static final String PEER_CA = "role:peer-ca";
    static final String PEER = "role:peer";
    static final String MEMBER_ROLL = "role:member-roll";
    static final String MEMBER_NAMESPACE = "role:member-namespace";
    static final String SERVICE_SET = "role:service-set";
    static final String APP = "role:app";
    static final String ROUTE = "role:route";
    /** OSSM 3: the intermediate CA istiod must find when it starts. */
    static final String CACERTS = "role:cacerts";
    /** OSSM 3: what needs the running control plane (its injector, its CRDs' webhooks). */
    static final String MESH_WORKLOAD = "role:mesh-workload";
    static final String REMOTE_SECRET = "role:remote-secret";
    /** Migration: the objects of manual service discovery, and the east-west gateway whose address importers read. */
    static final String DISCOVERY = "role:discovery";
    static final String EASTWEST_GATEWAY = "role:eastwest-gateway";
    static final String EASTWEST_ADDRESS = "role:eastwest-address";
    /** Migration: OSSM 3's control plane beside 2.6, and the member namespaces moved to its revision. */
    static final String OSSM3 = "role:ossm3";
    static final String OSSM3_MEMBER = "role:ossm3-member";

    private Tags() {
    }

    static String operator(String key) {
        return "operator:" + key;
    }
}
