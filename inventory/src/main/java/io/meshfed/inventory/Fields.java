package io.meshfed.inventory;

import io.meshfed.model.text.Quoted;
import io.meshfed.model.text.Suggestions;
import io.meshfed.inventory.yaml.Located;
import io.meshfed.model.inventory.Location;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Typed, located reads of one mapping of the inventory. A wrong type or a missing required value is
 * reported to {@link Problems} with the place and the key, and a null or default is returned so that
 * reading goes on and every problem is found in one run.
 */
final class Fields {

    static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    private final String owner;
    private final Map<String, Located> map;
    private final Location location;
    private final Problems problems;

    /**
     * @param owner    how messages name the mapping, for example {@code host 'blue'}
     * @param location where the mapping is
     */
    Fields(String owner, Map<String, Located> map, Location location, Problems problems) {
        this.owner = owner;
        this.map = map;
        this.location = location;
        this.problems = problems;
    }

    /** Reads a value that must be a mapping; null (and a problem) when it is something else. */
    static Fields of(String owner, Located value, Problems problems) {
        if (!value.isMap()) {
            problems.add(value.location(), owner + " must be a mapping, not " + value.typeName());
            return null;
        }
        return new Fields(owner, value.asMap(), value.location(), problems);
    }

    /** Reports a problem of this mapping's values. */
    void problem(Location where, String message) {
        problems.add(where, message);
    }

    String owner() {
        return owner;
    }

    Location location() {
        return location;
    }

    boolean has(String key) {
        return map.containsKey(key) && map.get(key).value() != null;
    }

    Location locationOf(String key) {
        return map.containsKey(key) ? map.get(key).location() : location;
    }

    /** Every key must be one of {@code known}. */
    void onlyKeys(Collection<String> known) {
        for (Map.Entry<String, Located> e : map.entrySet()) {
            if (!known.contains(e.getKey())) {
                problems.add(e.getValue().namedAt(), owner + ": unknown key '" + e.getKey() + "'"
                        + Suggestions.didYouMean(e.getKey(), known));
            }
        }
    }

    String string(String key, String defaultValue) {
        Located v = map.get(key);
        if (v == null || v.value() == null) {
            return defaultValue;
        }
        if (v.value() instanceof String s) {
            return s;
        }
        problems.add(v.location(), owner + ": '" + key + "' must be a string, not " + v.typeName() + shown(v)
                + (v.value() instanceof Number ? "; quote it" : ""));
        return defaultValue;
    }

    String requiredString(String key) {
        if (!has(key)) {
            problems.add(location, owner + ": '" + key + "' is required");
            return null;
        }
        return string(key, null);
    }

    /** A string that must be a DNS-1123 label (a Kubernetes name). */
    String name(String key, String defaultValue, boolean required) {
        String value = required ? requiredString(key) : string(key, defaultValue);
        if (value != null && has(key) && !isDnsLabel(value)) {
            problems.add(locationOf(key), owner + ": '" + key + "' must be a Kubernetes name (lower-case letters, digits "
                    + "and '-', at most 63 characters), not " + Quoted.of(value));
        }
        return value;
    }

    /** A scalar's value for a message, {@code " (3)"}; nothing for a mapping or a list (their lines say more). */
    static String shown(Located v) {
        return v.isMap() || v.isList() ? "" : " (" + Quoted.of(String.valueOf(v.value())).replaceAll("^'|'$", "") + ")";
    }

    static boolean isDnsLabel(String value) {
        return value.length() <= 63 && DNS_LABEL.matcher(value).matches();
    }

    boolean bool(String key, boolean defaultValue) {
        Located v = map.get(key);
        if (v == null || v.value() == null) {
            return defaultValue;
        }
        if (v.value() instanceof Boolean b) {
            return b;
        }
        problems.add(v.location(), owner + ": '" + key + "' must be true or false, not " + v.typeName() + shown(v));
        return defaultValue;
    }

    Integer integer(String key, Integer defaultValue) {
        Located v = map.get(key);
        if (v == null || v.value() == null) {
            return defaultValue;
        }
        if (v.value() instanceof Integer i) {
            return i;
        }
        problems.add(v.location(), owner + ": '" + key + "' must be an integer, not " + v.typeName() + shown(v));
        return defaultValue;
    }

    /** A list of strings; a single string is taken as a list of one, as Ansible users write it. */
    List<String> strings(String key, List<String> defaultValue) {
        Located v = map.get(key);
        if (v == null || v.value() == null) {
            return defaultValue;
        }
        if (v.value() instanceof String s) {
            return List.of(s);
        }
        if (!v.isList()) {
            problems.add(v.location(), owner + ": '" + key + "' must be a list of strings, not " + v.typeName());
            return defaultValue;
        }
        List<String> out = new ArrayList<>();
        for (Located item : v.asList()) {
            if (item.value() instanceof String s) {
                out.add(s);
            } else {
                problems.add(item.location(), owner + ": every item of '" + key + "' must be a string, not "
                        + item.typeName() + " (" + item.value() + ")");
            }
        }
        return out;
    }

    /** A list of items, each located; empty when absent. */
    List<Located> list(String key) {
        Located v = map.get(key);
        if (v == null || v.value() == null) {
            return List.of();
        }
        if (!v.isList()) {
            problems.add(v.location(), owner + ": '" + key + "' must be a list, not " + v.typeName());
            return List.of();
        }
        return v.asList();
    }

    /** A nested mapping as Fields, or null when absent or not a mapping (then a problem). */
    Fields nested(String key, String nestedOwner) {
        Located v = map.get(key);
        if (v == null || v.value() == null) {
            return null;
        }
        return of(nestedOwner, v, problems);
    }

    /** A mapping of string to string (labels, annotations). */
    Map<String, String> stringMap(String key) {
        Fields nested = nested(key, owner + " " + key);
        Map<String, String> out = new LinkedHashMap<>();
        if (nested != null) {
            nested.map.forEach((k, v) -> {
                if (v.value() instanceof String s) {
                    out.put(k, s);
                } else {
                    problems.add(v.location(), owner + ": the value of '" + key + "." + k + "' must be a string, not "
                            + v.typeName() + shown(v) + "; quote it");
                }
            });
        }
        return out;
    }

    /** A mapping as a plain tree, for values meshfed passes through. */
    @SuppressWarnings("unchecked")
    Map<String, Object> plainMap(String key) {
        Located v = map.get(key);
        if (v == null || v.value() == null) {
            return Map.of();
        }
        if (!v.isMap()) {
            problems.add(v.location(), owner + ": '" + key + "' must be a mapping, not " + v.typeName());
            return Map.of();
        }
        return (Map<String, Object>) v.plain();
    }

}
