package io.meshfed.provisioner.apply;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.meshfed.model.inventory.ClusterSpec;
import io.meshfed.model.inventory.Connection;
import io.meshfed.model.inventory.Inventory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A client per inventory host: from its kubeconfig file and context, from its context in the default
 * kubeconfig ({@code KUBECONFIG}, as kubectl reads it, or ~/.kube/config), or from the pod's service
 * account; or, with {@code --simulate}, the simulated cluster's. The fabric8 client's own retries are
 * turned off: {@link RetryPolicy} decides, and counts.
 */
public final class Connections {

    private Connections() {
    }

    /** A cluster that could not be reached: which, through what, and why (never a credential). */
    public record Unreachable(String cluster, String via, String reason) {
        @Override
        public String toString() {
            return "cluster " + cluster + " (" + via + "): " + reason;
        }
    }

    /**
     * @param simulated for --simulate: the client configuration of each simulated cluster, else null
     */
    public static Map<String, ClusterClient> open(Inventory inventory, int forks, RetryPolicy retry,
                                                  Function<String, Config> simulated) {
        return open(inventory, forks, Integer.MAX_VALUE, retry, simulated);
    }

    /**
     * @param forks       requests in flight at once per cluster
     * @param maxRequests requests in flight at once over all clusters
     */
    public static Map<String, ClusterClient> open(Inventory inventory, int forks, int maxRequests, RetryPolicy retry,
                                                  Function<String, Config> simulated) {
        java.util.concurrent.Semaphore overall = new java.util.concurrent.Semaphore(maxRequests, true);
        Map<String, ClusterClient> clients = new LinkedHashMap<>();
        for (ClusterSpec cluster : inventory.clusters()) {
            Config config = simulated != null ? simulated.apply(cluster.name()) : config(cluster);
            Config tuned = new ConfigBuilder(config).withRequestRetryBackoffLimit(0).build();
            clients.put(cluster.name(), new ClusterClient(cluster.name(),
                    new KubernetesClientBuilder().withConfig(tuned).build(), forks, overall, retry));
        }
        return clients;
    }

    /** Checks every cluster at once; the ones that do not answer. */
    public static List<Unreachable> check(Inventory inventory, Map<String, ClusterClient> clients, boolean simulated) {
        List<CompletableFuture<Unreachable>> checks = new ArrayList<>();
        for (ClusterSpec cluster : inventory.clusters()) {
            checks.add(CompletableFuture.supplyAsync(() -> {
                try {
                    clients.get(cluster.name()).ping();
                    return null;
                } catch (RuntimeException e) {
                    return new Unreachable(cluster.name(), simulated ? "simulated" : via(cluster.connection()),
                            e.getMessage());
                }
            }));
        }
        return checks.stream().map(CompletableFuture::join).filter(u -> u != null).toList();
    }

    static String via(Connection c) {
        if (c.inCluster()) {
            return "in-cluster service account";
        }
        return "context " + (c.context() == null ? "(current)" : c.context())
                + (c.kubeconfig() == null ? "" : " of " + c.kubeconfig());
    }

    private static Config config(ClusterSpec cluster) {
        Connection c = cluster.connection();
        if (c.inCluster()) {
            return Config.autoConfigure(null);
        }
        if (c.kubeconfig() != null) {
            Path path = Path.of(c.kubeconfig().replaceFirst("^~", System.getProperty("user.home")));
            try {
                return Config.fromKubeconfig(c.context(), Files.readString(path), path.toString());
            } catch (IOException e) {
                throw new IllegalArgumentException("cluster " + cluster.name() + ": cannot read kubeconfig " + path + ": "
                        + e.getMessage(), e);
            }
        }
        return Config.autoConfigure(c.context());
    }
}
