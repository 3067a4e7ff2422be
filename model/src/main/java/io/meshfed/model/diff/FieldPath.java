package io.meshfed.model.diff;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A field as server-side apply names it in a conflict ({@code .spec.template.spec.containers[name="web"].image},
 * {@code .spec.ports[port=80,protocol="TCP"].targetPort}, {@code .metadata.finalizers[="a"]}): its value in an object.
 */
public final class FieldPath {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The value a missing field has. */
    public static final Object ABSENT = new Object() {
        @Override
        public String toString() {
            return "(absent)";
        }
    };

    private FieldPath() {
    }

    /** The value at {@code path} in {@code object}, or {@link #ABSENT}. */
    public static Object valueAt(Map<String, Object> object, String path) {
        Object here = object;
        for (String segment : segments(path)) {
            if (segment.startsWith("[")) {
                if (!(here instanceof List<?> items)) {
                    return ABSENT;
                }
                here = item(items, segment.substring(1, segment.length() - 1));
            } else {
                here = here instanceof Map<?, ?> m && m.containsKey(segment) ? m.get(segment) : ABSENT;
            }
            if (here == ABSENT) {
                return ABSENT;
            }
        }
        return here;
    }

    /** Whether two objects hold the same value at {@code path} (numbers by value). */
    public static boolean sameAt(Map<String, Object> a, Map<String, Object> b, String path) {
        Object x = valueAt(a, path);
        Object y = valueAt(b, path);
        return x == ABSENT || y == ABSENT ? x == y : x.equals(y) || DryRunComparison.sameValue(x, y);
    }

    /** {@code .a.b[k="v"].c} as {@code a}, {@code b}, {@code [k="v"]}, {@code c}. */
    static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        int i = 0;
        while (i < path.length()) {
            char c = path.charAt(i);
            if (c == '.') {
                int end = i + 1;
                while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') {
                    end++;
                }
                segments.add(path.substring(i + 1, end));
                i = end;
            } else if (c == '[') {
                int end = i;
                boolean quoted = false;
                while (end < path.length() && (quoted || path.charAt(end) != ']')) {
                    if (path.charAt(end) == '"' && path.charAt(end - 1) != '\\') {
                        quoted = !quoted;
                    }
                    end++;
                }
                segments.add(path.substring(i, Math.min(end + 1, path.length())));
                i = end + 1;
            } else {
                i++;
            }
        }
        return segments;
    }

    /** The list item a selector names: {@code k="v",k2=1} (an associative list), {@code ="v"} (a set), or an index. */
    private static Object item(List<?> items, String selector) {
        if (selector.startsWith("=")) {
            Object wanted = literal(selector.substring(1));
            for (Object v : items) {
                if (DryRunComparison.sameValue(v, wanted)) {
                    return v;
                }
            }
            return ABSENT;
        }
        if (selector.matches("\\d+")) {
            int index = Integer.parseInt(selector);
            return index < items.size() ? items.get(index) : ABSENT;
        }
        List<String[]> keys = new ArrayList<>();
        for (String pair : splitPairs(selector)) {
            int eq = pair.indexOf('=');
            keys.add(new String[] {pair.substring(0, eq), pair.substring(eq + 1)});
        }
        for (Object item : items) {
            if (item instanceof Map<?, ?> m && keys.stream().allMatch(k -> DryRunComparison.sameValue(m.get(k[0]), literal(k[1])))) {
                return item;
            }
        }
        return ABSENT;
    }

    private static List<String> splitPairs(String selector) {
        List<String> pairs = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < selector.length(); i++) {
            char c = selector.charAt(i);
            if (c == '"' && (i == 0 || selector.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                pairs.add(selector.substring(start, i));
                start = i + 1;
            }
        }
        pairs.add(selector.substring(start));
        return pairs;
    }

    private static Object literal(String json) {
        try {
            return JSON.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            return json;
        }
    }
}
