package io.meshfed.inventory.ansible;

import io.meshfed.inventory.InventoryException;
import io.meshfed.inventory.Warnings;
import io.meshfed.inventory.yaml.Located;
import io.meshfed.model.inventory.Location;
import io.meshfed.model.text.Suggestions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An Ansible inventory, YAML ({@code all} / {@code children} / {@code hosts} / {@code vars}) or INI
 * ({@link IniInventory}, read into the same tree), with the
 * {@code group_vars/} and {@code host_vars/} beside it, resolved the way Ansible 2.14 resolves it:
 * <ol>
 *   <li>inline vars of {@code all}, then of the host's other groups sorted by depth,
 *       {@code ansible_group_priority} and name;</li>
 *   <li>{@code group_vars/all}, then {@code group_vars/<group>} in the same order;</li>
 *   <li>inline host vars, then {@code host_vars/<host>}.</li>
 * </ol>
 * Later sources replace earlier ones key by key (Ansible's default {@code hash_behaviour=replace}).
 */
public final class AnsibleInventory {

    private static final List<String> SECTIONS = List.of("vars", "children", "hosts");

    private final VarsFiles varsFiles;
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final Map<String, Map<String, Located>> hostInlineVars = new LinkedHashMap<>();
    private final Map<String, Location> hostLocations = new LinkedHashMap<>();

    private final List<Vault.Secret> secrets;

    private AnsibleInventory(Path baseDir, String displayBase, Warnings warnings, List<Vault.Secret> secrets) {
        this.secrets = List.copyOf(secrets);
        this.varsFiles = new VarsFiles(baseDir, displayBase, warnings, secrets);
        Group all = group("all");
        all.addChild(group("ungrouped"));
    }

    /**
     * Reads {@code hostsFile} and the variable folders beside it.
     *
     * @param displayName how messages name the file (a path relative to where the user is)
     * @param warnings    told of what Ansible would warn about (a key given twice)
     */
    public static AnsibleInventory load(Path hostsFile, String displayName, Warnings warnings) {
        return load(hostsFile, displayName, warnings, List.of());
    }

    /** @param secrets the vault passwords, for what is vaulted and used (and vault-encrypted variables files) */
    public static AnsibleInventory load(Path hostsFile, String displayName, Warnings warnings, List<Vault.Secret> secrets) {
        Path base = hostsFile.toAbsolutePath().getParent();
        String parent = displayName.contains("/") ? displayName.substring(0, displayName.lastIndexOf('/') + 1) : "";
        AnsibleInventory inventory = new AnsibleInventory(base, parent, warnings, secrets);
        Located root = InventoryFormat.read(hostsFile, displayName, warnings);
        if (root.value() == null) {
            inventory.reconcile();
            return inventory;   // as Ansible: an empty file is an inventory with no hosts (what needs hosts says so)
        }
        if (!root.isMap()) {
            throw new InventoryException(root.location(), "an inventory is a mapping of groups (all: ...), not " + root.typeName());
        }
        root.asMap().forEach((name, data) -> inventory.parseGroup(name, data));
        inventory.reconcile();
        return inventory;
    }

    private Group group(String name) {
        return groups.computeIfAbsent(name, Group::new);
    }

    private Group parseGroup(String name, Located data) {
        if (data.keyType() != null) {
            throw new InventoryException(data.namedAt(), "Unable to add group " + pythonKey(name, data) + ": Invalid group "
                    + "name supplied, expected a string but got <class '" + data.keyType() + "'> for " + pythonKey(name, data));
        }
        if (data.value() != null && !data.isMap()) {
            throw new InventoryException(data.location(), "group '" + name + "' must be a mapping with vars, children "
                    + "or hosts, not " + data.typeName());
        }
        Group group = group(name);
        if (data.value() == null) {
            return group;
        }
        for (Map.Entry<String, Located> entry : data.asMap().entrySet()) {
            String key = entry.getKey();
            Located section = sectionOf(entry.getValue(), key);
            if (!SECTIONS.contains(key)) {
                throw new InventoryException(section.location(), "group '" + name + "': unexpected key '" + key
                        + "', only vars, children and hosts are valid" + Suggestions.didYouMean(key, SECTIONS));
            }
            if (section.value() == null) {
                continue;
            }
            if (!section.isMap()) {
                throw new InventoryException(section.location(), "group '" + name + "': '" + key
                        + "' must be a mapping, not " + section.typeName());
            }
            switch (key) {
                case "vars" -> section.asMap().forEach((var, value) -> setGroupVar(group, var, value));
                case "children" -> section.asMap().forEach((child, childData) ->
                        group.addChild(parseGroup(child, childData)));
                default -> section.asMap().forEach((host, hostData) -> addHost(group, host, hostData));
            }
        }
        return group;
    }

    /** A YAML key that was no string, as Python prints it ({@code True} for {@code yes:}). */
    private static String pythonKey(String name, Located data) {
        return "bool".equals(data.keyType()) ? ("true".equals(name) ? "True" : "False") : name;
    }

    /** Ansible allows a single name in place of a mapping: {@code hosts: blue}. */
    private static Located sectionOf(Located section, String key) {
        if (section.value() instanceof String single && !key.equals("vars")) {
            return new Located(Map.of(single, new Located(null, section.location())), section.location());
        }
        return section;
    }

    private void setGroupVar(Group group, String var, Located value) {
        if ("ansible_group_priority".equals(var)) {
            group.priority = priority(group.name, value);
        } else {
            group.vars.put(var, value);
        }
    }

    /** As Ansible takes it: {@code int(value)}, so a string of digits will do. */
    private static int priority(String group, Located value) {
        if (value.value() instanceof Integer priority) {
            return priority;
        }
        if (value.value() instanceof String text && text.trim().matches("[-+]?[0-9]+")) {
            try {
                return Integer.parseInt(text.trim().replace("+", ""));
            } catch (NumberFormatException tooLarge) {
                // reported below
            }
        }
        throw new InventoryException(value.location(), "group '" + group + "': ansible_group_priority must be an integer "
                + "(or a string of digits), not " + value.typeName() + (value.value() instanceof String ? " '" + value.value() + "'" : ""));
    }

    /** A host entry, possibly a range ({@code node[01:03]}) and a port, as Ansible's YAML plugin expands it. */
    private void addHost(Group group, String entry, Located data) {
        if (data.keyType() != null) {
            // Ansible's yaml plugin: "Host pattern 1234 must be a string. Enclose integers/floats in quotation marks."
            throw new InventoryException(data.namedAt(), "Host pattern " + pythonKey(entry, data) + " must be a string. "
                    + "Enclose integers/floats in quotation marks.");
        }
        if (data.value() != null && !data.isMap()) {
            throw new InventoryException(data.location(), "host '" + entry + "': its vars must be a mapping, not "
                    + data.typeName());
        }
        HostPattern pattern;
        try {
            pattern = HostPattern.parse(entry);
        } catch (IllegalArgumentException e) {
            throw new InventoryException(data.namedAt(), "host '" + entry + "': " + e.getMessage());
        }
        for (String host : pattern.hosts()) {
            if (!group.hosts.contains(host)) {
                group.hosts.add(host);
            }
            Map<String, Located> vars = hostInlineVars.computeIfAbsent(host, h -> new LinkedHashMap<>());
            hostLocations.putIfAbsent(host, data.location());
            if (data.value() != null) {
                vars.putAll(data.asMap());
            }
            if (pattern.port() != null) {
                vars.put("ansible_port", new Located(pattern.port(), data.namedAt()));
            }
        }
    }

    private void reconcile() {
        Group all = groups.get("all");
        Group ungrouped = groups.get("ungrouped");
        for (Group g : new ArrayList<>(groups.values())) {
            if (g != all && g.parents.isEmpty()) {
                all.addChild(g);
            }
        }
        for (String host : hostInlineVars.keySet()) {
            boolean inGroup = groups.values().stream()
                    .anyMatch(g -> g != all && g != ungrouped && g.hosts.contains(host));
            // as Ansible's reconcile_inventory: ungrouped holds the hosts of no other group, and only those
            if (inGroup) {
                ungrouped.hosts.remove(host);
            } else if (!ungrouped.hosts.contains(host)) {
                ungrouped.hosts.add(host);
            }
            all.hosts.remove(host);
        }
    }

    /** Host names, in the order the inventory first names them. */
    public List<String> hosts() {
        return List.copyOf(hostInlineVars.keySet());
    }

    /** Where a host is first named. */
    public Location hostLocation(String host) {
        return hostLocations.get(host);
    }

    /** The host's variables after Ansible's precedence rules, each with where it was set. */
    public Map<String, Located> hostVars(String host) {
        List<Group> sorted = groupsOf(host);
        Group all = groups.get("all");
        Map<String, Located> vars = new LinkedHashMap<>(all.vars);
        for (Group g : sorted) {
            vars.putAll(g.vars);
        }
        vars.putAll(varsFiles.load("group_vars", "all"));
        for (Group g : sorted) {
            vars.putAll(varsFiles.load("group_vars", g.name));
        }
        vars.putAll(hostInlineVars.get(host));
        vars.putAll(varsFiles.load("host_vars", host));
        return vars;
    }

    /**
     * The host's variables as Ansible uses them: {@link #hostVars} with the Jinja in them rendered
     * ({@link HostTemplates}); an InventoryException for what cannot be evaluated.
     */
    public Map<String, Located> renderedVars(String host) {
        return renderedVars(host, key -> true);
    }

    /** {@link #renderedVars(String)} where only {@code used} variables must evaluate, as Ansible evaluates a variable when used. */
    public Map<String, Located> renderedVars(String host, java.util.function.Predicate<String> used) {
        Map<String, Located> vars = new LinkedHashMap<>();
        hostVars(host).forEach((k, v) -> vars.put(k, decrypted(v)));
        Map<String, Located> rendered = HostTemplates.render(vars, () -> magicVars(host), templated, used);
        rendered.forEach((key, value) -> {
            if (used.test(key)) {
                Located vaulted = firstVaulted(value);
                if (vaulted != null) {
                    throw new InventoryException(vaulted.location(), "cannot decrypt " + key + ": "
                            + vaultErrors.get(vaulted).getMessage());
                }
            }
        });
        return rendered;
    }

    /**
     * Every text meshfed decrypted so far (a {@code !vault} value used, each value of a vault-encrypted variables
     * file): what it prints masks them.
     */
    public java.util.Set<String> revealed() {
        return java.util.Set.copyOf(varsFiles.revealed);
    }

    /** Each vaulted value as its plaintext where a password decrypts it (once per value), else as it is. */
    private final Map<Located, Located> decrypted = java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());
    private final Map<Located, Vault.VaultException> vaultErrors = java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

    private Located decrypted(Located value) {
        if (value.value() instanceof io.meshfed.inventory.yaml.Vaulted vaulted) {
            return decrypted.computeIfAbsent(value, v -> {
                try {
                    String plain = new String(Vault.decrypt(vaulted.envelope(), secrets), java.nio.charset.StandardCharsets.UTF_8);
                    varsFiles.revealed.add(plain);
                    return new Located(plain, v.location(), false, v.keyLocation());
                } catch (Vault.VaultException e) {
                    vaultErrors.put(v, e);
                    return v;
                }
            });
        }
        if (value.isMap()) {
            Map<String, Located> out = new LinkedHashMap<>();
            value.asMap().forEach((k, v) -> out.put(k, decrypted(v)));
            return out.equals(value.asMap()) ? value : new Located(out, value.location(), value.unsafe(), value.keyLocation());
        }
        if (value.isList()) {
            List<Located> out = new java.util.ArrayList<>();
            value.asList().forEach(v -> out.add(decrypted(v)));
            return out.equals(value.asList()) ? value : new Located(out, value.location(), value.unsafe(), value.keyLocation());
        }
        return value;
    }

    private static Located firstVaulted(Located value) {
        if (value.value() instanceof io.meshfed.inventory.yaml.Vaulted) {
            return value;
        }
        if (value.isMap()) {
            return value.asMap().values().stream().map(AnsibleInventory::firstVaulted).filter(java.util.Objects::nonNull)
                    .findFirst().orElse(null);
        }
        if (value.isList()) {
            return value.asList().stream().map(AnsibleInventory::firstVaulted).filter(java.util.Objects::nonNull)
                    .findFirst().orElse(null);
        }
        return null;
    }

    /**
     * Whether a value holds Jinja, by value instance: a group's variables are the same instances for
     * every host of the group, so a large one (a federation of 100 clusters) is scanned once, not per host.
     */
    private final Map<Located, Boolean> templated = java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

    /** Ansible's magic variables for a host: its name, its groups, every group's hosts, every host's variables. */
    private Map<String, Object> magicVars(String host) {
        Map<String, Object> magic = new LinkedHashMap<>();
        magic.put("inventory_hostname", host);
        magic.put("inventory_hostname_short", host.split("\\.", 2)[0]);
        magic.put("group_names", groupsOf(host).stream().map(g -> g.name).sorted().toList());
        Map<String, Object> groupHosts = new LinkedHashMap<>();
        for (Group g : groups.values()) {
            groupHosts.put(g.name, g.name.equals("all") ? hosts() : hostsUnder(g));
        }
        magic.put("groups", groupHosts);
        magic.put("hostvars", new java.util.AbstractMap<String, Object>() {   // read when a template asks
            @Override
            public Object get(Object name) {
                return name instanceof String h && hostInlineVars.containsKey(h) ? plain(hostVars(h)) : null;
            }

            @Override
            public boolean containsKey(Object name) {
                return name instanceof String h && hostInlineVars.containsKey(h);
            }

            @Override
            public Set<Entry<String, Object>> entrySet() {
                Map<String, Object> all = new LinkedHashMap<>();
                hosts().forEach(h -> all.put(h, plain(hostVars(h))));
                return all.entrySet();
            }
        });
        return magic;
    }

    private static Map<String, Object> plain(Map<String, Located> vars) {
        Map<String, Object> plain = new LinkedHashMap<>();
        vars.forEach((k, v) -> plain.put(k, v.plain()));
        return plain;
    }

    /** A variable of the group all (its inline vars, then group_vars/all), as written; null where it has none. */
    public Located allVar(String key) {
        Located file = varsFiles.load("group_vars", "all").get(key);
        return file != null ? file : groups.get("all").vars.get(key);
    }

    /**
     * The hosts an Ansible host pattern names, in the pattern's order, each term's in the inventory's
     * ({@code ansible-playbook -l}): terms
     * separated by {@code ,} or {@code :}; a term is a group (its hosts and its children's), a host, a wildcard
     * ({@code *}, {@code ?}) over both, or {@code ~regex}; {@code &term} keeps only hosts it names too and
     * {@code !term} removes those it names, after the plain terms are joined.
     *
     * @throws IllegalArgumentException naming a term that matches no group and no host
     */
    public List<String> select(String pattern) {
        Set<String> chosen = new java.util.LinkedHashSet<>();
        List<String> intersect = new ArrayList<>();
        List<String> exclude = new ArrayList<>();
        // Ansible's split_host_pattern: a pattern with a comma is a comma-separated list (its terms keep their colons);
        // else a colon-separated one
        for (String term : pattern.split(pattern.contains(",") ? "," : ":")) {
            String t = term.strip();
            if (t.isEmpty()) {
                continue;
            }
            if (t.startsWith("&")) {
                intersect.add(t.substring(1));
            } else if (t.startsWith("!")) {
                exclude.add(t.substring(1));
            } else {
                chosen.addAll(matching(t));
            }
        }
        for (String t : intersect) {
            chosen.retainAll(matching(t));
        }
        for (String t : exclude) {
            matching(t).forEach(chosen::remove);
        }
        return List.copyOf(chosen);   // the pattern's order, as ansible --list-hosts gives it (west,east: west first)
    }

    private List<String> matching(String term) {
        if (term.equals("all") || term.equals("*")) {
            return hosts();
        }
        java.util.function.Predicate<String> name;
        if (term.startsWith("~")) {
            java.util.regex.Pattern regex = java.util.regex.Pattern.compile(term.substring(1));
            name = n -> regex.matcher(n).lookingAt();
        } else if (term.contains("*") || term.contains("?")) {
            java.util.regex.Pattern glob = java.util.regex.Pattern.compile(term.chars().mapToObj(c -> c == '*' ? ".*"
                    : c == '?' ? "." : java.util.regex.Pattern.quote(String.valueOf((char) c))).collect(
                    java.util.stream.Collectors.joining()));
            name = n -> glob.matcher(n).matches();
        } else {
            name = term::equals;
        }
        Set<String> found = new java.util.LinkedHashSet<>();
        for (Group g : groups.values()) {
            if (name.test(g.name)) {
                found.addAll(g.name.equals("all") ? hosts() : hostsUnder(g));
            }
        }
        hosts().stream().filter(name).forEach(found::add);
        if (found.isEmpty()) {
            throw new IllegalArgumentException("'" + term + "' matches no group and no host");
        }
        return List.copyOf(found);
    }

    /**
     * The hosts of a group and of the groups below it, as Ansible's Group.get_hosts orders them: the group's own in
     * the order it names them, then its descendants' (ansible -l prod lists [prod]'s hosts as [prod] lists them).
     */
    private List<String> hostsUnder(Group group) {
        Set<String> found = new java.util.LinkedHashSet<>();
        java.util.Deque<Group> todo = new java.util.ArrayDeque<>(List.of(group));
        Set<Group> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            Group g = todo.pop();
            if (seen.add(g)) {
                found.addAll(g.hosts);
                todo.addAll(g.children);
            }
        }
        return List.copyOf(found);
    }

    /** Every group the host is in, with their ancestors, without 'all', in Ansible's precedence order. */
    private List<Group> groupsOf(String host) {
        Set<Group> in = new HashSet<>();
        for (Group g : groups.values()) {
            if (g.hosts.contains(host)) {
                in.addAll(g.withAncestors());
            }
        }
        in.remove(groups.get("all"));
        List<Group> sorted = new ArrayList<>(in);
        sorted.sort(Comparator.<Group>comparingInt(g -> g.depth).thenComparingInt(g -> g.priority)
                .thenComparing(g -> g.name));
        return sorted;
    }

    /**
     * What {@code ansible-inventory --graph GROUP} prints: the group, its child groups depth first, then its
     * hosts (none under {@code all}), each line indented by {@code "  |"} per level; null when there is no such group.
     */
    public String graph(String group) {
        return graph(group, false);
    }

    /**
     * {@code ansible-inventory --graph GROUP [--vars]}: with {@code vars}, each host's variables under it and each
     * group's own after its hosts, sorted, as {@code {name = value}} with Python's str() of the value.
     */
    public String graph(String group, boolean vars) {
        Group start = groups.get(group);
        if (start == null) {
            return null;
        }
        List<String> lines = new ArrayList<>();
        graph(start, 0, lines, vars);
        return String.join("\n", lines);
    }

    private void graph(Group group, int depth, List<String> lines, boolean vars) {
        lines.add(graphName("@" + group.name + ":", depth));
        for (Group child : group.children) {
            graph(child, depth + 1, lines, vars);
        }
        if (!group.name.equals("all")) {
            for (String host : group.hosts) {
                lines.add(graphName(host, depth + 1));
                if (vars) {
                    graphVars(listedVars(host), depth + 2, lines);
                }
            }
        }
        if (vars) {
            Map<String, Object> own = new LinkedHashMap<>();
            group.vars.forEach((k, v) -> own.put(k, v.listed()));
            varsFiles.load("group_vars", group.name).forEach((k, v) -> own.put(k, v.listed()));
            if (group.priority != 1) {
                own.put("ansible_group_priority", group.priority);
            }
            INTERNAL_VARS.forEach(own::remove);
            graphVars(own, depth + 1, lines);
        }
    }

    private static void graphVars(Map<String, Object> vars, int depth, List<String> lines) {
        new java.util.TreeMap<>(vars).forEach((k, v) -> lines.add(graphName("{" + k + " = " + PythonText.str(v) + "}", depth)));
    }

    private static String graphName(String name, int depth) {
        return depth == 0 ? name : "  |".repeat(depth) + "--" + name;
    }

    /**
     * Variables ansible-inventory never prints, even where an inventory sets them (ansible/cli/inventory.py's
     * INTERNAL_VARS): Ansible's magic and run-time variables.
     */
    static final Set<String> INTERNAL_VARS = Set.of("ansible_diff_mode", "ansible_config_file", "ansible_facts",
            "ansible_forks", "ansible_inventory_sources", "ansible_limit", "ansible_playbook_python", "ansible_run_tags",
            "ansible_skip_tags", "ansible_verbosity", "ansible_version", "inventory_dir", "inventory_file",
            "inventory_hostname", "inventory_hostname_short", "groups", "group_names", "omit", "playbook_dir");

    /** A host's variables as {@code ansible-inventory --host} prints them: as written, the internal ones left out. */
    public Map<String, Object> listedVars(String host) {
        Map<String, Object> plain = new LinkedHashMap<>();
        hostVars(host).forEach((k, v) -> {
            if (!INTERNAL_VARS.contains(k)) {
                plain.put(k, v.listed());
            }
        });
        return plain;
    }

    /**
     * What {@code ansible-inventory --list} prints: groups with their direct hosts and children
     * (empty ones left out) and {@code _meta.hostvars}.
     */
    public Map<String, Object> listing() {
        Map<String, Object> result = new LinkedHashMap<>();
        formatGroup(groups.get("all"), result, new HashSet<>());
        Map<String, Object> hostvars = new LinkedHashMap<>();
        for (String host : hosts()) {
            Map<String, Object> plain = new LinkedHashMap<>();
            plain.putAll(listedVars(host));
            if (!plain.isEmpty()) {
                hostvars.put(host, plain);
            }
        }
        result.put("_meta", Map.of("hostvars", hostvars));
        return result;
    }

    private void formatGroup(Group group, Map<String, Object> result, Set<String> seen) {
        Map<String, Object> entry = new LinkedHashMap<>();
        result.put(group.name, entry);
        if (!group.name.equals("all") && !group.hosts.isEmpty()) {
            entry.put("hosts", List.copyOf(group.hosts));
        }
        List<String> children = new ArrayList<>();
        for (Group child : group.children) {
            children.add(child.name);
            if (seen.add(child.name)) {
                formatGroup(child, result, seen);
            }
        }
        if (!children.isEmpty()) {
            entry.put("children", children);
        }
        if (entry.isEmpty()) {
            result.remove(group.name);
        }
    }
}
