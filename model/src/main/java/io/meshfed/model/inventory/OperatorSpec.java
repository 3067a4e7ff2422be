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
 * @param startingCsv         the ClusterServiceVersion OLM installs first (the Subscription's {@code startingCSV}), or null
 * @param approve             which InstallPlans meshfed approves under Manual approval
 */
public record OperatorSpec(OperatorRole role, String packageName, String channel, String source,
                           String sourceNamespace, String namespace, String installPlanApproval, String startingCsv,
                           Approve approve) {

    /**
     * Which InstallPlans meshfed approves when the Subscription waits on one: none (a person does),
     * the one that installs {@code starting_csv} (the pinned version installs; upgrades wait for a
     * person), or all (upgrades happen when meshfed runs, not whenever the catalog changes).
     */
    public enum Approve {
        NONE("none"), STARTING_CSV("starting_csv"), ALL("all");

        private final String key;

        Approve(String key) {
            this.key = key;
        }

        /** As the inventory writes it. */
        public String key() {
            return key;
        }
    }

    /** OpenShift ships this namespace with a global OperatorGroup; a second one would break OLM. */
    public static final String GLOBAL_OPERATORS_NAMESPACE = "openshift-operators";

    public boolean needsOwnOperatorGroup() {
        return !GLOBAL_OPERATORS_NAMESPACE.equals(namespace);
    }
}
