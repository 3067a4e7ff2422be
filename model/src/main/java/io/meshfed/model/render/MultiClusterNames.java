package io.meshfed.model.render;

/**
 * The names an OpenShift Service Mesh 3 multi-cluster mesh uses, as the Sail operator's multi-primary,
 * multi-network guide ({@code docs/deployment-models/multicluster.adoc}) and {@code istioctl
 * create-remote-secret} make them, and the ones meshfed adds (a reader account per cluster that reads).
 */
public final class MultiClusterNames {

    public static final String SAIL_API = "sailoperator.io/v1";
    public static final String ISTIO_NETWORKING_API = "networking.istio.io/v1";
    /** The Istio, IstioCNI and IstioRevisionTag meshfed renders are all named so (one control plane per cluster). */
    public static final String DEFAULT = "default";
    public static final String CNI_NAMESPACE = "istio-cni";
    public static final String CACERTS = "cacerts";
    public static final String NETWORK_LABEL = "topology.istio.io/network";
    public static final String EAST_WEST_GATEWAY = "istio-eastwestgateway";
    public static final String EAST_WEST_SERVICE_ACCOUNT = "istio-eastwestgateway-service-account";
    public static final String EAST_WEST_SDS = "istio-eastwestgateway-sds";
    public static final String CROSS_NETWORK_GATEWAY = "cross-network-gateway";
    public static final int CROSS_NETWORK_PORT = 15443;
    /** istiod's label selecting remote secrets, and the annotation naming the cluster a secret reaches. */
    public static final String MULTICLUSTER_LABEL = "istio/multiCluster";
    public static final String CLUSTER_ANNOTATION = "networking.istio.io/cluster";
    public static final String READER_CLUSTER_ROLE = "meshfed-istio-reader";
    public static final String INJECTION_LABEL = "istio-injection";

    private MultiClusterNames() {
    }

    /** The Secret istiod on one cluster reads to reach {@code peerClusterName}'s API server. */
    public static String remoteSecret(String peerClusterName) {
        return "istio-remote-secret-" + peerClusterName;
    }

    /** On a cluster that is read: the ServiceAccount whose token {@code readerClusterName}'s istiod uses. */
    public static String reader(String readerClusterName) {
        return "meshfed-reader-" + readerClusterName;
    }

    /** The ConfigMap every namespace has with the cluster's CA ({@code ca.crt}), as pods trust the API server by it. */
    public static final String ROOT_CA_CONFIG_MAP = "kube-root-ca.crt";
}
