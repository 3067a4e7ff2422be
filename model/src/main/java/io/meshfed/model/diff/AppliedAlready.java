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
 *   <li>every value of the configuration is the live value (so the apply changes nothing); where the
 *       field set records a map or list without its children (an atomic one, as a Service's
 *       selector), the live value is exactly the configuration's.</li>
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
        return unchanged(fields, tracked, live);
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

    /**
     * Whether {@code fields} (the manager's field set at this place) is exactly the fields of
     * {@code config}, and every value of {@code config} is the {@code live} one: maps by key, list
     * items by their recorded key and in order, scalars equal. A map or list recorded without children
     * ({@code f:selector: {}}) is atomic — an apply replaces it whole — so there the live value must
     * be the configuration's, not merely contain it.
     */
    @SuppressWarnings("unchecked")
    private static boolean unchanged(Map<String, Object> fields, Object config, Object live) {
        if (fields == null) {
            return false;
        }
        if (config instanceof Map<?, ?> map) {
            if (!(live instanceof Map<?, ?> l)) {
                return false;
            }
            if (children(fields).isEmpty() && !map.isEmpty()) {
                return sameTree(config, live);   // an atomic map (a Service's or a Deployment's selector)
            }
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
                if (!l.containsKey(e.getKey())
                        || !unchanged((Map<String, Object>) fields.get("f:" + e.getKey()), e.getValue(), l.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (config instanceof List<?> items) {
            if (!(live instanceof List<?> l) || l.size() != items.size()) {
                return false;
            }
            Set<String> children = children(fields);
            if (children.isEmpty()) {
                return sameTree(config, live);   // an atomic list
            }
            if (children.size() != items.size()) {
                return false;
            }
            Set<String> used = new HashSet<>();
            for (int i = 0; i < items.size(); i++) {
                Object item = items.get(i);
                String key = keyOf(children, item);
                if (key == null || !used.add(key)) {
                    return false;
                }
                if (key.startsWith("k:")) {
                    Map<String, Object> itemFields = Tree.copy((Map<String, Object>) fields.get(key));
                    itemFields.remove(".");
                    if (!unchanged(itemFields, item, l.get(i))) {
                        return false;
                    }
                } else if (!sameTree(item, l.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return children(fields).isEmpty() && DryRunComparison.sameValue(config, live);
    }

    /** Equal values, maps and lists compared deeply, numbers by value (1 and 1.0). */
    private static boolean sameTree(Object a, Object b) {
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            return x.keySet().equals(y.keySet()) && x.entrySet().stream().allMatch(e -> sameTree(e.getValue(), y.get(e.getKey())));
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!sameTree(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return DryRunComparison.sameValue(a, b);
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
}
