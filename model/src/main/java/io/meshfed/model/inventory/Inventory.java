package io.meshfed.model.inventory;

import java.util.List;
import java.util.Optional;

/**
 * A loaded, validated inventory: the clusters and the federation between them.
 *
 * @param name     the inventory's name; every object meshfed owns carries it as a label
 * @param clusters the clusters, in inventory order
 * @param topology the federation of its OSSM 2 clusters
 * @param multiCluster what its OSSM 3 clusters share (one mesh over them); null when it has none
 */
public record Inventory(String name, List<ClusterSpec> clusters, Topology topology, MultiCluster multiCluster) {

    public Inventory {
        clusters = List.copyOf(clusters);
    }

    /** An inventory of OSSM 2 clusters only. */
    public Inventory(String name, List<ClusterSpec> clusters, Topology topology) {
        this(name, clusters, topology, null);
    }

    public Optional<ClusterSpec> cluster(String name) {
        return clusters.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public ClusterSpec requireCluster(String name) {
        return cluster(name).orElseThrow(() -> new IllegalArgumentException("unknown cluster " + name));
    }
}
