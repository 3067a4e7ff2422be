package io.meshfed.cli;

import io.meshfed.inventory.InventoryLoader;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.provisioner.simulate.SimulatedInventory;
import io.meshfed.provisioner.simulate.Simulation;
import io.meshfed.provisioner.simulate.SimulationTiming;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One of the repository's example inventories, copied to a folder of the test's and started as simulated clusters
 * (no delays), each host of the copy pointed at its cluster by a {@code kubeconfig} line after its
 * {@code kube_context}: the CLI runs on it as a user runs on a checkout.
 *
 * @param simulation the clusters
 * @param inventory  the copy's folder
 */
record SimulatedExample(Simulation simulation, Path inventory) implements AutoCloseable {

    static SimulatedExample start(String example, Path tmp) throws IOException {
        Path source = Path.of(CliTest.example(example));
        Inventory loaded = InventoryLoader.load(source);
        Simulation simulation = SimulatedInventory.start(loaded, SimulationTiming.INSTANT);
        try {
            Path kubeconfig = Files.writeString(tmp.resolve("kubeconfig"), SimulatedInventory.kubeconfig(loaded, simulation));
            Path copy = copy(source, tmp.resolve(example));
            Path hosts = copy.resolve("hosts.yaml");
            Files.writeString(hosts, Files.readString(hosts).replaceAll("(kube_context: \\w+\\n)",
                    "$1          kubeconfig: " + kubeconfig + "\n"));
            return new SimulatedExample(simulation, copy);
        } catch (IOException | RuntimeException e) {
            simulation.close();
            throw e;
        }
    }

    /** The copy's folder, as {@code -i} takes it. */
    String inv() {
        return inventory.toString();
    }

    @Override
    public void close() {
        simulation.close();
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return to;
    }
}
