package io.meshfed.inventory.ansible;

import java.util.List;
import java.util.Map;

/** Python's str() and repr() of the values an inventory holds, as ansible-inventory prints them. */
final class PythonText {

    private PythonText() {
    }

    /** str(): a string as itself, anything else as repr(). */
    static String str(Object value) {
        return value instanceof String s ? s : repr(value);
    }

    /** repr(): strings quoted as Python quotes them, True/False/None, lists and dicts with repr() of each item. */
    static String repr(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (value instanceof String s) {
            boolean single = !s.contains("'") || s.contains("\"");
            char quote = single ? '\'' : '"';
            StringBuilder out = new StringBuilder().append(quote);
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\t' -> out.append("\\t");
                    case '\r' -> out.append("\\r");
                    default -> {
                        if (c == quote) {
                            out.append('\\');
                        }
                        out.append(c);
                    }
                }
            }
            return out.append(quote).toString();
        }
        if (value instanceof List<?> list) {
            StringBuilder out = new StringBuilder("[");
            for (int i = 0; i < list.size(); i++) {
                out.append(i == 0 ? "" : ", ").append(repr(list.get(i)));
            }
            return out.append(']').toString();
        }
        if (value instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder("{");
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.append(first ? "" : ", ").append(repr(String.valueOf(e.getKey()))).append(": ").append(repr(e.getValue()));
                first = false;
            }
            return out.append('}').toString();
        }
        if (value instanceof Double d) {
            return d.isInfinite() ? (d > 0 ? "inf" : "-inf") : d.isNaN() ? "nan" : d == Math.rint(d) && Math.abs(d) < 1e16
                    ? (long) d.doubleValue() + ".0" : String.valueOf(d);
        }
        return String.valueOf(value);
    }
}
