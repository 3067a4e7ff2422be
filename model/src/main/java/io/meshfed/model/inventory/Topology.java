package io.meshfed.model.inventory;

import java.util.List;
import java.util.TreeSet;

/**
 * The federation the user wants: who peers with whom, what is exported, imported and routed, and where
 * it stands on its way to OSSM 3 ({@link MigrationPhase}). Cluster names are inventory host names.
 */
public record Topology(List<Peering> peerings, List<ExportRule> exports, List<ImportRule> imports,
                       List<Route> routes, MigrationPhase migration) {

    public Topology {
        peerings = List.copyOf(peerings);
        exports = List.copyOf(exports);
        imports = List.copyOf(imports);
        routes = List.copyOf(routes);
        migration = migration == null ? MigrationPhase.FEDERATED : migration;
    }

    /** A federation that is not migrating. */
    public Topology(List<Peering> peerings, List<ExportRule> exports, List<ImportRule> imports, List<Route> routes) {
        this(peerings, exports, imports, routes, MigrationPhase.FEDERATED);
    }

    public static Topology empty() {
        return new Topology(List.of(), List.of(), List.of(), List.of());
    }

    /** The same federation, in another phase of its migration to OSSM 3. */
    public Topology in(MigrationPhase phase) {
        return new Topology(peerings, exports, imports, routes, phase);
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
