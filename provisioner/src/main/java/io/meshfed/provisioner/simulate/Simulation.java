package io.meshfed.provisioner.simulate;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Simulated clusters, one per inventory host, each with its own control plane (a real
 * kube-apiserver and etcd) on loopback and its own controllers; federation controllers look across clusters as istiod does over the network. A change
 * (seen by the operators' informers) wakes the controllers that watch its resource, on its cluster
 * and, for those that look across clusters, on the others.
 */
public final class Simulation implements AutoCloseable {

    /** One cluster to simulate: its name, and whether it has a cloud load balancer (else MetalLB). */
    public record ClusterSpec(String name, boolean cloudLoadBalancer) {
    }

    private final Map<String, SimulatedCluster> clusters = new LinkedHashMap<>();
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    /** Stops the etcd and kube-apiserver processes when the JVM ends without close() (Ctrl-C, SIGTERM). */
    private final Thread stopOnExit = new Thread(this::stop, "meshfed-simulation-stop");
    private boolean stopped;
    /** Run once the clusters are stopped, by whichever thread stops them (the JVM's shutdown hook on a signal). */
    private volatile Runnable whenStopped = () -> { };

    private Simulation() {
    }

    /** Starts every cluster's control plane at once (each takes seconds), then the controllers. */
    public static Simulation start(List<ClusterSpec> specs, SimulationTiming timing) {
        Simulation simulation = new Simulation();
        Runtime.getRuntime().addShutdownHook(simulation.stopOnExit);
        try {
            List<CompletableFuture<SimulatedCluster>> starting = new ArrayList<>();
            try (ExecutorService starter = Executors.newVirtualThreadPerTaskExecutor()) {
                for (ClusterSpec spec : specs) {
                    starting.add(CompletableFuture.supplyAsync(() -> SimulatedCluster.start(spec.name(),
                            spec.cloudLoadBalancer(), simulation.vertx), starter));
                }
            }
            RuntimeException failed = null;
            for (CompletableFuture<SimulatedCluster> s : starting) {
                try {
                    SimulatedCluster cluster = s.join();
                    synchronized (simulation) {
                        simulation.clusters.put(cluster.name(), cluster);
                    }
                } catch (java.util.concurrent.CompletionException e) {
                    failed = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            }
            if (failed != null) {
                throw failed;
            }
            for (SimulatedCluster cluster : simulation.clusters.values()) {
                cluster.startCache(resource -> simulation.signalAll(cluster.name(), resource));
            }
            int number = 0;
            for (SimulatedCluster cluster : simulation.clusters.values()) {
                ClusterApi api = cluster.api();
                number++;
                cluster.startControllers(List.of(
                        new NamespaceController(api),
                        new GarbageCollector(api),
                        new DeploymentController(api),
                        new ServiceAccountController(api),
                        new OlmController(api, timing),
                        new LoadBalancerController(api, cluster.name(), cluster.cloudLoadBalancer(), number),
                        new MaistraController(api, timing),
                        new SailController(api, timing),
                        new EndpointSliceController(api),
                        new SimulatedIstiod(api),
                        new RootCaPublisher(api, new String(java.util.Base64.getDecoder().decode(
                                cluster.credentials().get("certificate-authority-data")), java.nio.charset.StandardCharsets.UTF_8)),
                        new FederationController(cluster, simulation::clusters, timing),
                        new GatewayApiController(api),
                        new ManualDiscoveryView(cluster, simulation::clusters)));
            }
        } catch (RuntimeException e) {
            simulation.close();
            throw e;
        }
        return simulation;
    }

    /** The kubectl of the simulated clusters' Kubernetes release (built with them), for tests and users alike. */
    public static java.nio.file.Path kubectl() {
        return ControlPlane.binaries(ControlPlane.directory()).resolve("kubectl");
    }

    /** The simulated clusters' Kubernetes version, as their API servers report it ({@code v1.31.14}). */
    public static String kubernetesVersion() {
        return "v" + ControlPlane.KUBERNETES_VERSION;
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
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException e) {
            // the JVM is ending: the hook stops the clusters
        }
        stop();
    }

    private synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        try (ExecutorService stopper = Executors.newVirtualThreadPerTaskExecutor()) {
            clusters.values().forEach(c -> stopper.submit(c::close));
        }
        vertx.close().toCompletionStage().toCompletableFuture().join();
        whenStopped.run();
    }

    /**
     * {@code action} runs once the clusters are stopped: on a signal the JVM's shutdown hook stops them and the JVM
     * ends when it is done, so what a command says after the stop must be said here, not after {@link #close}.
     */
    public void whenStopped(Runnable action) {
        whenStopped = action;
    }
}
