package io.meshfed.model.ownership;

import io.meshfed.model.resource.Tree;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Moves the fields an object's former client-side writers own to a server-side apply manager, as
 * client-go's csaupgrade and Flux's ssa package do: the field sets of the writers' {@code Update}
 * entries are joined into the manager's {@code Apply} entry and the writers' entries go. The next
 * apply then removes what those writes set and the configuration no longer has (the legacy
 * last-applied annotation among them) instead of leaving it owned by nobody who will ever remove it.
 */
public final class ManagedFieldsMigration {

    /** The managers of meshfed 0.1's client-side writes (fabric8's default User-Agent, then meshfed's). */
    public static final Set<String> MESHFED_0_1_MANAGERS = Set.of("fabric8-kubernetes-client", "meshfed");

    private ManagedFieldsMigration() {
    }

    /** Whether meshfed 0.1 wrote the object: it carries that version's last-applied record. */
    public static boolean needed(Map<String, Object> live) {
        return Tree.get(live, "metadata", "annotations") instanceof Map<?, ?> a
                && a.containsKey(OwnershipLabels.LEGACY_LAST_APPLIED);
    }

    /**
     * @param entries the object's metadata.managedFields
     * @param legacy  the managers of the former client-side writes
     * @param manager the server-side apply manager that takes their fields
     * @param time    the time to record on the manager's entry (RFC 3339)
     * @return the new managedFields, or null when no entry of a legacy writer is there
     */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> migrate(List<Map<String, Object>> entries, Set<String> legacy, String manager,
                                                    String time) {
        Map<String, Object> fields = new LinkedHashMap<>();
        String apiVersion = null;
        List<Map<String, Object>> kept = new ArrayList<>();
        Map<String, Object> applyEntry = null;
        for (Map<String, Object> entry : entries) {
            boolean legacyWrite = legacy.contains(entry.get("manager")) && "Update".equals(entry.get("operation"))
                    && entry.get("subresource") == null;
            if (legacyWrite) {
                if (entry.get("fieldsV1") instanceof Map<?, ?> f) {
                    union(fields, (Map<String, Object>) f);
                }
                apiVersion = apiVersion != null ? apiVersion : (String) entry.get("apiVersion");
            } else if (manager.equals(entry.get("manager")) && "Apply".equals(entry.get("operation"))
                    && entry.get("subresource") == null && applyEntry == null) {
                applyEntry = Tree.copy(entry);
                kept.add(applyEntry);
            } else {
                kept.add(entry);
            }
        }
        if (apiVersion == null) {
            return null;
        }
        if (applyEntry == null) {
            applyEntry = Tree.map("manager", manager, "operation", "Apply", "apiVersion", apiVersion,
                    "fieldsType", "FieldsV1", "fieldsV1", new LinkedHashMap<>());
            kept.add(applyEntry);
        }
        Map<String, Object> joined = applyEntry.get("fieldsV1") instanceof Map<?, ?> f
                ? (Map<String, Object>) f : new LinkedHashMap<>();
        union(joined, fields);
        applyEntry.put("fieldsV1", joined);
        applyEntry.put("time", time);
        return kept;
    }

    /** Field sets are trees of {@code f:name} / {@code k:{...}} / {@code v:...} / {@code .} keys: a union is a deep merge. */
    @SuppressWarnings("unchecked")
    private static void union(Map<String, Object> into, Map<String, Object> from) {
        for (Map.Entry<String, Object> e : from.entrySet()) {
            Object have = into.get(e.getKey());
            if (have instanceof Map<?, ?> h && e.getValue() instanceof Map<?, ?> f) {
                union((Map<String, Object>) h, (Map<String, Object>) f);
            } else if (have == null || (have instanceof Map<?, ?> m && m.isEmpty())) {
                into.put(e.getKey(), Tree.copy(e.getValue()));
            }
        }
    }
}
