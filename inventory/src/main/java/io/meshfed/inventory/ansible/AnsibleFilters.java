package io.meshfed.inventory.ansible;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ansible's filters that Jinjava lacks, as Ansible's own plugins (ansible.builtin: core.py) behave: the data
 * formats ({@code to_json}, {@code to_nice_json}, {@code to_yaml}, {@code to_nice_yaml}, {@code from_json},
 * {@code from_yaml}), dictionaries ({@code combine}, {@code dict2items}, {@code items2dict}), regular expressions
 * ({@code regex_search}, {@code regex_findall}), {@code ternary} and {@code mandatory}; paths, hashes, quoting,
 * URLs and lists in {@link AnsibleTextFilters}, {@code ipaddr} in {@link AnsibleIpFilter}. Jinjava's own
 * {@code b64encode}, {@code b64decode}, {@code bool} and {@code regex_replace} already match
 * Ansible's names.
 */
final class AnsibleFilters {

    private AnsibleFilters() {
    }

    /** A filter of one name, taking positional and keyword arguments as Ansible's do. */
    record Named(String name, Body body) implements Filter {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return body.apply(var, args, Map.of());
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            return body.apply(var, args, kwargs);
        }
    }

    @FunctionalInterface
    interface Body {
        Object apply(Object value, Object[] args, Map<String, Object> kwargs);
    }

    static List<Filter> all() {
        List<Filter> all = new ArrayList<>(AnsibleTextFilters.all());
        all.add(AnsibleIpFilter.filter());
        all.addAll(List.of(
                new Named("to_json", (v, a, k) -> PythonJson.dumps(v, false)),
                new Named("to_nice_json", (v, a, k) -> PythonJson.dumps(v, true)),
                new Named("to_yaml", (v, a, k) -> yaml(false).dump(plain(v))),
                new Named("to_nice_yaml", (v, a, k) -> yaml(true).dump(plain(v))),
                new Named("from_json", (v, a, k) -> new Yaml(new SafeConstructor(new LoaderOptions())).load(String.valueOf(v))),
                new Named("from_yaml", (v, a, k) -> new Yaml(new SafeConstructor(new LoaderOptions())).load(String.valueOf(v))),
                new Named("combine", AnsibleFilters::combine),
                new Named("dict2items", AnsibleFilters::dict2items),
                new Named("items2dict", AnsibleFilters::items2dict),
                new Named("regex_search", AnsibleFilters::regexSearch),
                new Named("regex_findall", AnsibleFilters::regexFindall),
                new Named("ternary", (v, a, k) -> truthy(v) ? arg(a, k, 0, "true_val", null)
                        : v == null && a.length > 2 ? a[2] : arg(a, k, 1, "false_val", null)),
                new Named("mandatory", (v, a, k) -> {
                    if (v == null) {
                        throw new IllegalArgumentException(String.valueOf(arg(a, k, 0, "msg", "Mandatory variable not defined.")));
                    }
                    return v;
                })));
        return all;
    }

    static Object arg(Object[] args, Map<String, Object> kwargs, int index, String name, Object fallback) {
        if (kwargs.containsKey(name)) {
            return kwargs.get(name);
        }
        return args.length > index ? args[index] : fallback;
    }

    /** Python's truth: None, False, 0, "" and empty collections are false. */
    static boolean truthy(Object v) {
        return !(v == null || Boolean.FALSE.equals(v) || v instanceof Number n && n.doubleValue() == 0
                || v instanceof String s && s.isEmpty() || v instanceof java.util.Collection<?> c && c.isEmpty()
                || v instanceof Map<?, ?> m && m.isEmpty());
    }

    /** combine(*dicts, recursive=False, list_merge='replace'): later keys win; recursive merges nested mappings. */
    @SuppressWarnings("unchecked")
    private static Object combine(Object value, Object[] args, Map<String, Object> kwargs) {
        boolean recursive = truthy(kwargs.get("recursive"));
        Map<String, Object> out = new LinkedHashMap<>(mapping(value, "combine"));
        for (Object other : args) {
            for (Object d : other instanceof List<?> l ? l : List.of(other)) {
                merge(out, mapping(d, "combine"), recursive);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> into, Map<String, Object> from, boolean recursive) {
        for (Map.Entry<String, Object> e : from.entrySet()) {
            Object old = into.get(e.getKey());
            if (recursive && old instanceof Map<?, ?> a && e.getValue() instanceof Map<?, ?> b) {
                Map<String, Object> nested = new LinkedHashMap<>((Map<String, Object>) a);
                merge(nested, (Map<String, Object>) b, true);
                into.put(e.getKey(), nested);
            } else {
                into.put(e.getKey(), e.getValue());
            }
        }
    }

    private static Object dict2items(Object value, Object[] args, Map<String, Object> kwargs) {
        String key = String.valueOf(arg(args, kwargs, 0, "key_name", "key"));
        String val = String.valueOf(arg(args, kwargs, 1, "value_name", "value"));
        List<Object> items = new ArrayList<>();
        mapping(value, "dict2items").forEach((k, v) -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put(key, k);
            item.put(val, v);
            items.add(item);
        });
        return items;
    }

    private static Object items2dict(Object value, Object[] args, Map<String, Object> kwargs) {
        String key = String.valueOf(arg(args, kwargs, 0, "key_name", "key"));
        String val = String.valueOf(arg(args, kwargs, 1, "value_name", "value"));
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException("items2dict requires a list, got " + type(value));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Object item : list) {
            Map<String, Object> m = mapping(item, "items2dict");
            out.put(String.valueOf(m.get(key)), m.get(val));
        }
        return out;
    }

    private static Pattern pattern(Object[] args, Map<String, Object> kwargs, String filter) {
        if (args.length == 0) {
            throw new IllegalArgumentException(filter + " needs a regular expression");
        }
        int flags = (truthy(kwargs.get("ignorecase")) ? Pattern.CASE_INSENSITIVE : 0)
                | (truthy(kwargs.get("multiline")) ? Pattern.MULTILINE : 0);
        return Pattern.compile(String.valueOf(args[0]).replace("(?P<", "(?<"), flags);   // Python's named groups
    }

    /** regex_search(pattern, '\\1'...): the first match, or the groups asked for (a list); None where none matches. */
    private static Object regexSearch(Object value, Object[] args, Map<String, Object> kwargs) {
        Matcher m = pattern(args, kwargs, "regex_search").matcher(String.valueOf(value));
        if (!m.find()) {
            return null;
        }
        if (args.length == 1) {
            return m.group();
        }
        List<Object> groups = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String g = String.valueOf(args[i]);
            groups.add(g.startsWith("\\g<") ? m.group(g.substring(3, g.length() - 1)) : m.group(Integer.parseInt(g.substring(1))));
        }
        return groups;
    }

    /** regex_findall(pattern): every match, or with groups each match's groups (one group: its text), as re.findall. */
    private static Object regexFindall(Object value, Object[] args, Map<String, Object> kwargs) {
        Matcher m = pattern(args, kwargs, "regex_findall").matcher(String.valueOf(value));
        List<Object> all = new ArrayList<>();
        while (m.find()) {
            if (m.groupCount() == 0) {
                all.add(m.group());
            } else if (m.groupCount() == 1) {
                all.add(m.group(1));
            } else {
                List<Object> groups = new ArrayList<>();
                for (int i = 1; i <= m.groupCount(); i++) {
                    groups.add(m.group(i));
                }
                all.add(groups);
            }
        }
        return all;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mapping(Object value, String filter) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), v));
            return out;
        }
        throw new IllegalArgumentException(filter + " expects dicts, got " + type(value));
    }

    private static String type(Object value) {
        return value == null ? "None" : value instanceof String ? "str" : value instanceof List<?> ? "list"
                : value instanceof Number ? "number" : value.getClass().getSimpleName();
    }

    /** PyYAML's dump as Ansible calls it: leaf collections in flow style (to_yaml), or block style indented by 4. */
    private static Yaml yaml(boolean nice) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(nice ? DumperOptions.FlowStyle.BLOCK : DumperOptions.FlowStyle.AUTO);
        if (nice) {
            options.setIndent(4);
        }
        return new Yaml(new Representer(options), options);
    }

    /** Jinjava's own collection types as plain lists and maps, keys sorted as PyYAML's dump sorts them. */
    private static Object plain(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new java.util.TreeMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), plain(v)));
            return out;
        }
        if (value instanceof Iterable<?> list && !(value instanceof String)) {
            List<Object> out = new ArrayList<>();
            for (Iterator<?> it = list.iterator(); it.hasNext(); ) {
                out.add(plain(it.next()));
            }
            return out;
        }
        return value;
    }

    /** Python's json.dumps: ", " and ": " between items (to_json), or 4 spaces of indent and sorted keys (to_nice_json). */
    static final class PythonJson {

        private PythonJson() {
        }

        static String dumps(Object value, boolean nice) {
            StringBuilder out = new StringBuilder();
            write(value, nice, 0, out);
            return out.toString();
        }

        private static void write(Object v, boolean nice, int depth, StringBuilder out) {
            if (v == null) {
                out.append("null");
            } else if (v instanceof Boolean b) {
                out.append(b ? "true" : "false");
            } else if (v instanceof Number n) {
                out.append(n instanceof Double || n instanceof Float ? pythonFloat(n.doubleValue()) : n.toString());
            } else if (v instanceof Map<?, ?> m) {
                if (m.isEmpty()) {
                    out.append("{}");
                    return;
                }
                List<Map.Entry<String, Object>> entries = new ArrayList<>();
                m.forEach((k, x) -> entries.add(Map.entry(String.valueOf(k), x == null ? NULL : x)));
                if (nice) {
                    entries.sort(Map.Entry.comparingByKey());
                }
                out.append('{');
                for (int i = 0; i < entries.size(); i++) {
                    out.append(i == 0 ? "" : nice ? "," : ", ");
                    newline(nice, depth + 1, out);
                    string(entries.get(i).getKey(), out);
                    out.append(": ");
                    Object x = entries.get(i).getValue();
                    write(x == NULL ? null : x, nice, depth + 1, out);
                }
                newline(nice, depth, out);
                out.append('}');
            } else if (v instanceof Iterable<?> list && !(v instanceof String)) {
                List<Object> items = new ArrayList<>();
                list.forEach(items::add);
                if (items.isEmpty()) {
                    out.append("[]");
                    return;
                }
                out.append('[');
                for (int i = 0; i < items.size(); i++) {
                    out.append(i == 0 ? "" : nice ? "," : ", ");
                    newline(nice, depth + 1, out);
                    write(items.get(i), nice, depth + 1, out);
                }
                newline(nice, depth, out);
                out.append(']');
            } else {
                string(String.valueOf(v), out);
            }
        }

        private static final Object NULL = new Object();

        private static void newline(boolean nice, int depth, StringBuilder out) {
            if (nice) {
                out.append('\n').append("    ".repeat(depth));
            }
        }

        private static String pythonFloat(double d) {
            return d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e16 ? (long) d + ".0" : Double.toString(d);
        }

        /** As json.dumps with ensure_ascii: non-ASCII as \\uXXXX. */
        private static void string(String s, StringBuilder out) {
            out.append('"');
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    case '\b' -> out.append("\\b");
                    case '\f' -> out.append("\\f");
                    default -> {
                        if (c < 0x20 || c > 0x7e) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }
    }
}
