package io.meshfed.provisioner.simulate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Simulated clusters, one per inventory host, each with its own API server on loopback and its own
 * controllers; federation controllers look across clusters as istiod does over the network. A change
 * (seen by the operators' informers) wakes the controllers that watch its resource, on its cluster
 * and, for those that look across clusters, on the others.
 */
public final class Simulation implements AutoCloseable {

    /**
     * One cluster to simulate: its name, whether it has a cloud load balancer (else MetalLB), and
     * whether its API server speaks HTTPS (with a self-signed certificate, as in-cluster clients
     * expect; plain HTTP otherwise).
     */
    public record ClusterSpec(String name, boolean cloudLoadBalancer, boolean https) {
        public ClusterSpec(String name, boolean cloudLoadBalancer) {
            this(name, cloudLoadBalancer, false);
        }
    }

    private final Map<String, SimulatedCluster> clusters = new LinkedHashMap<>();

    private Simulation() {
    }

    public static Simulation start(List<ClusterSpec> specs, SimulationTiming timing) {
        Simulation simulation = new Simulation();
        try {
            for (ClusterSpec spec : specs) {
                simulation.clusters.put(spec.name(), SimulatedCluster.start(spec.name(), spec.cloudLoadBalancer(), spec.https()));
            }
            for (SimulatedCluster cluster : simulation.clusters.values()) {
                cluster.startCache(resource -> simulation.signalAll(cluster.name(), resource));
            }
            for (SimulatedCluster cluster : simulation.clusters.values()) {
                ClusterApi api = cluster.api();
                cluster.startControllers(List.of(
                        new OlmController(api, timing),
                        new LoadBalancerController(api, cluster.name(), cluster.cloudLoadBalancer()),
                        new MaistraController(api, timing),
                        new FederationController(cluster, simulation::clusters, timing)));
            }
        } catch (RuntimeException e) {
            simulation.close();
            throw e;
        }
        return simulation;
    }

    public List<SimulatedCluster> clusters() {
        return new ArrayList<>(clusters.values());
    }

    public Optional<SimulatedCluster> cluster(String name) {
        return Optional.ofNullable(clusters.get(name));
    }

    public SimulatedCluster require(String name) {
        return cluster(name).orElseThrow(() -> new IllegalArgumentException("no simulated cluster " + name));
    }

    /** A change of {@code resource} on cluster {@code changed}: wakes the controllers watching it there or across clusters. */
    private void signalAll(String changed, String resource) {
        clusters.values().forEach(c -> c.changed(resource, !c.name().equals(changed)));
    }

    @Override
    public void close() {
        clusters.values().forEach(SimulatedCluster::close);
    }
}
