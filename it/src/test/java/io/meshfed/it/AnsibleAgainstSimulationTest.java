package io.meshfed.it;

import io.meshfed.inventory.InventoryLoader;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.provisioner.simulate.SimulatedInventory;
import io.meshfed.provisioner.simulate.Simulation;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Ansible's kubernetes.core against a simulated cluster, through the kubeconfig that
 * {@code simulate up} writes: API discovery must be good enough for a real client that is not
 * fabric8. Needs Debian's ansible and python3-kubernetes, which ./run-tests installs; skipped
 * (reported as skipped) where they are missing.
 */
class AnsibleAgainstSimulationTest {

    @Test
    @DisplayName("ansible kubernetes.core.k8s creates a ConfigMap idempotently and k8s_info reads it back")
    void ansibleK8s(@TempDir Path tmp) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ansible")), "Debian's ansible is not installed");
        Inventory inventory = InventoryLoader.load(Repo.example("blue-green"));
        try (Simulation simulation = SimulatedInventory.start(inventory, ConvergeTest.FAST)) {
            Path kubeconfig = tmp.resolve("kubeconfig");
            Files.writeString(kubeconfig, SimulatedInventory.kubeconfig(inventory, simulation));
            String definition = "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"from-ansible\", "
                    + "\"namespace\": \"default\"}, \"data\": {\"k\": \"v\"}}";
            String args = "kubeconfig=" + kubeconfig + " context=green state=present definition='" + definition + "'";

            String first = ansible(tmp, "kubernetes.core.k8s", args);
            assertThat(first).contains("\"changed\": true");
            String second = ansible(tmp, "kubernetes.core.k8s", args);
            assertThat(second).contains("\"changed\": false");
            assertThat(simulation.require("green").controllerClient().configMaps().inNamespace("default")
                    .withName("from-ansible").get().getData()).containsEntry("k", "v");

            String info = ansible(tmp, "kubernetes.core.k8s_info", "kubeconfig=" + kubeconfig
                    + " context=green kind=Namespace");
            assertThat(info).contains("openshift-operators");
        }
    }

    private static String ansible(Path tmp, String module, String args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(tmp, "ansible", ".out");
        ProcessBuilder pb = new ProcessBuilder(List.of("/usr/bin/ansible", "localhost", "-m", module, "-a", args))
                .redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("ANSIBLE_PYTHON_INTERPRETER", "/usr/bin/python3");
        pb.environment().put("ANSIBLE_LOCALHOST_WARNING", "false");
        pb.environment().put("ANSIBLE_INVENTORY_UNPARSED_WARNING", "false");
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("ansible finished").isTrue();
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(text).isZero();
        return text;
    }
}
