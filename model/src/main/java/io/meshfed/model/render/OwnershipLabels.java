package io.meshfed.model.render;

import java.util.Map;

/**
 * The labels on every object meshfed writes: what teardown and pruning select by, so that they never
 * touch anything else.
 */
public final class OwnershipLabels {

    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY_VALUE = "meshfed";
    public static final String INVENTORY = "meshfed.io/inventory";

    private OwnershipLabels() {
    }

    public static Map<String, String> of(String inventoryName) {
        return Map.of(MANAGED_BY, MANAGED_BY_VALUE, INVENTORY, inventoryName);
    }

    /** A label selector string, as the Kubernetes API takes it. */
    public static String selector(String inventoryName) {
        return MANAGED_BY + "=" + MANAGED_BY_VALUE + "," + INVENTORY + "=" + inventoryName;
    }
}
