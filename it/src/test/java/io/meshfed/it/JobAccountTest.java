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

    /** deploy/rbac.yaml without its role that lists everything (for the namespace check before a deletion). */
    private static String withoutNamespaceContents(String rbac) {
        return rbac.substring(0, rbac.indexOf("---\n# destroy and prune delete a namespace"));
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
        String role = withoutNamespaceContents(Files.readString(Repo.root().resolve("deploy/rbac.yaml"))).replace(
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

    @Test
    @DisplayName("plan as an account that may not list ConfigMaps nor read Gateways: those Gateways are unknown, every other "
            + "object is planned, the orphans of the cluster it could not list are said unknown")
    void planUnderLeastPrivilege() throws IOException {
        Inventory inventory = InventoryLoader.load(Repo.example("blue-green"));
        String role = withoutNamespaceContents(Files.readString(Repo.root().resolve("deploy/rbac.yaml")))
                .replace("resources: [namespaces, configmaps, services]\n    verbs: [get, list, watch, create, patch, delete]",
                        "resources: [namespaces, services]\n    verbs: [get, list, watch, create, patch, delete]\n"
                                + "  - apiGroups: [\"\"]\n    resources: [configmaps]\n    verbs: [get, create, patch, delete]")
                .replace("resources: [gateways, virtualservices]", "resources: [virtualservices]");
        // Istio's Gateways unreadable (Gateway API's, which the migration writes, are another group: the plan reads none)
        assertThat(role).doesNotContain("resources: [gateways, virtualservices]").contains("resources: [virtualservices]",
                "resources: [configmaps]\n    verbs: [get, create, patch, delete]");
        try (Simulation simulation = SimulatedInventory.start(inventory, ConvergeTest.FAST)) {
            assertThat(ConvergeTest.run(inventory, simulation, GraphExecutor.Mode.APPLY).failures()).isEmpty();
            Accounts.grant(simulation, role);
            var clients = io.meshfed.provisioner.apply.Connections.open(inventory, 10,
                    io.meshfed.provisioner.apply.RetryPolicy.DEFAULT, name -> asJobAccount(simulation, name));
            io.meshfed.provisioner.apply.Runner.Plan plan;
            try {
                plan = new io.meshfed.provisioner.apply.Runner(clients, inventory, ConvergeTest.OPTIONS,
                        io.meshfed.provisioner.apply.ProgressListener.NONE).plan(ConvergeTest.graph(inventory), false,
                        java.util.Set.of());
            } finally {
                clients.values().forEach(io.meshfed.provisioner.apply.ClusterClient::close);
            }
            assertThat(plan.entries()).filteredOn(e -> e.action().equals("unknown"))
                    .extracting(e -> e.ref().kind()).isNotEmpty().containsOnly("Gateway");
            assertThat(plan.entries()).filteredOn(e -> e.action().equals("unknown")).first()
                    .satisfies(e -> assertThat(e.note()).startsWith("may not be read: ").contains("403"));
            assertThat(plan.entries()).filteredOn(e -> !e.action().equals("unknown"))
                    .extracting(e -> e.action()).containsOnly("unchanged", "observe");
            assertThat(plan.warnings()).extracting(RunResult.Warning::message)
                    .anySatisfy(m -> assertThat(m).startsWith("orphans unknown: ").contains("403"));
        }
    }

    @Test
    @DisplayName("without the role that lists everything, destroy keeps the namespaces it created, naming the kinds it "
            + "could not list (what they hold is unknown), and the record stays")
    void destroyWithoutNamespaceListingKeepsNamespaces() throws IOException {
        Inventory inventory = InventoryLoader.load(Repo.example("blue-green"));
        try (Simulation simulation = SimulatedInventory.start(inventory, ConvergeTest.FAST)) {
            assertThat(ConvergeTest.run(inventory, simulation, GraphExecutor.Mode.APPLY).failures()).isEmpty();
            Accounts.grant(simulation, withoutNamespaceContents(Files.readString(Repo.root().resolve("deploy/rbac.yaml"))));
            RunResult destroyed = ConvergeTest.run(inventory, GraphExecutor.Mode.DESTROY, ConvergeTest.OPTIONS,
                    name -> asJobAccount(simulation, name));
            assertThat(destroyed.failures()).isEmpty();
            var meshNamespace = destroyed.results().stream().filter(r -> r.ref().kind().equals("Namespace")
                    && r.ref().name().equals("blue-mesh-system")).findFirst().orElseThrow();
            assertThat(meshNamespace.action()).isEqualTo("kept");
            assertThat(meshNamespace.message()).contains("could not list ", "Pod", "(no permission)");
            SimulatedCluster blue = simulation.require("blue");
            assertThat(blue.controllerClient().namespaces().withName("blue-mesh-system").get()).isNotNull();
            assertThat(blue.controllerClient().configMaps().inNamespace("default").withName("meshfed-blue-green").get())
                    .as("the record: it lists what was kept").isNotNull();
        }
    }
}
