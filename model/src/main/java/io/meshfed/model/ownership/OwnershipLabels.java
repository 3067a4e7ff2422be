package io.meshfed.model.ownership;

import java.util.Map;

/**
 * How meshfed marks what is its own, per inventory:
 * <ul>
 *   <li>objects it created carry the labels {@value #MANAGED_BY}={@value #MANAGED_BY_VALUE} and
 *       {@value #INVENTORY}={@code <inventory>}: runs list by them; they say what an object belongs to,
 *       not who created it (the inventory's record of UIDs proves that: {@link InventoryRecord});</li>
 *   <li>objects that existed before (adopted) carry only the annotation {@code adopted.meshfed.io/<inventory>};
 *       meshfed manages their fields and never deletes them;</li>
 *   <li>every write is a server-side apply by the field manager {@code meshfed/<inventory>}, so that two
 *       inventories on one cluster own their own fields of an object they share.</li>
 * </ul>
 */
public final class OwnershipLabels {

    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY_VALUE = "meshfed";
    public static final String INVENTORY = "meshfed.io/inventory";
    /** The prefix of the annotation that says an inventory adopted an object it did not create. */
    public static final String ADOPTED_PREFIX = "adopted.meshfed.io/";
    /** The annotation meshfed 0.1 kept its client-side record in (objects carrying it are migrated). */
    public static final String LEGACY_LAST_APPLIED = "meshfed.io/last-applied";

    private OwnershipLabels() {
    }

    public static Map<String, String> of(String inventoryName) {
        return Map.of(MANAGED_BY, MANAGED_BY_VALUE, INVENTORY, inventoryName);
    }

    /** A label selector string, as the Kubernetes API takes it. */
    public static String selector(String inventoryName) {
        return MANAGED_BY + "=" + MANAGED_BY_VALUE + "," + INVENTORY + "=" + inventoryName;
    }

    /** The server-side apply field manager of an inventory. */
    public static String fieldManager(String inventoryName) {
        return MANAGED_BY_VALUE + "/" + inventoryName;
    }

    public static String adoptedAnnotation(String inventoryName) {
        return ADOPTED_PREFIX + inventoryName;
    }

    /** Whether the object carries both of the inventory's labels. */
    public static boolean labelledFor(Map<String, Object> object, String inventoryName) {
        Object labels = io.meshfed.model.resource.Tree.get(object, "metadata", "labels");
        return labels instanceof Map<?, ?> l && MANAGED_BY_VALUE.equals(l.get(MANAGED_BY)) && inventoryName.equals(l.get(INVENTORY));
    }

    /** Whether a label or annotation key is one meshfed keeps its ownership in. */
    public static boolean meshfedKey(String key) {
        return key.equals(MANAGED_BY) || key.equals(INVENTORY) || key.startsWith(ADOPTED_PREFIX) || key.equals(LEGACY_LAST_APPLIED);
    }
}
