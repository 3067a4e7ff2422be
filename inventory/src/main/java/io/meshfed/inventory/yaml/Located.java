package io.meshfed.inventory.yaml;

import io.meshfed.model.inventory.Location;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML value with the place it was written. {@code value} is null, a String, Boolean, Integer,
 * Long, BigInteger, Double, a {@code List<Located>} or a {@code Map<String, Located>}
 * (insertion-ordered). {@code unsafe}: a string tagged {@code !unsafe}, which Ansible never templates.
 * {@code keyLocation}: where the key of a mapping's value was written (null elsewhere). {@code keyType}: Python's name
 * of that key's type where YAML made it no string ({@code int} for {@code 1234:}, which Ansible refuses as a host
 * or group name), else null.
 */
public record Located(Object value, Location location, boolean unsafe, Location keyLocation, String keyType) {

    public Located(Object value, Location location) {
        this(value, location, false, null, null);
    }

    public Located(Object value, Location location, boolean unsafe) {
        this(value, location, unsafe, null, null);
    }

    public Located(Object value, Location location, boolean unsafe, Location keyLocation) {
        this(value, location, unsafe, keyLocation, null);
    }

    /** The same value, written under a key at {@code key} whose YAML value was {@code keyValue}. */
    Located under(Location key, Object keyValue) {
        String type = keyValue instanceof String ? null : keyValue instanceof Boolean ? "bool"
                : keyValue instanceof Double ? "float" : keyValue instanceof Number ? "int" : null;
        return new Located(value, location, unsafe, key, type);
    }

    /** Where a message about the key (unknown, misspelt) points: the key, else the value. */
    public Location namedAt() {
        return keyLocation != null ? keyLocation : location;
    }

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
        return stripped(false);
    }

    /**
     * The value as {@code ansible-inventory --list} prints it: {@link #plain()}, but a string tagged
     * {@code !unsafe} is {@code {"__ansible_unsafe": "..."}}.
     */
    public Object listed() {
        return stripped(true);
    }

    private Object stripped(boolean markUnsafe) {
        if (unsafe && markUnsafe) {
            return Map.of("__ansible_unsafe", value);
        }
        if (value instanceof Vaulted vaulted && markUnsafe) {
            return Map.of("__ansible_vault", vaulted.envelope());   // as ansible-inventory --list prints it
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put((String) k, ((Located) v).stripped(markUnsafe)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(((Located) v).stripped(markUnsafe)));
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
        if (value instanceof Vaulted) {
            return "a vaulted value";
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
