package io.meshfed.model.resource;

/**
 * What makes a node ready, so that its dependents may start. Evaluated against the observed object.
 */
public enum Readiness {
    EXISTS("exists"),
    NAMESPACE_ACTIVE("namespace is Active"),
    CSV_SUCCEEDED("the subscription's ClusterServiceVersion is in phase Succeeded"),
    READY_CONDITION("its operator reports the Ready condition"),
    LOAD_BALANCER_ADDRESS("the Service has a load-balancer ingress address"),
    PEER_CONNECTED("discovery is connected (status.discoveryStatus)"),
    SERVICES_EXPORTED("status lists the exported services"),
    SERVICES_IMPORTED("status lists the imported services"),
    VALUE_PUBLISHED("the referenced field has a value");

    private final String description;

    Readiness(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
