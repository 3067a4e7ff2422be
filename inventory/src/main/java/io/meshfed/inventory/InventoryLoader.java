package io.meshfed.inventory;

import io.meshfed.inventory.ansible.AnsibleInventory;
import io.meshfed.inventory.ansible.Vault;
import io.meshfed.inventory.ansible.VaultSecrets;
import io.meshfed.inventory.yaml.Located;
import io.meshfed.model.inventory.ClusterSpec;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.model.inventory.MigrationPhase;
import io.meshfed.model.inventory.Location;
import io.meshfed.model.text.Quoted;
import io.meshfed.model.inventory.MultiCluster;
import io.meshfed.model.inventory.Topology;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Loads an inventory: a {@code hosts.yaml} file, or a folder holding {@code hosts.yaml} (or
 * {@code hosts.yml}), with {@code group_vars/} and {@code host_vars/} beside it. Every host is a
 * cluster; the topology is the {@code federation} variable, usually in {@code group_vars/all}.
 * All problems are collected and thrown as one {@link InventoryException}.
 */
public final class InventoryLoader {

    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final int MAX_NAME = 50;

    private InventoryLoader() {
    }

    /** The loaded inventory with the Ansible view it came from, and what is worth a warning. */
    public record Loaded(Inventory inventory, AnsibleInventory ansible, List<InventoryException.Problem> warnings) {
    }

    /** The inventory as Ansible reads it, and its warnings. */
    public record Listed(AnsibleInventory ansible, List<InventoryException.Problem> warnings) {
    }

    /**
     * The inventory as Ansible reads it (groups, hosts, their variables as written), without meshfed's checks or
     * any template evaluated: what {@code ansible-inventory} lists, for any inventory.
     */
    public static Listed loadAnsible(Path path) {
        return loadAnsible(path, VaultSecrets.fromEnvironment());
    }

    /** @param secrets vault passwords, for variables files ansible-vault encrypted whole */
    public static Listed loadAnsible(Path path, List<Vault.Secret> secrets) {
        Warnings warnings = new Warnings();
        try {
            Path hostsFile = hostsFile(path);
            return new Listed(AnsibleInventory.load(hostsFile, display(hostsFile), warnings, secrets), warnings.list());
        } catch (InventoryException e) {
            throw e.withWarnings(warnings.list());
        }
    }

    public static Inventory load(Path path) {
        return loadWithSource(path).inventory();
    }

    /** The inventory, with ANSIBLE_VAULT_PASSWORD_FILE's password where it is set. */
    public static Loaded loadWithSource(Path path) {
        return loadWithSource(path, VaultSecrets.fromEnvironment());
    }

    /**
     * The inventory; an InventoryException carries every problem, and the warnings found before them.
     *
     * @param secrets the vault passwords: a vaulted value meshfed uses is decrypted with them
     */
    public static Loaded loadWithSource(Path path, List<Vault.Secret> secrets) {
        Warnings warnings = new Warnings();
        try {
            return loadWithSource(path, warnings, secrets);
        } catch (InventoryException e) {
            throw e.withWarnings(warnings.list());
        }
    }

    private static Loaded loadWithSource(Path path, Warnings warnings, List<Vault.Secret> secrets) {
        Path hostsFile = hostsFile(path);
        String display = display(hostsFile);
        AnsibleInventory ansible = AnsibleInventory.load(hostsFile, display, warnings, secrets);
        try {
            return loadWithSource(ansible, hostsFile, display, warnings);
        } catch (InventoryException e) {
            throw e.masked(ansible.revealed());   // a check that quotes a value it refuses never shows a vaulted one
        }
    }

