package io.meshfed.it;

import io.fabric8.kubernetes.client.Config;
import io.meshfed.inventory.InventoryLoader;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.provisioner.apply.GraphExecutor;
import io.meshfed.provisioner.apply.RunResult;
import io.meshfed.provisioner.simulate.RequestLog;
import io.meshfed.provisioner.simulate.SimulatedCluster;
import io.meshfed.provisioner.simulate.SimulatedInventory;
import io.meshfed.provisioner.simulate.Simulation;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * meshfed as the Job runs it: with nothing but deploy/rbac.yaml's ClusterRole (impersonated, so the
 * API server's RBAC decides), on real API servers.
 */
class JobAccountTest {

    private static Config asJobAccount(Simulation simulation, String cluster) {
        return Accounts.as(simulation, cluster, "meshfed");
    }

    @Test
    @DisplayName("deploy/rbac.yaml's account applies blue-green with no request refused, its waits watch (one informer per "
            + "kind and namespace), a second apply writes nothing, and destroy removes what it made")
    void applyAndDestroyWithTheClusterRole() throws IOException {
        Inventory inventory = InventoryLoader.load(Repo.example("blue-green"));
        try (Simulation simulation = SimulatedInventory.start(inventory, ConvergeTest.FAST)) {
            Accounts.grant(simulation, Files.readString(Repo.root().resolve("deploy/rbac.yaml")));
            simulation.clusters().forEach(c -> c.requests().clear());

            RunResult first = ConvergeTest.run(inventory, GraphExecutor.Mode.APPLY, ConvergeTest.OPTIONS,
                    name -> asJobAccount(simulation, name));
            assertThat(first.failures()).isEmpty();
            assertThat(first.succeeded()).isTrue();
            Map<String, Long> watches = new TreeMap<>();
            for (SimulatedCluster cluster : simulation.clusters()) {
                List<RequestLog.Entry> mine = cluster.requests().entries().stream().filter(e -> !e.controller()).toList();
                assertThat(mine).as("requests refused on %s", cluster.name()).noneMatch(e -> e.status() == 403);
                mine.stream().filter(RequestLog.Entry::watch)
                        .forEach(e -> watches.merge(cluster.name() + " " + e.path(), 1L, Long::sum));
            }
            // the Subscriptions' CSVs, the control planes, peers and service sets are waited for by watching
            assertThat(watches.keySet()).anyMatch(p -> p.endsWith("/clusterserviceversions"))
                    .anyMatch(p -> p.endsWith("/servicemeshpeers"));
            assertThat(watches).allSatisfy((path, n) -> assertThat(n).as(path).isEqualTo(1L));

            simulation.clusters().forEach(c -> c.requests().clear());
            RunResult again = ConvergeTest.run(inventory, GraphExecutor.Mode.APPLY, ConvergeTest.OPTIONS,
                    name -> asJobAccount(simulation, name));
            assertThat(again.changed()).isZero();
            assertThat(ConvergeTest.clientWrites(simulation)).isZero();

            RunResult destroyed = ConvergeTest.run(inventory, GraphExecutor.Mode.DESTROY, ConvergeTest.OPTIONS,
                    name -> asJobAccount(simulation, name));
            assertThat(destroyed.failures()).isEmpty();
            for (SimulatedCluster cluster : simulation.clusters()) {
                assertThat(cluster.controllerClient().namespaces().withName(cluster.name() + "-mesh-system").get())
                        .as("%s's control-plane namespace after destroy (it waits until a deletion is done)", cluster.name())
                        .isNull();
            }
        }
    }

    @Test
    @DisplayName("an account that may get but not list or watch ClusterServiceVersions: the waits read those instead, "
            + "watch the rest, and the run converges")
    void withoutWatchOnAKindWaitsRead() throws IOException {
        Inventory inventory = InventoryLoader.load(Repo.example("blue-green"));
        String role = Files.readString(Repo.root().resolve("deploy/rbac.yaml")).replace(
                "resources: [clusterserviceversions]\n    verbs: [get, list, watch]", "resources: [clusterserviceversions]\n    verbs: [get]");
        assertThat(role).contains("resources: [clusterserviceversions]\n    verbs: [get]");
        try (Simulation simulation = SimulatedInventory.start(inventory, ConvergeTest.FAST)) {
            Accounts.grant(simulation, role);
            simulation.clusters().forEach(c -> c.requests().clear());
            RunResult first = ConvergeTest.run(inventory, GraphExecutor.Mode.APPLY, ConvergeTest.OPTIONS,
                    name -> asJobAccount(simulation, name));
            assertThat(first.failures()).isEmpty();
            assertThat(first.succeeded()).isTrue();
            for (SimulatedCluster cluster : simulation.clusters()) {
                List<RequestLog.Entry> mine = cluster.requests().entries().stream().filter(e -> !e.controller()).toList();
                List<RequestLog.Entry> refused = mine.stream().filter(e -> e.status() == 403).toList();
                // one refused list per namespace with a Subscription: after it, that kind and namespace is read, not watched
                assertThat(refused).isNotEmpty().allSatisfy(e -> assertThat(e.path()).endsWith("/clusterserviceversions"));
                assertThat(refused.stream().map(RequestLog.Entry::path).distinct().count()).isEqualTo(refused.size());
                assertThat(mine).filteredOn(RequestLog.Entry::watch).isNotEmpty()
                        .noneMatch(e -> e.path().endsWith("/clusterserviceversions"));
                assertThat(mine).filteredOn(e -> e.read() && e.status() == 200 && e.path().contains("/clusterserviceversions/"))
                        .as("the CSVs read one by one on %s", cluster.name()).isNotEmpty();
            }
        }
    }
}
