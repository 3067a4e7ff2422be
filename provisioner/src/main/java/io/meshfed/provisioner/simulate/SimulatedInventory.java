package io.meshfed.provisioner.simulate;

import io.meshfed.model.inventory.ClusterSpec;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.model.inventory.LoadBalancerSpec;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Simulated clusters for an inventory: one per host, with a cloud load balancer where the host says
 * {@code load_balancer: cloud}; and a kubeconfig with one context per cluster, named as the
 * inventory names it ({@code kube_context}, else the host name), so that kubectl, Ansible or
 * meshfed itself can use them.
 */
public final class SimulatedInventory {

    private SimulatedInventory() {
    }

    public static Simulation start(Inventory inventory, SimulationTiming timing) {
        List<Simulation.ClusterSpec> specs = new ArrayList<>();
        for (ClusterSpec c : inventory.clusters()) {
            specs.add(new Simulation.ClusterSpec(c.name(), c.loadBalancer().type() == LoadBalancerSpec.Type.CLOUD));
        }
        return Simulation.start(specs, timing);
    }

    /** The kubeconfig context name a cluster of the inventory is reached by. */
    public static String contextName(ClusterSpec cluster) {
        return cluster.connection().context() != null ? cluster.connection().context() : cluster.name();
    }

    /**
     * A kubeconfig (YAML) with a cluster, a user and a context per simulated cluster: the cluster's
     * CA and a client certificate of {@code system:masters}, embedded.
     */
    public static String kubeconfig(Inventory inventory, Simulation simulation) {
        List<Object> clusters = new ArrayList<>();
        List<Object> contexts = new ArrayList<>();
        List<Object> users = new ArrayList<>();
        for (ClusterSpec c : inventory.clusters()) {
            SimulatedCluster sim = simulation.require(c.name());
            String context = contextName(c);
            Map<String, String> credentials = sim.credentials();
            clusters.add(Map.of("name", context, "cluster", Map.of("server", sim.url().replaceAll("/$", ""),
                    "certificate-authority-data", credentials.get("certificate-authority-data"))));
            users.add(Map.of("name", context, "user", Map.of("client-certificate-data", credentials.get("client-certificate-data"),
                    "client-key-data", credentials.get("client-key-data"))));
            contexts.add(Map.of("name", context, "context", Map.of("cluster", context, "user", context,
                    "namespace", "default")));
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("apiVersion", "v1");
        config.put("kind", "Config");
        config.put("clusters", clusters);
        config.put("users", users);
        config.put("contexts", contexts);
        config.put("current-context", contextName(inventory.clusters().get(0)));
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(options).dump(config);
    }
}
