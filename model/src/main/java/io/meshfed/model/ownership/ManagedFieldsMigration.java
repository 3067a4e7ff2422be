package io.meshfed.model.ownership;

import io.meshfed.model.resource.Tree;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Moves the fields meshfed 0.1's client-side writes own to a server-side apply manager, as client-go's
 * csaupgrade and Flux's ssa package do: of the writers' {@code Update} entries, the fields that
 * meshfed 0.1's last-applied record holds (and its own labels and that record) are joined into the
 * manager's {@code Apply} entry; what else those managers own stays theirs (fabric8's User-Agent is
 * every fabric8-based operator's manager name, and their fields are not meshfed's to remove). The
 * next apply then removes what meshfed's writes set and the configuration no longer has, instead of
 * leaving it owned by nobody who will ever remove it.
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
     * @param live    the object (its last-applied record says which fields meshfed 0.1 wrote)
     * @param legacy  the managers of the former client-side writes
     * @param manager the server-side apply manager that takes their fields
     * @param time    the time to record on the manager's entry (RFC 3339)
     * @return the new managedFields, or null when no entry of a legacy writer is there
     */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> migrate(List<Map<String, Object>> entries, Map<String, Object> live,
                                                    Set<String> legacy, String manager, String time) {
        Map<String, Object> written = writtenByMeshfed(live);
        Map<String, Object> fields = new LinkedHashMap<>();
        String apiVersion = null;
        List<Map<String, Object>> kept = new ArrayList<>();
        Map<String, Object> applyEntry = null;
        for (Map<String, Object> entry : entries) {
            boolean legacyWrite = legacy.contains(entry.get("manager")) && "Update".equals(entry.get("operation"))
                    && entry.get("subresource") == null;
            if (legacyWrite) {
                Map<String, Object> own = entry.get("fieldsV1") instanceof Map<?, ?> f ? (Map<String, Object>) f : Map.of();
                Map<String, Object> theirs = Tree.copy(own);
                union(fields, take(theirs, written));
                apiVersion = apiVersion != null ? apiVersion : (String) entry.get("apiVersion");
                if (!theirs.isEmpty()) {   // what else this manager wrote stays its own
                    Map<String, Object> rest = Tree.copy(entry);
                    rest.put("fieldsV1", theirs);
                    kept.add(rest);
                }
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

    /**
     * The fields meshfed 0.1 wrote, as a tree of plain keys: what its last-applied record holds, its
     * ownership labels and the record itself.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> writtenByMeshfed(Map<String, Object> live) {
        Map<String, Object> record = new LinkedHashMap<>();
        Object text = Tree.get(live, "metadata", "annotations", OwnershipLabels.LEGACY_LAST_APPLIED);
        if (text instanceof String json) {
            try {
                Object parsed = new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, Object.class);
                if (parsed instanceof Map<?, ?> m) {
                    record = (Map<String, Object>) m;
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                // an unreadable record: only the ownership marks below are known to be meshfed's
            }
        }
        Map<String, Object> written = Tree.copy(record);
        written.remove("apiVersion");
        written.remove("kind");
        Map<String, Object> metadata = written.get("metadata") instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
        written.put("metadata", metadata);
        Map<String, Object> labels = metadata.get("labels") instanceof Map<?, ?> l ? (Map<String, Object>) l : new LinkedHashMap<>();
        metadata.put("labels", labels);
        labels.put(OwnershipLabels.MANAGED_BY, "");
        labels.put(OwnershipLabels.INVENTORY, "");
        Map<String, Object> annotations = metadata.get("annotations") instanceof Map<?, ?> a ? (Map<String, Object>) a
                : new LinkedHashMap<>();
        metadata.put("annotations", annotations);
        annotations.put(OwnershipLabels.LEGACY_LAST_APPLIED, "");
        return written;
    }

    /**
     * Moves out of {@code fields} (a field set) what {@code written} (a plain tree) has: an {@code f:name}
     * key whose name is in the tree (all of it where the tree's value there is not a map: a list, whose
     * items a field set keys by content, or a scalar). Returns what was taken.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> take(Map<String, Object> fields, Map<String, Object> written) {
        Map<String, Object> taken = new LinkedHashMap<>();
        for (var it = fields.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Object> e = it.next();
            if (!e.getKey().startsWith("f:") || !written.containsKey(e.getKey().substring(2))) {
                continue;
            }
            Object here = written.get(e.getKey().substring(2));
            if (here instanceof Map<?, ?> sub && e.getValue() instanceof Map<?, ?> children && !children.isEmpty()) {
                Map<String, Object> inner = take((Map<String, Object>) children, (Map<String, Object>) sub);
                if (children.isEmpty() || children.keySet().equals(Set.of("."))) {   // nothing of theirs is left under it
                    if (children.containsKey(".")) {
                        inner.put(".", new LinkedHashMap<>());
                    }
                    it.remove();
                }
                if (!inner.isEmpty()) {
                    taken.put(e.getKey(), inner);
                }
            } else {
                taken.put(e.getKey(), e.getValue());
                it.remove();
            }
        }
        return taken;
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
