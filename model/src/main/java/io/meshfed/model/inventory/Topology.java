package io.meshfed.model.inventory;

import java.util.List;
import java.util.TreeSet;

/**
 * The federation the user wants: who peers with whom, what is exported, imported and routed.
 * Cluster names are inventory host names.
 */
public record Topology(List<Peering> peerings, List<ExportRule> exports, List<ImportRule> imports,
                       List<Route> routes) {

    public Topology {
        peerings = List.copyOf(peerings);
        exports = List.copyOf(exports);
        imports = List.copyOf(imports);
        routes = List.copyOf(routes);
    }

    public static Topology empty() {
        return new Topology(List.of(), List.of(), List.of(), List.of());
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
