package io.meshfed.model.inventory;

/**
 * The operators meshfed installs, in the order the seed installs them: each waits for the one before
 * it. MetalLB is outside the chain and installed only where the cluster has no cloud load balancer.
 */
public enum OperatorRole {
    ELASTICSEARCH("elasticsearch", "elasticsearch-operator", "stable", "openshift-operators-redhat"),
    JAEGER("jaeger", "jaeger-product", "stable", "openshift-distributed-tracing"),
    KIALI("kiali", "kiali-ossm", "stable", "openshift-operators"),
    SERVICEMESH("servicemesh", "servicemeshoperator", "stable", "openshift-operators"),
    METALLB("metallb", "metallb-operator", "stable", null);

    private final String key;
    private final String defaultPackage;
    private final String defaultChannel;
    private final String defaultNamespace;

    OperatorRole(String key, String defaultPackage, String defaultChannel, String defaultNamespace) {
        this.key = key;
        this.defaultPackage = defaultPackage;
        this.defaultChannel = defaultChannel;
        this.defaultNamespace = defaultNamespace;
    }

    /** The key under {@code operators:} in the inventory. */
    public String key() {
        return key;
    }

    public String defaultPackage() {
        return defaultPackage;
    }

    public String defaultChannel() {
        return defaultChannel;
    }

    /** Null for MetalLB, which goes to the cluster's {@code metallb_namespace}. */
    public String defaultNamespace() {
        return defaultNamespace;
    }

}