    private static Loaded loadWithSource(AnsibleInventory ansible, Path hostsFile, String display, Warnings warnings) {
        Path baseDir = hostsFile.toAbsolutePath().getParent();
        String displayBase = display.contains("/") ? display.substring(0, display.lastIndexOf('/') + 1) : "";
        ManifestReader manifests = new ManifestReader(baseDir, displayBase, warnings);

        Problems problems = new Problems();
        if (ansible.hosts().isEmpty()) {
            problems.add(new Location(display, 1, 1), "the inventory has no hosts: list each cluster as a host");
            problems.throwIfAny();
        }
        List<String> chosen = clusterHosts(ansible, problems);
        problems.throwIfAny();
        // every problem in one pass: each host's own (its variables' Jinja, its keys and their types), then across
        // hosts, then the federation's; a host with problems of its own is left out of the federation's checks (what
        // they would say of it follows from its own problems)
        Map<String, Map<String, Located>> vars = new LinkedHashMap<>();
        Set<String> leftOut = new LinkedHashSet<>();
        for (String host : chosen) {
            try {
                // as Ansible: a variable is evaluated when used, and meshfed uses its own keys only
                vars.put(host, ansible.renderedVars(host, HostKeys.ALL::contains));
            } catch (InventoryException e) {
                e.problems().forEach(p -> problems.add(p.location(), p.message()));
                leftOut.add(host);
            }
        }
        boolean unevaluated = !leftOut.isEmpty();   // hosts whose variables could not be evaluated: not read at all
        List<ClusterSpec> read = new ArrayList<>();
        for (String host : chosen) {
            if (leftOut.contains(host)) {
                continue;
            }
            int before = problems.size();
            read.add(ClusterReader.read(host, vars.get(host), ansible.hostLocation(host), manifests, problems));
            if (problems.size() > before) {
                leftOut.add(host);
            }
        }
        // what hosts say of themselves is compared across all of them that could be read (names must be unique)
        List<ClusterSpec> federatedRead = read.stream().filter(c -> !c.multiCluster()).toList();
        List<ClusterSpec> multiCluster = read.stream().filter(ClusterSpec::multiCluster).toList();
        checkUnique(federatedRead, vars, problems);
        int beforeFederation = problems.size();
        Located federation = sameForAll(vars, HostKeys.FEDERATION, problems);
        boolean federationSame = problems.size() == beforeFederation;
        Located nameVar = sameForAll(vars, HostKeys.INVENTORY_NAME, problems);
        String name = nameVar == null && unevaluated ? null : inventoryName(nameVar, display, problems);
        keysOfTheOtherGeneration(federatedRead, multiCluster, vars, problems);
        MultiCluster mesh = multiCluster.isEmpty() ? null : MultiClusterReader.read(name, multiCluster,
                only(vars, multiCluster), ansible.hostLocation(multiCluster.get(0).name()), baseDir, problems);
        // the federation is checked over the hosts without problems of their own
        List<ClusterSpec> clusters = read.stream().filter(c -> !leftOut.contains(c.name())).toList();
        List<ClusterSpec> federated = clusters.stream().filter(c -> !c.multiCluster()).toList();
        if (!federationSame || chosen.size() == leftOut.size()) {
            problems.throwIfAny();   // which federation the hosts mean is not known: its checks would guess
        }

        Topology topology = TopologyReader.read(federation, federated, multiCluster, leftOut, problems);
        Located migrationVar = sameForAll(only(vars, federated), HostKeys.MESH_MIGRATION, problems);
        topology = topology.in(migration(migrationVar, problems));
        Located versionVar = sameForAll(only(vars, federated), HostKeys.MESH_MIGRATION_VERSION, problems);
        if (versionVar != null && versionVar.value() != null) {
            if (versionVar.value() instanceof String version && IstioReader.VERSION.matcher(version).matches()) {
                topology = topology.towards(version);
            } else {
                problems.add(versionVar.location(), "mesh_migration_version must be an OSSM 3 (Istio) version like v1.30.3 or "
                        + "v1.30-latest (the Istio the migration installs), not " + (versionVar.value() instanceof String version
                        ? Quoted.of(version) : Fields.shown(versionVar).strip()));
            }
        }
        if (topology.migration() != MigrationPhase.FEDERATED) {
            for (ClusterSpec c : federated) {
                if (!"v2.6".equals(c.mesh().version())) {
                    problems.add(migrationVar.location(), "mesh_migration: " + topology.migration().word() + " starts from "
                            + "OpenShift Service Mesh 2.6 (the migration guide's prerequisite), and host '" + c.name()
                            + "' has mesh_version " + c.mesh().version() + ": set mesh_version: v2.6 and apply first");
                }
            }
        }
        int beforeTopology = problems.size();
        AddressOverlap.check(clusters, topology, vars, problems);
        Inventory inventory = new Inventory(name == null ? "inventory" : name, clusters, topology, mesh);
        if (problems.size() == beforeTopology) {
            TopologyValidator.validate(inventory, problems);
        }
        problems.throwIfAny();
        return new Loaded(inventory, ansible, warnings.list());
    }

