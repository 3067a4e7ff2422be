package io.meshfed.inventory.yaml;

import io.meshfed.model.inventory.Location;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML value with the place it was written. {@code value} is null, a String, Boolean, Integer,
 * Long, Double, a {@code List<Located>} or a {@code Map<String, Located>} (insertion-ordered).
 */
public record Located(Object value, Location location) {

    public boolean isMap() {
        return value instanceof Map;
    }

    public boolean isList() {
        return value instanceof List;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Located> asMap() {
        return (Map<String, Located>) value;
    }

    @SuppressWarnings("unchecked")
    public List<Located> asList() {
        return (List<Located>) value;
    }

    /** The value with every location stripped: plain maps, lists and scalars. */
    public Object plain() {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put((String) k, ((Located) v).plain()));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(((Located) v).plain()));
            return out;
        }
        return value;
    }

    /** A YAML-ish name of the value's type, for messages. */
    public String typeName() {
        return typeName(value);
    }

    public static String typeName(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Map) {
            return "a mapping";
        }
        if (value instanceof List) {
            return "a list";
        }
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof Integer || value instanceof Long || value instanceof java.math.BigInteger) {
            return "an integer";
        }
        if (value instanceof Double) {
            return "a number";
        }
        return "a " + value.getClass().getSimpleName();
    }
}
