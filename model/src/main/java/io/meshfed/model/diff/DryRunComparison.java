package io.meshfed.model.diff;

import io.meshfed.model.resource.Tree;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides whether a server-side apply would change an object: the object the server would store (the
 * answer of a dry-run apply) against the live one, leaving out what every write changes or what no
 * apply sets — metadata.managedFields, resourceVersion, generation, and status. Both come from the
 * same API server, so its defaults and normalized values (quantities, stringData, dropped empty
 * lists) are on both sides and are no differences.
 */
public final class DryRunComparison {

    private static final Set<String> METADATA_NOISE = Set.of("managedFields", "resourceVersion", "generation");

    private DryRunComparison() {
    }

    /** The paths that differ ({@code spec.ports[0].port}, {@code metadata.labels.team (removed)}); empty when none. */
    public static List<String> differences(Map<String, Object> live, Map<String, Object> wouldStore) {
        List<String> out = new ArrayList<>();
        compare(comparable(live), comparable(wouldStore), "", out);
        return out;
    }

    /**
     * Whether the apply would change which fields {@code manager} owns, values aside: it takes a field
     * nobody owns now (a Secret key sent as data that it used to send as stringData), or gives up one it
     * owns. Such an apply is written all the same: what a manager owns is what a later apply removes when
     * the inventory drops it. Taking a field another manager owns is not counted here: that is a conflict
     * (a value that differs, or one the server normalizes: 1024Mi stored as 1Gi), not a change to make.
     */
    public static boolean ownershipChanges(Map<String, Object> live, Map<String, Object> wouldStore, String manager) {
        Set<String> now = new TreeSet<>();
        Set<String> others = new TreeSet<>();
        for (Map<?, ?> entry : entries(live)) {
            Set<String> into = manager.equals(entry.get("manager")) && "Apply".equals(entry.get("operation")) ? now : others;
            if (entry.get("subresource") == null && entry.get("fieldsV1") instanceof Map<?, ?> fields) {
                leaves(fields, "", into);
            }
        }
        Set<String> then = new TreeSet<>();
        for (Map<?, ?> entry : entries(wouldStore)) {
            if (manager.equals(entry.get("manager")) && "Apply".equals(entry.get("operation")) && entry.get("subresource") == null
                    && entry.get("fieldsV1") instanceof Map<?, ?> fields) {
                leaves(fields, "", then);
            }
        }
        for (String field : then) {
            if (!now.contains(field) && !others.contains(field)) {
                return true;
            }
        }
        return !then.containsAll(now);
    }

    private static List<Map<?, ?>> entries(Map<String, Object> object) {
        List<Map<?, ?>> entries = new ArrayList<>();
        if (Tree.get(object, "metadata", "managedFields") instanceof List<?> list) {
            list.stream().filter(Map.class::isInstance).forEach(e -> entries.add((Map<?, ?>) e));
        }
        return entries;
    }

    /** The paths of a field set's leaves ({@code f:data/f:password}). */
    private static void leaves(Map<?, ?> fields, String path, Set<String> into) {
        for (Map.Entry<?, ?> e : fields.entrySet()) {
            String here = path + "/" + e.getKey();
            if (e.getValue() instanceof Map<?, ?> children && !children.isEmpty()) {
                leaves(children, here, into);
            } else if (!".".equals(e.getKey())) {
                into.add(here);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> comparable(Map<String, Object> object) {
        Map<String, Object> copy = Tree.copy(object);
        copy.remove("status");
        if (copy.get("metadata") instanceof Map<?, ?> metadata) {
            METADATA_NOISE.forEach(((Map<String, Object>) metadata)::remove);
        }
        return copy;
    }

    private static void compare(Object before, Object after, String path, List<String> out) {
        if (before instanceof Map<?, ?> b && after instanceof Map<?, ?> a) {
            Set<Object> keys = new TreeSet<>(java.util.Comparator.comparing(String::valueOf));
            keys.addAll(b.keySet());
            keys.addAll(a.keySet());
            for (Object key : keys) {
                String here = path.isEmpty() ? String.valueOf(key) : path + "." + key;
                if (!a.containsKey(key)) {
                    out.add(here + " (removed)");
                } else if (!b.containsKey(key)) {
                    out.add(here + " (added)");
                } else {
                    compare(b.get(key), a.get(key), here, out);
                }
            }
        } else if (before instanceof List<?> b && after instanceof List<?> a && a.size() == b.size()) {
            for (int i = 0; i < a.size(); i++) {
                compare(b.get(i), a.get(i), path + "[" + i + "]", out);
            }
        } else if (!sameValue(before, after)) {
            out.add(path);
        }
    }

    /** Scalars as the API server means them: numbers by value (1 and 1.0), everything else by equality. */
    static boolean sameValue(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return new java.math.BigDecimal(x.toString()).compareTo(new java.math.BigDecimal(y.toString())) == 0;
        }
        return Objects.equals(a, b);
    }
}
