package io.meshfed.model.ownership;

import io.meshfed.model.resource.Tree;

import java.util.Map;
import java.util.Set;

/**
 * Who wrote an object, read from its managedFields: for an object that carries an inventory's labels
 * but whose UID its record does not hold — made by a meshfed from before records kept UIDs, or by a
 * run that ended (kill -9) before it could record what it created. Such an object is taken as created
 * by the inventory only when meshfed's field manager set those labels and nobody else wrote anything
 * but what the platform adds to every object of its kind (status, finalizers, owner references,
 * labels and annotations of their own, a ServiceAccount's secrets). A copy ({@code kubectl get -o yaml
 * | kubectl create -f -}) has its creator's manager on the labels; an object someone else made that
 * meshfed once labelled has that someone's fields: neither passes, and neither is ever deleted.
 */
public final class Provenance {

    /** What a platform writes into objects it did not create (status aside): any manager may own these. */
    private static final Set<String> PLATFORM_METADATA = Set.of("f:finalizers", "f:ownerReferences", ".");
    /** A ServiceAccount's lists the token and pull-secret controllers append to. */
    private static final Set<String> SERVICE_ACCOUNT_LISTS = Set.of("f:secrets", "f:imagePullSecrets");

    private Provenance() {
    }

    /** Null when the object counts as created by {@code inventory} by this rule, else why not (for the output). */
    public static String whyNotMeshfedAlone(Map<String, Object> live, String inventory) {
        if (!OwnershipLabels.labelledFor(live, inventory)) {
            return "it does not carry the inventory's labels";
        }
        boolean legacy = ManagedFieldsMigration.needed(live);
        String manager = OwnershipLabels.fieldManager(inventory);
        boolean labelledByMeshfed = false;
        for (Map<String, Object> entry : Claim.managedFields(live)) {
            if (entry.get("subresource") != null) {
                continue;   // status and scale: a controller's, never a creator's
            }
            String name = String.valueOf(entry.get("manager"));
            Map<?, ?> fields = entry.get("fieldsV1") instanceof Map<?, ?> f ? f : Map.of();
            if (name.equals(manager) || legacy && ManagedFieldsMigration.MESHFED_0_1_MANAGERS.contains(name)) {
                labelledByMeshfed |= ownsLabel(fields, OwnershipLabels.INVENTORY);
                continue;
            }
            String foreign = foreignField(fields, String.valueOf(live.get("kind")));
            if (foreign != null) {
                return name + " wrote " + foreign;
            }
        }
        return labelledByMeshfed ? null : "meshfed's field manager did not set its labels";
    }

    private static boolean ownsLabel(Map<?, ?> fields, String label) {
        return Tree.get(cast(fields), "f:metadata", "f:labels", "f:" + label) != null;
    }

    /** The first field of {@code fields} that is more than what the platform adds, as a path; null when none. */
    private static String foreignField(Map<?, ?> fields, String kind) {
        for (Map.Entry<?, ?> top : fields.entrySet()) {
            String key = String.valueOf(top.getKey());
            if (key.equals("f:status") || key.equals(".") || kind.equals("ServiceAccount") && SERVICE_ACCOUNT_LISTS.contains(key)) {
                continue;
            }
            if (!key.equals("f:metadata") || !(top.getValue() instanceof Map<?, ?> metadata)) {
                return path(key);
            }
            for (Map.Entry<?, ?> field : metadata.entrySet()) {
                String m = String.valueOf(field.getKey());
                if (PLATFORM_METADATA.contains(m)) {
                    continue;
                }
                if (!m.equals("f:labels") && !m.equals("f:annotations") || !(field.getValue() instanceof Map<?, ?> keys)) {
                    return "metadata." + path(m);
                }
                for (Object k : keys.keySet()) {
                    String name = path(String.valueOf(k));
                    if (OwnershipLabels.meshfedKey(name)) {
                        return "metadata." + path(m) + "." + name;
                    }
                }
            }
        }
        return null;
    }

    private static String path(String fieldKey) {
        return fieldKey.startsWith("f:") ? fieldKey.substring(2) : fieldKey;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }
}
