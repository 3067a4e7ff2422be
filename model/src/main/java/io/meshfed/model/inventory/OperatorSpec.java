package io.meshfed.model.inventory;

/**
 * One OLM Subscription.
 *
 * @param role                which operator
 * @param packageName         the package in the catalog (the Subscription's {@code spec.name})
 * @param channel             the update channel
 * @param source              the CatalogSource
 * @param sourceNamespace     the CatalogSource's namespace
 * @param namespace           where the Subscription (and the operator) lives
 * @param installPlanApproval Automatic or Manual
 */
public record OperatorSpec(OperatorRole role, String packageName, String channel, String source,
                           String sourceNamespace, String namespace, String installPlanApproval) {

    /** OpenShift ships this namespace with a global OperatorGroup; a second one would break OLM. */
    public static final String GLOBAL_OPERATORS_NAMESPACE = "openshift-operators";

    public boolean needsOwnOperatorGroup() {
        return !GLOBAL_OPERATORS_NAMESPACE.equals(namespace);
    }
}
