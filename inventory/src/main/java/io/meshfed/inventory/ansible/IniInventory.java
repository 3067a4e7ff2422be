package io.meshfed.inventory.ansible;

import io.meshfed.inventory.InventoryException;
import io.meshfed.inventory.yaml.Located;
import io.meshfed.model.inventory.Location;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ansible's INI inventory format ({@code ansible/plugins/inventory/ini.py}), read into the same tree
 * a YAML inventory gives ({@code all} / {@code children} / {@code hosts} / {@code vars}), so that one
 * resolver merges variables for both:
 * <ul>
 *   <li>{@code [group]} lists hosts, one per line: {@code name[:port] key=value ...} (split as
 *       {@code shlex} splits, a host range like {@code node[01:20]} expanded, {@code :port} setting
 *       {@code ansible_port}); lines before any section are {@code ungrouped};</li>
 *   <li>{@code [group:vars]} holds {@code key=value} lines, {@code [group:children]} group names
 *       (declared before or after);</li>
 *   <li>every value is typed by Python's {@code literal_eval} ({@code 22}, {@code True},
 *       {@code ['a', 'b']}), otherwise kept as text;</li>
 *   <li>{@code #} and {@code ;} start comment lines.</li>
 * </ul>
 */
final class IniInventory {

    private static final Pattern SECTION = Pattern.compile("^\\[([^:\\]\\s]+)(?::(\\w+))?\\]\\s*(?:[#;].*)?$");
    private static final Pattern GROUP_NAME = Pattern.compile("^([^:\\]\\s]+)\\s*(?:#.*)?$");

    /** A group as the file declares it. */
    private static final class Section {
        final String name;
        final Map<String, Map<String, Located>> hosts = new LinkedHashMap<>();
        final Map<String, Location> hostLocations = new LinkedHashMap<>();
        final Map<String, Located> vars = new LinkedHashMap<>();
        final Set<String> children = new LinkedHashSet<>();
        Location declared;

        Section(String name) {
            this.name = name;
        }
    }

    private final String file;
    private final Map<String, Section> sections = new LinkedHashMap<>();
    /** Groups named only by [g:vars] or as a child so far: where, until [g] or [g:children] declares them. */
    private final Map<String, Location> pendingVars = new LinkedHashMap<>();
    private final Map<String, Location> pendingChildren = new LinkedHashMap<>();
    private final Map<String, String> pendingParent = new LinkedHashMap<>();

    private IniInventory(String file) {
        this.file = file;
        section("all").declared = new Location(file, 1, 1);        // Ansible's two groups that always exist
        section("ungrouped").declared = new Location(file, 1, 1);
    }

    /** The inventory as a YAML-shaped tree; an InventoryException names the line of what Ansible rejects. */
    static Located read(String text, String file) {
        IniInventory ini = new IniInventory(file);
        String[] lines = text.split("\r?\n", -1);
        String group = "ungrouped";
        String state = "hosts";
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            Location at = new Location(file, lineNo, lines[i].indexOf(line.charAt(0)) + 1);
            Matcher m = SECTION.matcher(line);
            if (m.matches()) {
                group = m.group(1);
                state = m.group(2) == null ? "hosts" : m.group(2);
                if (!List.of("hosts", "children", "vars").contains(state)) {
                    throw new InventoryException(at, "section [" + group + ":" + state + "] has unknown type: " + state
                            + " (hosts, children or vars)");
                }
                ini.declare(group, state, at);
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                throw new InventoryException(at, "invalid section entry: '" + line + "' (no spaces or other invalid "
                        + "characters in a section name)");
            }
            switch (state) {
                case "hosts" -> ini.hostLine(group, lines[i], lineNo);
                case "vars" -> ini.varLine(group, line, at);
                default -> ini.childLine(group, line, at);
            }
        }
        ini.checkPending();
        return ini.tree();
    }

    private Section section(String name) {
        return sections.computeIfAbsent(name, Section::new);
    }

    private void declare(String group, String state, Location at) {
        Section s = section(group);
        if (!state.equals("vars")) {
            pendingVars.remove(group);
            if (s.declared == null) {
                s.declared = at;
            }
            pendingChildren.remove(group);
        } else if (s.declared == null && !pendingChildren.containsKey(group)) {
            pendingVars.putIfAbsent(group, at);
        }
    }

    private void hostLine(String group, String raw, int lineNo) {
        List<Shlex.Token> tokens;
        try {
            tokens = Shlex.split(raw);
        } catch (IllegalArgumentException e) {
            throw new InventoryException(new Location(file, lineNo, 1), "cannot split host line '" + raw.strip() + "': "
                    + e.getMessage());
        }
        if (tokens.isEmpty()) {
            return;
        }
        Shlex.Token first = tokens.get(0);
        Location hostAt = new Location(file, lineNo, first.column());
        HostPattern pattern;
        try {
            pattern = HostPattern.parse(first.text());
        } catch (IllegalArgumentException e) {
            throw new InventoryException(hostAt, "host '" + first.text() + "': " + e.getMessage());
        }
        Map<String, Located> vars = new LinkedHashMap<>();
        for (Shlex.Token t : tokens.subList(1, tokens.size())) {
            int eq = t.text().indexOf('=');
            Location at = new Location(file, lineNo, t.column());
            if (eq < 0) {
                throw new InventoryException(at, "expected key=value host variable assignment, got: " + t.text());
            }
            String key = t.text().substring(0, eq);
            vars.put(key, wrap(PythonLiteral.evalOrText(t.text().substring(eq + 1)),
                    new Location(file, lineNo, t.column() + eq + 1), at));
        }
        if (pattern.port() != null) {
            vars.put("ansible_port", wrap(pattern.port(), hostAt, hostAt));
        }
        Section s = section(group);
        for (String host : pattern.hosts()) {
            s.hosts.computeIfAbsent(host, h -> new LinkedHashMap<>()).putAll(vars);
            s.hostLocations.putIfAbsent(host, hostAt);
        }
    }

    private void varLine(String group, String line, Location at) {
        int eq = line.indexOf('=');
        if (eq < 0) {
            throw new InventoryException(at, "expected key=value, got: " + line);
        }
        String key = line.substring(0, eq).strip();
        String value = line.substring(eq + 1).strip();
        int valueColumn = at.column() + line.indexOf(value, eq + 1);
        section(group).vars.put(key, wrap(PythonLiteral.evalOrText(value), new Location(file, at.line(), valueColumn), at));
    }

    private void childLine(String group, String line, Location at) {
        Matcher m = GROUP_NAME.matcher(line);
        if (!m.matches()) {
            throw new InventoryException(at, "expected group name, got: " + line);
        }
        String child = m.group(1);
        Section c = sections.get(child);
        if (c == null || c.declared == null) {
            pendingChildren.putIfAbsent(child, at);
            pendingParent.putIfAbsent(child, group);
            section(child);
        }
        section(group).children.add(child);
    }

    private void checkPending() {
        for (Map.Entry<String, Location> e : pendingVars.entrySet()) {
            throw new InventoryException(e.getValue(), "section [" + e.getKey() + ":vars] not valid for undefined group: "
                    + e.getKey());
        }
        for (Map.Entry<String, Location> e : pendingChildren.entrySet()) {
            throw new InventoryException(e.getValue(), "section [" + pendingParent.get(e.getKey()) + ":children] includes "
                    + "undefined group: " + e.getKey());
        }
    }

    /** {@code all} holding every group no other group holds, each group written out where it first appears. */
    private Located tree() {
        Set<String> held = new LinkedHashSet<>();
        sections.values().forEach(s -> held.addAll(s.children));
        Section all = section("all");
        Map<String, Located> top = new LinkedHashMap<>();
        Set<String> written = new LinkedHashSet<>(List.of("all"));
        for (Section s : sections.values()) {
            if (!s.name.equals("all") && !held.contains(s.name)) {
                top.put(s.name, group(s, written));
            }
        }
        Map<String, Located> root = new LinkedHashMap<>(body(all, written));
        Map<String, Located> children = new LinkedHashMap<>(root.containsKey("children") ? root.get("children").asMap() : Map.of());
        children.putAll(top);
        root.put("children", new Located(children, new Location(file, 1, 1)));
        return new Located(Map.of("all", new Located(root, new Location(file, 1, 1))), new Location(file, 1, 1));
    }

    private Located group(Section s, Set<String> written) {
        return written.add(s.name) ? new Located(body(s, written), at(s)) : new Located(null, at(s));
    }

    /** Where a group is declared; the file's start for one only named ({@code all}). */
    private Location at(Section s) {
        return s.declared != null ? s.declared : new Location(file, 1, 1);
    }

    private Map<String, Located> body(Section s, Set<String> written) {
        Map<String, Located> body = new LinkedHashMap<>();
        if (!s.hosts.isEmpty()) {
            Map<String, Located> hosts = new LinkedHashMap<>();
            s.hosts.forEach((host, vars) -> hosts.put(host, new Located(vars.isEmpty() ? null : vars, s.hostLocations.get(host))));
            body.put("hosts", new Located(hosts, at(s)));
        }
        if (!s.vars.isEmpty()) {
            body.put("vars", new Located(s.vars, at(s)));
        }
        if (!s.children.isEmpty()) {
            Map<String, Located> children = new LinkedHashMap<>();
            for (String child : s.children) {
                children.put(child, group(section(child), written));
            }
            body.put("children", new Located(children, at(s)));
        }
        return body;
    }

    /** A value from literal_eval as the YAML reader would hold it. */
    @SuppressWarnings("unchecked")
    private static Located wrap(Object value, Location at, Location key) {
        if (value instanceof List<?> list) {
            List<Located> items = new ArrayList<>();
            list.forEach(v -> items.add(wrap(v, at, null)));
            return new Located(items, at, false, key);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Located> entries = new LinkedHashMap<>();
            ((Map<String, Object>) map).forEach((k, v) -> entries.put(k, wrap(v, at, null)));
            return new Located(entries, at, false, key);
        }
        return new Located(value, at, false, key);
    }
}
