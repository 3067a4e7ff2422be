package io.meshfed.model.resource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Helpers for object trees: ordered maps, lists and scalars, as YAML and JSON have them.
 */
public final class Tree {

    private Tree() {
    }

    /** An ordered map from alternating keys and values; null values are left out. */
    public static Map<String, Object> map(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values come in pairs");
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                map.put((String) keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        return map;
    }

    /**
     * {@code overlay} merged into {@code base}: maps merge key by key, everything else (lists too)
     * is replaced. Neither argument is changed.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> deepMerge(Map<String, Object> base, Map<String, Object> overlay) {
        Map<String, Object> merged = new LinkedHashMap<>(base);
        overlay.forEach((key, value) -> {
            Object current = merged.get(key);
            if (current instanceof Map<?, ?> currentMap && value instanceof Map<?, ?> valueMap) {
                merged.put(key, deepMerge((Map<String, Object>) currentMap, (Map<String, Object>) valueMap));
            } else {
                merged.put(key, value);
            }
        });
        return merged;
    }

    /** A deep, order-keeping, unmodifiable copy. */
    @SuppressWarnings("unchecked")
    public static <T> T freeze(T value) {
        return (T) transform(value, v -> v, true);
    }

    /** A deep, modifiable copy. */
    @SuppressWarnings("unchecked")
    public static <T> T copy(T value) {
        return (T) transform(value, v -> v, false);
    }

    /** A deep copy in which every leaf (not map, not list) is replaced by {@code leaf.apply(it)}. */
    public static Object mapLeaves(Object value, Function<Object, Object> leaf) {
        return transform(value, leaf, false);
    }

    /** Visits every leaf of a tree. */
    public static void forEachLeaf(Object value, java.util.function.Consumer<Object> visitor) {
        if (value instanceof Map<?, ?> map) {
            map.values().forEach(v -> forEachLeaf(v, visitor));
        } else if (value instanceof List<?> list) {
            list.forEach(v -> forEachLeaf(v, visitor));
        } else {
            visitor.accept(value);
        }
    }

    /** A JSON pointer (RFC 6901) to a path of keys: {@code /metadata/annotations/meshfed.io~1last-applied}. */
    public static String pointer(String... keys) {
        StringBuilder out = new StringBuilder();
        for (String key : keys) {
            out.append('/').append(key.replace("~", "~0").replace("/", "~1"));
        }
        return out.toString();
    }

    /** The maps of the list at a path of keys (anything else there, or nothing: none). */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> maps(Map<String, Object> tree, String... keys) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (get(tree, keys) instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m) {
                    out.add((Map<String, Object>) m);
                }
            }
        }
        return out;
    }

    /** The value at a path of keys, or null. */
    public static Object get(Map<String, Object> tree, String... keys) {
        Object current = tree;
        for (String key : keys) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return current;
    }

    private static Object transform(Object value, Function<Object, Object> leaf, boolean freeze) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put((String) k, transform(v, leaf, freeze)));
            return freeze ? Collections.unmodifiableMap(copy) : copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(transform(v, leaf, freeze)));
            return freeze ? Collections.unmodifiableList(copy) : copy;
        }
        return leaf.apply(value);
    }
}
