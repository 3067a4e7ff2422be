package io.meshfed.cli;

import io.meshfed.model.inventory.ClusterSpec;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.provisioner.simulate.SimulatedInventory;
import io.meshfed.provisioner.simulate.Simulation;
import io.meshfed.provisioner.simulate.SimulationTiming;
import io.quarkus.runtime.Quarkus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code meshfed simulate up}: start the simulated clusters and keep them running. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Starts one simulated OpenShift cluster per inventory host (API server on loopback, with OLM, MetalLB,",
                "Service Mesh and federation controllers) and keeps them running until Ctrl-C."})
public class SimulateUpCommand implements Callable<Integer> {

    @Mixin
    InventoryOption inventory;

    @Option(names = "--kubeconfig-out", paramLabel = "FILE",
            description = "Write a kubeconfig with one context per cluster (named as the inventory's kube_context).")
    Path kubeconfigOut;

    @Option(names = "--for", paramLabel = "DURATION",
            description = "Stop after this long (ISO-8601 like PT30S, or 30s, 5m) instead of waiting for Ctrl-C.")
    String runFor;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Inventory inv = inventory.load();
        Duration limit = runFor == null ? null : Durations.parse(runFor, spec.commandLine(), "--for");
        PrintWriter out = spec.commandLine().getOut();
        try (Simulation simulation = SimulatedInventory.start(inv, SimulationTiming.DEFAULT)) {
            simulation.whenStopped(() -> {   // Ctrl-C: said by the shutdown hook that stops the clusters, before the JVM ends
                out.println("stopped");
                out.flush();
            });
            for (ClusterSpec c : inv.clusters()) {
                out.printf("%-12s %s (context %s)%n", c.name(), simulation.require(c.name()).url(),
                        SimulatedInventory.contextName(c));
            }
            if (kubeconfigOut != null) {
                writeKubeconfig(SimulatedInventory.kubeconfig(inv, simulation));
                out.println("kubeconfig: " + kubeconfigOut + "  (kubectl --kubeconfig " + kubeconfigOut + " get ns)");
            }
            out.println(limit == null ? "running; Ctrl-C stops" : "running for " + limit);
            out.flush();
            if (limit == null) {
                Quarkus.waitForExit();
            } else {
                sleep(limit);
            }
        }
        return ExitCodes.OK;
    }

    private void writeKubeconfig(String yaml) {
        try {
            if (kubeconfigOut.getParent() != null) {
                Files.createDirectories(kubeconfigOut.getParent());
            }
            Files.writeString(kubeconfigOut, yaml);
            try {
                Files.setPosixFilePermissions(kubeconfigOut, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: keep the default permissions
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + kubeconfigOut + ": " + e.getMessage(), e);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
