package io.meshfed.it;

import io.meshfed.inventory.InventoryLoader;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.provisioner.apply.ClusterClient;
import io.meshfed.provisioner.apply.Connections;
import io.meshfed.provisioner.apply.GraphExecutor;
import io.meshfed.provisioner.apply.Cancellation;
import io.meshfed.provisioner.apply.ProgressListener;
import io.meshfed.provisioner.apply.Runner;
import java.util.Set;
import io.meshfed.provisioner.apply.RetryPolicy;
import io.meshfed.provisioner.apply.RunResult;
import io.meshfed.provisioner.simulate.SimulatedInventory;
import io.meshfed.provisioner.simulate.Simulation;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A host removed from the inventory: meshfed can no longer reach its cluster, but the records on the
 * others say it was there at the last apply, and plan and apply say so, with how to clean it up.
 */
class DepartedClusterTest {

    private static final String HOSTS = """
            all:
              vars:
                meshfed_inventory_name: shrinking
                federation: {peering: none}
              hosts:
                green: {kube_context: green, metallb_addresses: [10.0.1.1-10.0.1.9]}
            %s""";
    private static final String BLUE = "    blue: {kube_context: blue, metallb_addresses: [10.0.0.1-10.0.0.9]}\n";

    @Test
    @DisplayName("plan and apply name a cluster the inventory had at its last apply and no longer names")
    void departedClusterIsNamed(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("hosts.yaml"), HOSTS.formatted(BLUE));
        Inventory both = InventoryLoader.load(tmp);
        try (Simulation simulation = SimulatedInventory.start(both, ConvergeTest.FAST)) {
            RunResult first = ConvergeTest.run(both, simulation, GraphExecutor.Mode.APPLY);
            assertThat(first.failures()).isEmpty();
            assertThat(first.warnings()).as("nothing departed yet").isEmpty();

            Files.writeString(tmp.resolve("hosts.yaml"), HOSTS.formatted(""));
            Inventory greenOnly = InventoryLoader.load(tmp);
            Map<String, ClusterClient> green = Connections.open(greenOnly, 10, RetryPolicy.DEFAULT,
                    name -> simulation.require(name).config("meshfed"));
            try {
                Runner runner = new Runner(green, greenOnly, ConvergeTest.OPTIONS, ProgressListener.NONE);
                List<RunResult.Warning> departed = runner.plan(ConvergeTest.graph(greenOnly), false, Set.of()).warnings();
                assertThat(departed).extracting(RunResult.Warning::cluster).containsExactly("blue");
                assertThat(departed.get(0).message()).startsWith("was in inventory 'shrinking' at its last apply (recorded on "
                        + "green) and is no longer named").contains("meshfed.io/inventory=shrinking", "meshfed destroy --limit blue");
                RunResult applied = runner.apply(ConvergeTest.graph(greenOnly), false, Set.of(), new Cancellation());
                assertThat(applied.warnings()).extracting(RunResult.Warning::cluster).containsExactly("blue");
                RunResult again = runner.apply(ConvergeTest.graph(greenOnly), false, Set.of(), new Cancellation());
                assertThat(again.warnings()).as("the record now lists green only").isEmpty();
            } finally {
                green.values().forEach(ClusterClient::close);
            }

            // the advice: the host back in the inventory, destroy limited to it removes what the inventory made there only
            Map<String, ClusterClient> all = Connections.open(both, 10, RetryPolicy.DEFAULT,
                    name -> simulation.require(name).config("meshfed"));
            try {
                RunResult destroyed = new Runner(all, both, ConvergeTest.OPTIONS, ProgressListener.NONE)
                        .destroy(ConvergeTest.graph(both).on(Set.of("blue")), Set.of(), new Cancellation());
                assertThat(destroyed.failures()).isEmpty();
                assertThat(destroyed.results()).extracting(r -> r.ref().cluster()).containsOnly("blue");
            } finally {
                all.values().forEach(ClusterClient::close);
            }
            var blue = simulation.require("blue").controllerClient();
            var greenClient = simulation.require("green").controllerClient();
            assertThat(blue.namespaces().withLabel("meshfed.io/inventory", "shrinking").list().getItems()).as("blue's").isEmpty();
            assertThat(blue.configMaps().inNamespace("default").withName("meshfed-shrinking").get()).as("blue's record").isNull();
            assertThat(greenClient.namespaces().withLabel("meshfed.io/inventory", "shrinking").list().getItems()).as("green's")
                    .isNotEmpty();
        }
    }
}