    /**
     * The hosts that are clusters: those {@code meshfed_clusters} (an Ansible host pattern in the group all's
     * variables, as written: {@code meshes}, {@code meshes:&prod}, {@code all:!bastions}) names, else every host.
     * A site inventory says it once; the other hosts (bastions, VMs) are not read at all.
     */
    private static List<String> clusterHosts(AnsibleInventory ansible, Problems problems) {
        Located pattern = ansible.allVar(HostKeys.CLUSTERS);
        if (pattern == null) {
            return ansible.hosts();
        }
        if (!(pattern.value() instanceof String text) || text.isBlank()) {
            problems.add(pattern.location(), "meshfed_clusters must be an Ansible host pattern (meshes, meshes:&prod, "
                    + "all:!bastions), not " + Fields.shown(pattern).strip());
            return List.of();
        }
        try {
            List<String> hosts = ansible.select(text);
            if (hosts.isEmpty()) {
                problems.add(pattern.location(), "meshfed_clusters " + Quoted.of(text) + " leaves no host");
            }
            return hosts;
        } catch (IllegalArgumentException e) {
            problems.add(pattern.location(), "meshfed_clusters " + Quoted.of(text) + ": " + e.getMessage());
            return List.of();
        }
    }

    private static Path hostsFile(Path path) {
        if (Files.isDirectory(path)) {
            for (String candidate : List.of("hosts.yaml", "hosts.yml", "hosts", "hosts.ini")) {
                if (Files.isRegularFile(path.resolve(candidate))) {
                    return path.resolve(candidate);
                }
            }
            throw new InventoryException(new Location(display(path), 0, 0),
                    "no hosts.yaml, hosts.yml, hosts or hosts.ini in this inventory folder");
        }
        if (!Files.exists(path)) {
            throw new InventoryException(new Location(display(path), 0, 0), "no such file or folder");
        }
        if (!Files.isReadable(path)) {
            throw new InventoryException(new Location(display(path), 0, 0), "cannot read file: permission denied");
        }
        return path;
    }

    private static String display(Path path) {
        Path cwd = Path.of("").toAbsolutePath();
        Path abs = path.toAbsolutePath().normalize();
        return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
    }

    private static void checkUnique(List<ClusterSpec> clusters, Map<String, Map<String, Located>> vars, Problems problems) {
        Map<String, String> meshNames = new HashMap<>();
        Map<String, String> trustDomains = new HashMap<>();
        for (ClusterSpec c : clusters) {
            String other = meshNames.putIfAbsent(c.mesh().name(), c.name());
            if (other != null) {
                // at the name written out: this host's mesh_name, else the other's (this one is derived from its host)
                Located mine = vars.get(c.name()).get(HostKeys.MESH_NAME);
                Located theirs = vars.get(other).get(HostKeys.MESH_NAME);
                Location at = mine != null ? mine.location() : theirs != null ? theirs.location() : Location.UNKNOWN;
                problems.add(at, "host '" + c.name() + "': mesh name '"
                        + c.mesh().name() + "' is also used by host '" + other + "'; peers know a mesh by its name, so it "
                        + "must be unique");
            }
            other = trustDomains.putIfAbsent(c.mesh().trustDomain(), c.name());
            Located explicit = vars.get(c.name()).get(HostKeys.MESH_TRUST_DOMAIN);
            Located otherExplicit = other == null ? null : vars.get(other).get(HostKeys.MESH_TRUST_DOMAIN);
            if (other != null && (explicit != null || otherExplicit != null)) {   // else: derived from a mesh name said above
                problems.add(explicit != null ? explicit.location() : otherExplicit.location(), "host '" + c.name()
                        + "': trust domain '" + c.mesh().trustDomain() + "' is also used by host '" + other + "'; federated "
                        + "meshes need distinct trust domains");
            }
        }
    }

    private static Location where(Map<String, Located> vars, String key) {
        Located v = vars.get(key);
        return v == null ? Location.UNKNOWN : v.location();
    }

