package io.meshfed.it;

import io.meshfed.inventory.InventoryLoader;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.provisioner.apply.GraphExecutor;
import io.meshfed.provisioner.simulate.SimulatedInventory;
import io.meshfed.provisioner.simulate.Simulation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kubectl (the one built with the simulated clusters' control plane) against the blue-green
 * federation that meshfed applied, through the kubeconfig {@code simulate up} writes: each command
 * answers as it does on a real cluster.
 */
class KubectlAgainstSimulationTest {

    private static Simulation simulation;
    private static Path dir;
    private static Path kubeconfig;
    private static Kubectl kubectl;

    @BeforeAll
    static void applyBlueGreen() throws IOException {
        Inventory inventory = InventoryLoader.load(Repo.example("blue-green"));
        simulation = SimulatedInventory.start(inventory, ConvergeTest.FAST);
        assertThat(ConvergeTest.run(inventory, simulation, GraphExecutor.Mode.APPLY).failures()).isEmpty();
        dir = Files.createTempDirectory("kubectl");
        kubeconfig = Files.writeString(dir.resolve("kubeconfig"), SimulatedInventory.kubeconfig(inventory, simulation));
        kubectl = new Kubectl(kubeconfig, dir);
    }

    @AfterAll
    static void stop() {
        simulation.close();
    }

    private static Kubectl.Result kubectl(String... args) throws Exception {
        return kubectl.run(args);
    }

    private static String ok(String... args) throws Exception {
        return kubectl.ok(args);
    }

    @Test
    @DisplayName("version, get ns, get smcp -A (short name, every namespace), explain a CRD field, describe a Service")
    void reads() throws Exception {
        assertThat(ok("--context", "blue", "version")).contains("Server Version: " + Simulation.kubernetesVersion());
        assertThat(ok("--context", "blue", "get", "ns")).contains("openshift-operators", "blue-mesh-system", "nfs-app-istio");
        String smcp = ok("--context", "green", "get", "smcp", "-A");
        assertThat(smcp).contains("green-mesh-system").contains("green-mesh");
        assertThat(ok("--context", "green", "explain", "servicemeshpeers.spec.remote")).contains("addresses");
        String svc = ok("--context", "blue", "describe", "svc", "-n", "blue-mesh-system", "ingress-green-mesh");
        assertThat(svc).contains("Type:", "LoadBalancer").containsPattern("LoadBalancer Ingress:\\s+10\\.19\\.3\\.");
        assertThat(ok("--context", "blue", "wait", "--for=condition=Ready", "smcp/blue-mesh", "-n", "blue-mesh-system",
                "--timeout=30s")).contains("condition met");
    }

    @Test
    @DisplayName("Ansible's kubernetes.core.k8s_info finds the control plane by kind, as on a real cluster")
    void ansibleFindsControlPlane() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/ansible")),
                "Debian's ansible is not installed");
        Path out = Files.createTempFile(dir, "ansible", ".out");
        ProcessBuilder pb = new ProcessBuilder(List.of("/usr/bin/ansible", "localhost", "-m", "kubernetes.core.k8s_info", "-a",
                "kubeconfig=" + kubeconfig + " context=blue kind=ServiceMeshControlPlane api_version=maistra.io/v2"))
                .redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("ANSIBLE_PYTHON_INTERPRETER", "/usr/bin/python3");
        pb.environment().put("ANSIBLE_LOCALHOST_WARNING", "false");
        pb.environment().put("ANSIBLE_INVENTORY_UNPARSED_WARNING", "false");
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(text).isZero();
        assertThat(text).contains("\"name\": \"blue-mesh\"", "\"namespace\": \"blue-mesh-system\"");
    }

    @Test
    @DisplayName("apply, apply --server-side, and diff that shows a change and writes nothing")
    void writes() throws Exception {
        Path cm = Files.writeString(dir.resolve("cm.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: by-kubectl, namespace: default}
                data: {k: v}
                """);
        assertThat(ok("--context", "blue", "apply", "-f", cm.toString())).contains("configmap/by-kubectl created");
        assertThat(ok("--context", "blue", "apply", "-f", cm.toString())).contains("configmap/by-kubectl unchanged");
        Files.writeString(cm, Files.readString(cm).replace("k: v", "k: changed"));
        Kubectl.Result diff = kubectl("--context", "blue", "diff", "-f", cm.toString());
        assertThat(diff.exit()).as(diff.out()).isEqualTo(1);   // kubectl diff: 1 means differences found
        assertThat(diff.out()).contains("-  k: v", "+  k: changed");
        assertThat(ok("--context", "blue", "get", "cm", "by-kubectl", "-o", "jsonpath={.data.k}")).isEqualTo("v");
        assertThat(ok("--context", "blue", "apply", "--server-side", "--force-conflicts", "-f", cm.toString()))
                .contains("configmap/by-kubectl serverside-applied");
        assertThat(ok("--context", "blue", "get", "cm", "by-kubectl", "-o", "jsonpath={.data.k}")).isEqualTo("changed");
    }

    @Test
    @DisplayName("delete ns: its contents go, then the namespace (kubectl waits for it); get --watch streams changes")
    void deleteNamespaceAndWatch() throws Exception {
        ok("--context", "green", "create", "namespace", "doomed");
        ok("--context", "green", "create", "configmap", "inside", "-n", "doomed", "--from-literal=k=v");
        Path watched = dir.resolve("watch.out");
        Process watch = new ProcessBuilder(Simulation.kubectl().toString(), "--kubeconfig", kubeconfig.toString(),
                "--context", "green", "get", "configmaps", "-n", "doomed", "--watch", "-o", "name")
                .redirectErrorStream(true).redirectOutput(watched.toFile()).start();
        try {
            ok("--context", "green", "create", "configmap", "while-watched", "-n", "doomed");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!Files.readString(watched).contains("configmap/while-watched") && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(Files.readString(watched)).contains("configmap/inside", "configmap/while-watched");
        } finally {
            watch.destroy();
        }
        assertThat(ok("--context", "green", "delete", "ns", "doomed", "--timeout=60s")).contains("namespace \"doomed\" deleted");
        Kubectl.Result gone = kubectl("--context", "green", "get", "ns", "doomed");
        assertThat(gone.exit()).isEqualTo(1);
        assertThat(gone.out()).contains("NotFound");
        assertThat(simulation.require("green").controllerClient().configMaps().inNamespace("doomed").list().getItems()).isEmpty();
    }
}
