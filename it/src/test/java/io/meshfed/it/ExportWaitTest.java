package io.meshfed.it;

import io.meshfed.inventory.InventoryLoader;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.model.resource.ObjectRef;
import io.meshfed.provisioner.apply.GraphExecutor;
import io.meshfed.provisioner.apply.NodeResult;
import io.meshfed.provisioner.apply.RunOptions;
import io.meshfed.provisioner.apply.RunResult;
import io.meshfed.provisioner.simulate.SimulatedInventory;
import io.meshfed.provisioner.simulate.Simulation;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** An export of a Service that no manifest defines (it may come from elsewhere): the wait says it is not there. */
class ExportWaitTest {

    private static final String HOSTS = """
            all:
              vars:
                meshfed_inventory_name: ghost
                mesh_members: [apps]
                federation:
                  exports:
                    - {from: blue, to: [green], services: [{namespace: apps, name: ghost}]}
                  imports:
                    - {into: green, from: blue, services: [{namespace: apps, name: ghost}]}
              hosts:
                blue: {kube_context: blue, metallb_addresses: [10.0.0.1-10.0.0.9]}
                green: {kube_context: green, metallb_addresses: [10.0.1.1-10.0.1.9]}
            """;

    @Test
    @DisplayName("waiting on an ExportedServiceSet whose Service does not exist names the Service and the cluster")
    void namesTheMissingService(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("hosts.yaml"), HOSTS);
        Inventory inventory = InventoryLoader.load(tmp);
        try (Simulation simulation = SimulatedInventory.start(inventory, ConvergeTest.FAST)) {
            RunResult run = ConvergeTest.run(inventory, simulation, GraphExecutor.Mode.APPLY,
                    new RunOptions(Duration.ofSeconds(15), Duration.ofSeconds(120), Duration.ofMillis(200), Duration.ofSeconds(1)));
            NodeResult exports = run.result(new ObjectRef("blue", "federation.maistra.io/v1", "ExportedServiceSet",
                    "blue-mesh-system", "green-mesh"));
            assertThat(exports.outcome()).as(run.failures().toString()).isEqualTo(NodeResult.Outcome.FAILED);
            assertThat(exports.message()).contains("Service apps/ghost does not exist on blue (no manifest of the inventory "
                    + "defines it; it must come from elsewhere)");
        }
    }
}
