package io.meshfed.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.meshfed.inventory.InventoryLoader;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.model.resource.LiveValue;
import io.meshfed.model.resource.Tree;
import io.meshfed.provisioner.simulate.SimulatedInventory;
import io.meshfed.provisioner.simulate.Simulation;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The seed's own case: a federation built by hand, as the seed's author did — operators installed as
 * the console does, then every object of the seed applied with kubectl in the seed's order, the CA
 * certificates and load-balancer addresses read with kubectl's jsonpath and pasted in — and then
 * {@code meshfed doctor --context blue --context green} (the packaged application, no inventory) says
 * why it does not work: the seed puts MetalLB's pool in openshift-operators, which MetalLB does not
 * read, so the gateways get no address and the peers dial none.
 */
class DoctorByHandTest {

    /** What the OpenShift console creates when one installs the seed's five operators on a cluster. */
    private static final String CONSOLE = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: openshift-operators-redhat}
            ---
            apiVersion: operators.coreos.com/v1
            kind: OperatorGroup
            metadata: {name: openshift-operators-redhat, namespace: openshift-operators-redhat}
            spec: {}
            ---
            apiVersion: operators.coreos.com/v1alpha1
            kind: Subscription
            metadata: {name: elasticsearch-operator, namespace: openshift-operators-redhat}
            spec: {channel: stable, name: elasticsearch-operator, source: redhat-operators, sourceNamespace: openshift-marketplace}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: openshift-distributed-tracing}
            ---
            apiVersion: operators.coreos.com/v1
            kind: OperatorGroup
            metadata: {name: openshift-distributed-tracing, namespace: openshift-distributed-tracing}
            spec: {}
            ---
            apiVersion: operators.coreos.com/v1alpha1
            kind: Subscription
            metadata: {name: jaeger-product, namespace: openshift-distributed-tracing}
            spec: {channel: stable, name: jaeger-product, source: redhat-operators, sourceNamespace: openshift-marketplace}
            ---
            apiVersion: operators.coreos.com/v1alpha1
            kind: Subscription
            metadata: {name: kiali-ossm, namespace: openshift-operators}
            spec: {channel: stable, name: kiali-ossm, source: redhat-operators, sourceNamespace: openshift-marketplace}
            ---
            apiVersion: operators.coreos.com/v1alpha1
            kind: Subscription
            metadata: {name: servicemeshoperator, namespace: openshift-operators}
            spec: {channel: stable, name: servicemeshoperator, source: redhat-operators, sourceNamespace: openshift-marketplace}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: openshift-metallb}
            ---
            apiVersion: operators.coreos.com/v1
            kind: OperatorGroup
            metadata: {name: openshift-metallb, namespace: openshift-metallb}
            spec: {}
            ---
            apiVersion: operators.coreos.com/v1alpha1
            kind: Subscription
            metadata: {name: metallb-operator, namespace: openshift-metallb}
            spec: {channel: stable, name: metallb-operator, source: redhat-operators, sourceNamespace: openshift-marketplace}
            """;

    private static final List<String> METALLB = List.of("MetalLB", "IPAddressPool", "L2Advertisement");

    private record Result(int exit, String out) {
    }

    private static Result run(Path tmp, List<String> command) throws Exception {
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        return new Result(p.exitValue(), Files.readString(out));
    }

    /** kubectl apply, tried again while the kind is not served yet (its operator is installing), as a person would. */
    private static void kubectlApply(Path tmp, Path kubeconfig, String context, String yaml) throws Exception {
        Path file = Files.writeString(Files.createTempFile(tmp, "apply", ".yaml"), yaml);
        List<String> command = List.of(Simulation.kubectl().toString(), "--kubeconfig", kubeconfig.toString(), "--context",
                context, "apply", "-f", file.toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        Result result;
        do {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            result = new Result(p.exitValue(), out);
            if (result.exit() == 0) {
                return;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("kubectl apply on " + context + " failed: " + result.out() + "\n" + yaml);
    }

    /**
     * What {@code oc get ... -o jsonpath} prints for the value: waits up to {@code patience} for it to
     * appear, then, as oc does for a field that is not there, the empty string.
     */
    private static Object read(Simulation simulation, LiveValue value, long patienceSeconds) throws InterruptedException {
        KubernetesClient client = simulation.require(value.source().cluster()).controllerClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(patienceSeconds);
        while (System.nanoTime() < deadline) {
            try {
                GenericKubernetesResource live = client.genericKubernetesResources(value.source().apiVersion(),
                        value.source().kind()).inNamespace(value.source().namespace()).withName(value.source().name()).get();
                if (live != null) {
                    @SuppressWarnings("unchecked")
                    Object found = value.readFrom(new ObjectMapper().convertValue(live, Map.class));
                    if (found != null) {
                        return found;
                    }
                }
            } catch (KubernetesClientException e) {
                // the namespace or kind is not there yet
            }
            Thread.sleep(200);
        }
        return "";
    }

    @Test
    @DisplayName("doctor --context on the seed's federation built by hand with kubectl: the pool MetalLB does not read, "
            + "gateways without an address, peers dialling none")
    void seedBuiltByHand(@TempDir Path tmp) throws Exception {
        Inventory inventory = InventoryLoader.load(Repo.example("blue-green"));
        try (Simulation simulation = SimulatedInventory.start(inventory, ConvergeTest.FAST)) {
            Path kubeconfig = Files.writeString(tmp.resolve("kubeconfig"), SimulatedInventory.kubeconfig(inventory, simulation));
            for (String cluster : List.of("blue", "green")) {
                kubectlApply(tmp, kubeconfig, cluster, CONSOLE);
            }
            Map<String, String> clusterOfNamespace = Map.of("blue-mesh-system", "blue", "green-mesh-system", "green");
            List<SeedDocument.SeedObject> seed = SeedDocument.objects(Files.readString(SeedGoldenTest.seedFile()),
                    clusterOfNamespace::get);
            Yaml yaml = new Yaml();
            List<String> appNamespacesDone = new ArrayList<>();
            for (SeedDocument.SeedObject object : seed) {
                List<String> clusters;
                if (METALLB.contains(object.kind())) {
                    clusters = List.of("blue", "green");   // "an IPAddressPool for each cluster"
                } else if (object.kind().equals("VirtualService")) {
                    clusters = List.of("green");
                } else if (object.kind().equals("Namespace") && clusterOfNamespace.get(object.name()) == null) {
                    // the seed creates the application namespace on cluster1, then on cluster2, and deploys the app
                    String cluster = appNamespacesDone.contains(object.name()) ? "green" : "blue";
                    appNamespacesDone.add(object.name());
                    clusters = List.of(cluster);
                } else {
                    String ns = object.kind().equals("Namespace") ? object.name() : object.namespace();
                    clusters = List.of(clusterOfNamespace.get(ns));
                }
                for (String cluster : clusters) {
                    Object resolved = Tree.mapLeaves(object.object(), leaf -> {
                        try {
                            // a CA is there once the control plane runs; an address comes at once or not at all
                            return leaf instanceof LiveValue v ? read(simulation, v, v.source().kind().equals("ConfigMap") ? 90 : 5)
                                    : leaf;
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    String text = yaml.dump(resolved);
                    if (object.kind().equals("IPAddressPool") && cluster.equals("green")) {
                        text = text.replace("10.19.3.", "10.19.4.");   // green's own range
                    }
                    kubectlApply(tmp, kubeconfig, cluster, text);
                    if (object.kind().equals("Namespace") && object.name().equals("nfs-app-istio")) {
                        kubectlApply(tmp, kubeconfig, cluster, Files.readString(Repo.example("blue-green")
                                .resolve("apps/app-" + cluster + ".yaml")));
                    }
                }
            }

            List<String> doctor = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", Repo.packagedApplication().toString(), "doctor", "--context", "blue,green", "--kubeconfig",
                    kubeconfig.toString()));
            Result text = run(tmp, doctor);
            doctor.addAll(List.of("-o", "json"));
            Result json = run(tmp, doctor);
            assertThat(text.exit()).as(text.out()).isEqualTo(6);
            assertThat(json.exit()).isEqualTo(6);
            JsonNode findings = new ObjectMapper().readTree(json.out()).get("findings");
            List<org.assertj.core.groups.Tuple> notOk = new ArrayList<>();
            findings.forEach(f -> {
                if (!f.get("status").asText().equals("ok")) {
                    notOk.add(tuple(f.get("cluster").asText(), f.get("check").asText(), f.get("status").asText()));
                }
            });
            assertThat(notOk).containsExactly(
                    tuple("blue", "load balancer", "fail"),
                    tuple("blue", "peer address", "fail"), tuple("blue", "connection", "warn"),
                    tuple("green", "load balancer", "fail"),
                    tuple("green", "peer address", "fail"), tuple("green", "connection", "warn"));
            assertThat(text.out()).contains("blue\n  ok      control plane   blue/ServiceMeshControlPlane blue-mesh-system/blue-mesh "
                    + "Ready, v2.1\n", "  FAIL    load balancer   blue/IPAddressPool openshift-operators/l2-pool, "
                    + "blue/L2Advertisement openshift-operators/l2-pool are not in openshift-metallb, the only namespace "
                    + "blue/MetalLB openshift-metallb/metallb reads\n",
                    "fix: create IPAddressPool l2-pool and L2Advertisement l2-pool in openshift-metallb (and delete them where "
                            + "they are)",
                    "  FAIL    peer address    green/Service green-mesh-system/ingress-blue-mesh has no load-balancer address\n",
                    "green -> blue\n", "  ok      imports         green/ImportedServiceSet green-mesh-system/blue-mesh imports "
                            + "[blue-dokuwiki.nfs-app-istio.svc.blue-mesh-imports.local]");
        }
    }
}