    /** {@code mesh_migration}: a phase's name ({@link MigrationPhase}); federated where it is not set. */
    private static MigrationPhase migration(Located value, Problems problems) {
        if (value == null || value.value() == null) {
            return MigrationPhase.FEDERATED;
        }
        MigrationPhase phase = value.value() instanceof String word ? MigrationPhase.of(word) : null;
        if (phase == null) {
            String suggestion = value.value() instanceof String word
                    ? io.meshfed.model.text.Suggestions.closest(word, MigrationPhase.words(), 2) : null;
            problems.add(value.location(), "mesh_migration must be one of " + String.join(", ", MigrationPhase.words())
                    + " (the phases of the migration to OSSM 3, in order), not "
                    + (value.value() instanceof String word ? Quoted.of(word) : Fields.shown(value).strip())
                    + (suggestion == null ? "" : " (did you mean " + suggestion + "?)"));
            return MigrationPhase.FEDERATED;
        }
        return phase;
    }

    /**
     * A key of one generation where no host is of that generation: a mistake (a mixed inventory, moving from
     * federation to multi-cluster, may set both kinds in group_vars/all, each for its own hosts).
     */
    private static void keysOfTheOtherGeneration(List<ClusterSpec> federated, List<ClusterSpec> multiCluster,
                                                 Map<String, Map<String, Located>> vars, Problems problems) {
        java.util.Set<Location> said = new java.util.HashSet<>();
        for (Map.Entry<String, Map<String, Located>> host : vars.entrySet()) {
            List<String> wrong = federated.isEmpty() ? HostKeys.FEDERATION_ONLY
                    : multiCluster.isEmpty() ? HostKeys.MULTI_CLUSTER_ONLY : List.of();
            for (String key : wrong) {
                Located v = host.getValue().get(key);
                if (v != null && said.add(v.location())) {
                    problems.add(v.location(), "host '" + host.getKey() + "': " + key + (federated.isEmpty()
                            ? " is for OSSM 2 federation, and every host has mesh_generation: ossm3"
                            : " is for OSSM 3 multi-cluster meshes, and no host has mesh_generation: ossm3"));
                }
            }
        }
    }

    private static Map<String, Map<String, Located>> only(Map<String, Map<String, Located>> vars, List<ClusterSpec> hosts) {
        Map<String, Map<String, Located>> some = new LinkedHashMap<>();
        hosts.forEach(h -> some.put(h.name(), vars.get(h.name())));
        return some;
    }

    /** A variable that must be the same for every host (set once, for 'all'). */
    static Located sameForAll(Map<String, Map<String, Located>> vars, String key, Problems problems) {
        Located first = null;
        String firstHost = null;
        for (Map.Entry<String, Map<String, Located>> e : vars.entrySet()) {
            Located v = e.getValue().get(key);
            if (firstHost == null) {
                first = v;
                firstHost = e.getKey();
            } else if (!sameSource(first, v)) {
                Located shown = v != null ? v : first;
                problems.add(shown.location(), "'" + key + "' differs between host '" + firstHost + "' and host '"
                        + e.getKey() + "'; set it once for all hosts (group_vars/all)");
                return first;
            }
        }
        return first;
    }

    private static boolean sameSource(Located a, Located b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.location().equals(b.location()) || java.util.Objects.equals(a.plain(), b.plain());
    }

    /**
     * The inventory's name, which marks everything meshfed owns for it: required, because the folder's
     * name changes when the same inventory is mounted in a Job or checked out elsewhere, and a changed
     * name would hand the objects to "another" inventory.
     */
    private static String inventoryName(Located nameVar, String hostsFile, Problems problems) {
        if (nameVar == null) {
            problems.add(new Location(hostsFile, 1, 1), "meshfed_inventory_name is not set: name the inventory once, in "
                    + "group_vars/all (for example 'meshfed_inventory_name: blue-green'); it marks the objects meshfed "
                    + "owns for it, so it must stay the same wherever the inventory is checked out or mounted");
            return "inventory";
        }
        if (!(nameVar.value() instanceof String name)) {
            problems.add(nameVar.location(), "meshfed_inventory_name must be a string, not " + nameVar.typeName());
            return "inventory";
        }
        if (name.length() > MAX_NAME || !NAME.matcher(name).matches()) {
            problems.add(nameVar.location(), "meshfed_inventory_name '" + name + "' must be lowercase letters, digits and "
                    + "'-', starting and ending with a letter or digit, at most " + MAX_NAME + " characters (it is a label "
                    + "value, part of an annotation key and of a ConfigMap's name)");
        }
        return name;
    }
}
