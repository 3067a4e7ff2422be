package io.meshfed.model.diff;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshfed.model.resource.Tree;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether applying a configuration would certainly change nothing, decided from the live object
 * alone, so that a no-op run need not ask the server (a dry run costs a request per object). It holds
 * when both are true:
 * <ol>
 *   <li>the manager's field set in the live object's managedFields is exactly the configuration's
 *       fields (so the apply removes nothing), list items matched by the keys the server recorded
 *       ({@code k:{"name":"web"}}) or their values ({@code v:"x"});</li>
 *   <li>every value of the configuration is the live value (so the apply changes nothing).</li>
 * </ol>
 * Anything else — a value the server would normalize ({@code 1024Mi} stored as {@code 1Gi}), a list
 * recorded by index, a field another manager took over — answers false, and the server's dry run
 * decides. A false "false" costs one request; a false "true" would miss a change, so every doubt is
 * false.
 */
public final class AppliedAlready {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Identity fields the server does not record in managedFields. */
    private static final Set<String> IDENTITY = Set.of("apiVersion", "kind");
    private static final Set<String> METADATA_IDENTITY = Set.of("name", "namespace");

    private AppliedAlready() {
    }

    public static boolean test(Map<String, Object> live, Map<String, Object> config, String manager) {
        Map<String, Object> fields = fieldsOf(live, manager);
        if (fields == null) {
            return false;
        }
        Map<String, Object> tracked = Tree.copy(config);
        IDENTITY.forEach(tracked::remove);
        if (tracked.get("metadata") instanceof Map<?, ?> metadata) {
            METADATA_IDENTITY.forEach(metadata::remove);
            if (metadata.isEmpty()) {
                tracked.remove("metadata");
            }
        }
        return sameFields(fields, tracked) && holds(live, tracked);
    }

    /** The manager's Apply field set, or null when it has none (or more than one entry, for several versions). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> fieldsOf(Map<String, Object> live, String manager) {
        Object entries = Tree.get(live, "metadata", "managedFields");
        Map<String, Object> found = null;
        if (entries instanceof List<?> list) {
            for (Object e : list) {
                if (e instanceof Map<?, ?> entry && manager.equals(entry.get("manager"))) {
                    if (found != null || !"Apply".equals(entry.get("operation")) || entry.get("subresource") != null
                            || !(entry.get("fieldsV1") instanceof Map<?, ?>)) {
                        return null;
                    }
                    found = (Map<String, Object>) entry.get("fieldsV1");
                }
            }
        }
        return found;
    }

    /** Whether the field set {@code fields} is exactly the fields of {@code config}. */
    @SuppressWarnings("unchecked")
    private static boolean sameFields(Map<String, Object> fields, Object config) {
        if (config instanceof Map<?, ?> map) {
            Set<String> expected = new HashSet<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (e.getValue() == null) {
                    return false;   // a null asks the server to remove: let it say what that does
                }
                expected.add("f:" + e.getKey());
            }
            if (!children(fields).equals(expected)) {
                return false;
            }
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!sameFields((Map<String, Object>) fields.get("f:" + e.getKey()), e.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (config instanceof List<?> items) {
            Set<String> children = children(fields);
            if (children.isEmpty()) {
                return true;   // an atomic list: the values decide
            }
            if (children.size() != items.size()) {
                return false;
            }
            Set<String> used = new HashSet<>();
            for (Object item : items) {
                String key = keyOf(children, item);
                if (key == null || !used.add(key)) {
                    return false;
                }
                if (key.startsWith("k:")) {
                    Map<String, Object> itemFields = Tree.copy((Map<String, Object>) fields.get(key));
                    itemFields.remove(".");
                    if (!sameFields(itemFields, item)) {
                        return false;
                    }
                }
            }
            return true;
        }
        return fields != null && children(fields).isEmpty();
    }

    private static Set<String> children(Map<String, Object> fields) {
        Set<String> keys = new HashSet<>(fields == null ? Set.of() : fields.keySet());
        keys.remove(".");
        return keys;
    }

    /**
     * The field-set key of a list item: {@code k:{...}} whose key values the item has (a key field the
     * item leaves out was defaulted by the server, as a Service port's protocol), or {@code v:<json>}.
     */
    private static String keyOf(Set<String> children, Object item) {
        for (String child : children) {
            if (child.startsWith("v:") && parse(child.substring(2)) instanceof Object v && DryRunComparison.sameValue(v, item)) {
                return child;
            }
            if (child.startsWith("k:") && item instanceof Map<?, ?> map && parse(child.substring(2)) instanceof Map<?, ?> key
                    && key.entrySet().stream().allMatch(k -> !map.containsKey(k.getKey())   // a key the server defaulted
                    || DryRunComparison.sameValue(k.getValue(), map.get(k.getKey())))) {
                return child;
            }
        }
        return null;
    }

    private static Object parse(String json) {
        try {
            return JSON.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** Whether every value of {@code config} is in {@code live}: maps by key, lists by item (keyed or in order), scalars equal. */
    private static boolean holds(Object live, Object config) {
        if (config instanceof Map<?, ?> c) {
            if (!(live instanceof Map<?, ?> l)) {
                return false;
            }
            return c.entrySet().stream().allMatch(e -> l.containsKey(e.getKey()) && holds(l.get(e.getKey()), e.getValue()));
        }
        if (config instanceof List<?> c) {
            if (!(live instanceof List<?> l) || l.size() != c.size()) {
                return false;
            }
            for (int i = 0; i < c.size(); i++) {
                if (!holds(l.get(i), c.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return DryRunComparison.sameValue(config, live);
    }
}
