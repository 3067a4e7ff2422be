package io.meshfed.model.inventory;

import java.util.List;
import java.util.TreeSet;

/**
 * The federation the user wants: who peers with whom, what is exported, imported and routed, and where
 * it stands on its way to OSSM 3 ({@link MigrationPhase}) and to which Istio version ({@code ossm3Version}, the
 * Sail operator's {@code spec.version}). Cluster names are inventory host names.
 */
public record Topology(List<Peering> peerings, List<ExportRule> exports, List<ImportRule> imports,
                       List<Route> routes, MigrationPhase migration, String ossm3Version) {

    /** The Istio version the migration installs unless the inventory says another (OSSM 3.4's). */
    public static final String DEFAULT_OSSM3_VERSION = "v1.30-latest";

    public Topology {
        peerings = List.copyOf(peerings);
        exports = List.copyOf(exports);
        imports = List.copyOf(imports);
        routes = List.copyOf(routes);
        migration = migration == null ? MigrationPhase.FEDERATED : migration;
        ossm3Version = ossm3Version == null ? DEFAULT_OSSM3_VERSION : ossm3Version;
    }

    /** A federation that is not migrating. */
    public Topology(List<Peering> peerings, List<ExportRule> exports, List<ImportRule> imports, List<Route> routes) {
        this(peerings, exports, imports, routes, MigrationPhase.FEDERATED, null);
    }

    public static Topology empty() {
        return new Topology(List.of(), List.of(), List.of(), List.of());
    }

    /** The same federation, in another phase of its migration to OSSM 3. */
    public Topology in(MigrationPhase phase) {
        return new Topology(peerings, exports, imports, routes, phase, ossm3Version);
    }

    /** The same federation, migrating to another Istio version. */
    public Topology towards(String version) {
        return new Topology(peerings, exports, imports, routes, migration, version);
    }

    /**
     * The revision the Sail operator names the migration's revision-based Istio by: {@code default-<version, dots as
     * dashes>}; the member namespaces and their workloads move to it.
     */
    public String ossm3Revision() {
        return "default-" + ossm3Version.replace('.', '-');
    }

    /** The clusters {@code cluster} peers with, sorted by name. */
    public List<String> peersOf(String cluster) {
        TreeSet<String> peers = new TreeSet<>();
        for (Peering p : peerings) {
            if (p.involves(cluster)) {
                peers.add(p.other(cluster));
            }
        }
        return List.copyOf(peers);
    }
}
