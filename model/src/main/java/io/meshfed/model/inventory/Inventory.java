package io.meshfed.model.inventory;

import java.util.List;
import java.util.Optional;

/**
 * A loaded, validated inventory: the clusters and the federation between them.
 *
 * @param name     the inventory's name; every object meshfed owns carries it as a label
 * @param clusters the clusters, in inventory order
 * @param topology the federation
 */
public record Inventory(String name, List<ClusterSpec> clusters, Topology topology) {

    public Inventory {
        clusters = List.copyOf(clusters);
    }

    public Optional<ClusterSpec> cluster(String name) {
        return clusters.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public ClusterSpec requireCluster(String name) {
        return cluster(name).orElseThrow(() -> new IllegalArgumentException("unknown cluster " + name));
    }
}
