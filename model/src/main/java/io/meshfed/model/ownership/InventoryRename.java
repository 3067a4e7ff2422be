package io.meshfed.model.ownership;

import io.meshfed.model.resource.Tree;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What renaming an inventory changes on one object, as a JSON patch: its {@code meshfed.io/inventory}
 * label, its adoption annotation, and its field manager's managedFields entries ({@code meshfed/<old>}
 * becomes {@code meshfed/<new>}: the new name then owns, and later removes, what the old one set).
 * Values are not touched.
 */
public final class InventoryRename {

    private InventoryRename() {
    }

    /** Whether the old inventory marked or wrote the object. */
    public static boolean concerns(Map<String, Object> live, String from) {
        return !ops(live, from, "-").isEmpty();
    }

    /** The JSON patch operations (without the resourceVersion test); empty when the object is not the old inventory's. */
    public static List<Map<String, Object>> ops(Map<String, Object> live, String from, String to) {
        List<Map<String, Object>> ops = new ArrayList<>();
        if (Tree.get(live, "metadata", "labels") instanceof Map<?, ?> labels && from.equals(labels.get(OwnershipLabels.INVENTORY))) {
            ops.add(Tree.map("op", "replace", "path", Tree.pointer("metadata", "labels", OwnershipLabels.INVENTORY), "value", to));
        }
        if (Tree.get(live, "metadata", "annotations") instanceof Map<?, ?> annotations
                && annotations.containsKey(OwnershipLabels.adoptedAnnotation(from))) {
            ops.add(Tree.map("op", "remove", "path", Tree.pointer("metadata", "annotations", OwnershipLabels.adoptedAnnotation(from))));
            ops.add(Tree.map("op", "add", "path", Tree.pointer("metadata", "annotations", OwnershipLabels.adoptedAnnotation(to)),
                    "value", "true"));
        }
        String oldManager = OwnershipLabels.fieldManager(from);
        List<Map<String, Object>> entries = Claim.managedFields(live);
        if (entries.stream().anyMatch(e -> oldManager.equals(e.get("manager")))) {
            List<Map<String, Object>> renamed = new ArrayList<>();
            for (Map<String, Object> entry : entries) {
                Map<String, Object> copy = Tree.copy(entry);
                if (oldManager.equals(entry.get("manager"))) {
                    copy.put("manager", OwnershipLabels.fieldManager(to));
                }
                renamed.add(copy);
            }
            ops.add(Tree.map("op", "replace", "path", "/metadata/managedFields", "value", renamed));
        }
        return ops;
    }
}
