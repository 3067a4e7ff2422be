package io.meshfed.inventory;

import io.meshfed.inventory.ansible.AnsibleInventory;
import io.meshfed.inventory.yaml.Located;
import io.meshfed.model.inventory.ClusterSpec;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.model.inventory.Location;
import io.meshfed.model.inventory.Topology;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Loads an inventory: a {@code hosts.yaml} file, or a folder holding {@code hosts.yaml} (or
 * {@code hosts.yml}), with {@code group_vars/} and {@code host_vars/} beside it. Every host is a
 * cluster; the topology is the {@code federation} variable, usually in {@code group_vars/all}.
 * All problems are collected and thrown as one {@link InventoryException}.
 */
public final class InventoryLoader {

    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");

    private InventoryLoader() {
    }

    /** The loaded inventory with the Ansible view it came from. */
    public record Loaded(Inventory inventory, AnsibleInventory ansible) {
    }

    public static Inventory load(Path path) {
        return loadWithSource(path).inventory();
    }

    public static Loaded loadWithSource(Path path) {
        Path hostsFile = hostsFile(path);
        String display = display(hostsFile);
        AnsibleInventory ansible = AnsibleInventory.load(hostsFile, display);
        Path baseDir = hostsFile.toAbsolutePath().getParent();
        String displayBase = display.contains("/") ? display.substring(0, display.lastIndexOf('/') + 1) : "";
        ManifestReader manifests = new ManifestReader(baseDir, displayBase);

        Problems problems = new Problems();
        if (ansible.hosts().isEmpty()) {
            problems.add(new Location(display, 1, 1), "the inventory has no hosts: list each cluster as a host");
            problems.throwIfAny();
        }
        Map<String, Map<String, Located>> vars = new LinkedHashMap<>();
        List<ClusterSpec> clusters = new ArrayList<>();
        for (String host : ansible.hosts()) {
            Map<String, Located> hostVars = ansible.hostVars(host);
            vars.put(host, hostVars);
            clusters.add(ClusterReader.read(host, hostVars, ansible.hostLocation(host), manifests, problems));
        }
        checkUnique(clusters, vars, problems);
        Located federation = sameForAll(vars, HostKeys.FEDERATION, problems);
        Located nameVar = sameForAll(vars, HostKeys.INVENTORY_NAME, problems);
        String name = inventoryName(nameVar, baseDir, problems);
        problems.throwIfAny();

        Topology topology = TopologyReader.read(federation, clusters, problems);
        problems.throwIfAny();
        AddressOverlap.check(clusters, topology, vars, problems);
        Inventory inventory = new Inventory(name, clusters, topology);
        TopologyValidator.validate(inventory, problems);
        problems.throwIfAny();
        return new Loaded(inventory, ansible);
    }

    private static Path hostsFile(Path path) {
        if (Files.isDirectory(path)) {
            for (String candidate : List.of("hosts.yaml", "hosts.yml")) {
                if (Files.isRegularFile(path.resolve(candidate))) {
                    return path.resolve(candidate);
                }
            }
            throw new InventoryException(new Location(display(path), 0, 0),
                    "no hosts.yaml or hosts.yml in this inventory folder");
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
                problems.add(where(vars.get(c.name()), HostKeys.MESH_NAME), "host '" + c.name() + "': mesh name '"
                        + c.mesh().name() + "' is also used by host '" + other + "'; peers know a mesh by its name, so it "
                        + "must be unique");
            }
            other = trustDomains.putIfAbsent(c.mesh().trustDomain(), c.name());
            if (other != null) {
                problems.add(where(vars.get(c.name()), HostKeys.MESH_TRUST_DOMAIN), "host '" + c.name()
                        + "': trust domain '" + c.mesh().trustDomain() + "' is also used by host '" + other + "'; federated "
                        + "meshes need distinct trust domains");
            }
        }
    }

    private static Location where(Map<String, Located> vars, String key) {
        Located v = vars.get(key);
        return v == null ? Location.UNKNOWN : v.location();
    }

    /** A variable that must be the same for every host (set once, for 'all'). */
    private static Located sameForAll(Map<String, Map<String, Located>> vars, String key, Problems problems) {
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

    private static String inventoryName(Located nameVar, Path baseDir, Problems problems) {
        if (nameVar != null && !(nameVar.value() instanceof String)) {
            problems.add(nameVar.location(), "meshfed_inventory_name must be a string, not " + nameVar.typeName());
            return "inventory";
        }
        String name = nameVar != null ? (String) nameVar.value() : baseDir.getFileName().toString();
        if (name.length() > 63 || !LABEL_VALUE.matcher(name).matches()) {
            problems.add(nameVar != null ? nameVar.location() : Location.UNKNOWN, "the inventory name '" + name
                    + "' must be a label value (letters, digits, '-', '_', '.', at most 63); set meshfed_inventory_name");
        }
        return name;
    }
}
