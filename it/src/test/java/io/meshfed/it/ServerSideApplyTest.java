package io.meshfed.it;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.meshfed.inventory.InventoryLoader;
import io.meshfed.model.graph.ResourceGraph;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.model.resource.ObjectRef;
import io.meshfed.provisioner.apply.ClusterClient;
import io.meshfed.provisioner.apply.Connections;
import io.meshfed.provisioner.apply.Planner;
import io.meshfed.provisioner.apply.ProgressListener;
import io.meshfed.provisioner.apply.Runner;
import io.meshfed.provisioner.apply.Cancellation;
import io.meshfed.provisioner.apply.RetryPolicy;
import io.meshfed.provisioner.apply.RunResult;
import io.meshfed.provisioner.simulate.RequestLog;
import io.meshfed.provisioner.simulate.SimulatedCluster;
import io.meshfed.provisioner.simulate.SimulatedInventory;
import io.meshfed.provisioner.simulate.Simulation;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Server-side apply on a real kube-apiserver, with the manifests users write: values the server
 * normalizes, fields it defaults, list items a controller adds, a kind written in an older version,
 * a manifest without namespace — each applied again without one write (counted at the server) and
 * pruned without one orphan; a key removed from a list item is removed on the cluster; an object an
 * earlier meshfed wrote client-side migrates; a kind that left the inventory is still found; two
 * inventories on one cluster leave each other's objects alone.
 */
class ServerSideApplyTest {

    private static final String HOSTS = """
            all:
              vars:
                meshfed_inventory_name: %s
                federation: {peering: none}
                mesh_members: [apps]
              hosts:
                solo:
                  kube_context: solo
                  metallb_addresses: [10.0.0.1-10.0.0.9]
                  mesh_manifests: [apps]
            """;

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: apps}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                    - name: web
                      image: registry.example/web:1
                      ENV
                      resources:
                        limits: {memory: 1024Mi, cpu: 1000m}
                        requests: {memory: 0.5Gi, cpu: "0.5"}
            """;

    private static final String OTHERS = """
            apiVersion: v1
            kind: Secret
            metadata: {name: web-credentials, namespace: apps}
            stringData: {password: s3cr3t-value}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: apps}
            spec:
              selector: {app: web}
              ports: [{name: http, port: 8080}]
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: builder, namespace: apps}
            ---
            apiVersion: networking.istio.io/v1alpha3
            kind: Gateway
            metadata: {name: web-gateway, namespace: apps}
            spec:
              selector: {istio: ingressgateway}
              servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings}
            data: {mode: "no namespace in the manifest"}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: legacy, namespace: apps}
            data: {kept: "yes"}
            """;

    private static final String POLICY = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: web-only, namespace: apps}
            spec:
              podSelector: {matchLabels: {app: web}}
              policyTypes: [Ingress]
            """;

    private static final String ENV = "env: [{name: MODE, value: blue}, {name: DEBUG, value: \"false\"}]";

    private static Inventory write(Path dir, String name, String deployment, boolean policy) throws IOException {
        Files.createDirectories(dir.resolve("apps"));
        Files.writeString(dir.resolve("hosts.yaml"), HOSTS.formatted(name));
        Files.writeString(dir.resolve("apps/deployment.yaml"), deployment);
        Files.writeString(dir.resolve("apps/others.yaml"), OTHERS);
        if (policy) {
            Files.writeString(dir.resolve("apps/policy.yaml"), POLICY);
        } else {
            Files.deleteIfExists(dir.resolve("apps/policy.yaml"));
        }
        return InventoryLoader.load(dir);
    }

    /** One apply as the CLI runs it: the graph, then orphans (pruned when asked) and the record. */
    private static Applied apply(Inventory inventory, Simulation simulation, boolean prune) {
        Map<String, ClusterClient> clients = clients(inventory, simulation);
        try {
            ResourceGraph graph = ConvergeTest.graph(inventory);
            RunResult result = new Runner(clients, inventory, ConvergeTest.OPTIONS, ProgressListener.NONE).apply(graph, prune,
                    java.util.Set.of(), new Cancellation());
            assertThat(result.failures()).as("failures").isEmpty();
            return new Applied(result);
        } finally {
            clients.values().forEach(ClusterClient::close);
        }
    }

    private record Applied(RunResult run) {
        String action(ObjectRef ref) {
            return run.result(ref).action();
        }

        /** What prune did (the results after the graph's). */
        List<io.meshfed.provisioner.apply.NodeResult> pruned() {
            return run.results().stream().filter(r -> r.action().equals("prune") || r.message().startsWith("no longer in"))
                    .toList();
        }

        /** The orphans: pruned or kept. */
        List<ObjectRef> orphans() {
            List<ObjectRef> orphans = new java.util.ArrayList<>(pruned().stream().map(io.meshfed.provisioner.apply.NodeResult::ref)
                    .toList());
            run.orphans().forEach(o -> orphans.add(o.ref()));
            return orphans;
        }
    }

    private static Map<String, ClusterClient> clients(Inventory inventory, Simulation simulation) {
        return Connections.open(inventory, 10, RetryPolicy.DEFAULT, name -> simulation.require(name).config("meshfed"));
    }

    /** Applies again: nothing changes, no write reaches the server (dry runs do, and are counted apart), no orphan. */
    private static void againWritesNothing(Inventory inventory, Simulation simulation, String what) {
        SimulatedCluster solo = simulation.require("solo");
        solo.requests().clear();
        Applied again = apply(inventory, simulation, false);
        List<RequestLog.Entry> requests = solo.requests().entries().stream().filter(e -> !e.controller()).toList();
        long writes = requests.stream().filter(RequestLog.Entry::write).count();
        long dryRuns = requests.stream().filter(RequestLog.Entry::dryRun).count();
        System.out.printf("[benchmark] %s: no-op apply of %d objects: %d writes, %d dry runs (%s), %d reads%n", what,
                again.run().results().size(), writes, dryRuns, requests.stream().filter(RequestLog.Entry::dryRun)
                        .map(e -> e.path().substring(e.path().lastIndexOf("/", e.path().lastIndexOf("/") - 1) + 1)).toList(),
                requests.stream().filter(RequestLog.Entry::read).count());
        assertThat(again.run().results().stream().filter(r -> r.outcome() == io.meshfed.provisioner.apply.NodeResult.Outcome.CHANGED)
                .map(r -> r.ref().id() + " " + r.action())).as("changed objects (" + what + ")").isEmpty();
        assertThat(requests.stream().filter(RequestLog.Entry::write).map(e -> e.method() + " " + e.path()).toList())
                .as("writes on the server (" + what + ")").isEmpty();
        assertThat(dryRuns).as("dry runs").isPositive();
        assertThat(again.orphans()).as("orphans (" + what + ")").isEmpty();
    }

    private static ObjectRef ref(String apiVersion, String kind, String namespace, String name) {
        return new ObjectRef("solo", apiVersion, kind, namespace, name);
    }

    @Test
    @DisplayName("normalized quantities, stringData, defaults, a controller's list items, v1alpha3, no namespace: "
            + "a second apply writes nothing; a removed list-item key is removed; a dropped kind is pruned")
    void convergesOnceAndStays(@TempDir Path tmp) throws Exception {
        Inventory inventory = write(tmp.resolve("ssa"), "ssa", DEPLOYMENT.replace("ENV", ENV), true);
        try (Simulation simulation = SimulatedInventory.start(inventory, ConvergeTest.FAST)) {
            KubernetesClient solo = simulation.require("solo").controllerClient();
            // written by meshfed 0.1: a client-side create with the last-applied record and a key since dropped
            String legacyRecord = "{\"apiVersion\":\"v1\",\"data\":{\"dropped\":\"old\",\"kept\":\"yes\"},\"kind\":\"ConfigMap\"}";
            solo.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                    .withName("apps").addToLabels("app.kubernetes.io/managed-by", "meshfed")
                    .addToLabels("meshfed.io/inventory", "ssa").endMetadata().build()).create();
            try (KubernetesClient old = new KubernetesClientBuilder().withConfig(
                    simulation.require("solo").config(Config.empty().getUserAgent())).build()) {
                old.configMaps().inNamespace("apps").resource(new ConfigMapBuilder().withNewMetadata().withName("legacy")
                        .addToLabels("app.kubernetes.io/managed-by", "meshfed").addToLabels("meshfed.io/inventory", "ssa")
                        .addToAnnotations("meshfed.io/last-applied", legacyRecord).endMetadata()
                        .addToData("dropped", "old").addToData("kept", "yes").build()).create();
            }

            // the Elasticsearch operator installed by hand before, from the console: its namespace has an OperatorGroup
            // under another name, and a second one would make OLM fail every operator there
            solo.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                    .withName("openshift-operators-redhat").endMetadata().build()).create();
            solo.genericKubernetesResources("operators.coreos.com/v1", "OperatorGroup").inNamespace("openshift-operators-redhat")
                    .resource(new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
                            .withApiVersion("operators.coreos.com/v1").withKind("OperatorGroup").withNewMetadata()
                            .withName("openshift-operators-redhat-x7k2q").endMetadata()
                            .addToAdditionalProperties("spec", Map.of()).build()).create();

            // plan before anything: a create shows the object as the server would store it, defaults included
            List<Planner.Entry> fresh = plan(inventory, simulation);
            assertThat(fresh.stream().filter(e -> e.ref().kind().equals("Deployment")).findFirst().orElseThrow())
                    .satisfies(e -> assertThat(e.action()).isEqualTo("create"))
                    .satisfies(e -> assertThat(e.diff()).contains("+  progressDeadlineSeconds: 600", "memory: 1Gi", "cpu: 500m"));
            assertThat(fresh.stream().filter(e -> e.ref().kind().equals("Secret")).findFirst().orElseThrow().diff())
                    .doesNotContain("s3cr3t");

            Applied first = apply(inventory, simulation, false);
            assertThat(first.action(ref("v1", "ConfigMap", "apps", "legacy"))).isEqualTo("update");
            ObjectRef group = ref("operators.coreos.com/v1", "OperatorGroup", "openshift-operators-redhat",
                    "openshift-operators-redhat");
            assertThat(first.action(group)).isEqualTo("not created");
            assertThat(first.run().result(group).message()).contains("has OperatorGroup openshift-operators-redhat-x7k2q",
                    "TooManyOperatorGroups");
            assertThat(solo.genericKubernetesResources("operators.coreos.com/v1", "OperatorGroup")
                    .inNamespace("openshift-operators-redhat").list().getItems()).hasSize(1);
            Deployment web = solo.apps().deployments().inNamespace("apps").withName("web").get();
            var resources = web.getSpec().getTemplate().getSpec().getContainers().get(0).getResources();
            assertThat(resources.getLimits().get("memory").toString()).isEqualTo("1Gi");
            assertThat(resources.getLimits().get("cpu").toString()).isEqualTo("1");
            assertThat(resources.getRequests().get("memory").toString()).isEqualTo("512Mi");
            assertThat(resources.getRequests().get("cpu").toString()).isEqualTo("500m");
            var secret = solo.secrets().inNamespace("apps").withName("web-credentials").get();
            assertThat(secret.getData()).containsKey("password");
            assertThat(secret.getStringData()).isNullOrEmpty();
            assertThat(String.valueOf(secret.getMetadata().getAnnotations())).doesNotContain("s3cr3t");
            assertThat(solo.services().inNamespace("apps").withName("web").get().getSpec().getSessionAffinity())
                    .as("a defaulted field").isEqualTo("None");
            assertThat(solo.configMaps().inNamespace("default").withName("settings").get()).as("no namespace: 'default'")
                    .isNotNull();
            // the legacy object: its record is gone, the key only the old record had is removed, the old writer's
            // managedFields entry moved to meshfed's apply manager
            var legacy = solo.configMaps().inNamespace("apps").withName("legacy").get();
            assertThat(legacy.getData()).containsOnlyKeys("kept");
            assertThat(legacy.getMetadata().getAnnotations()).doesNotContainKey("meshfed.io/last-applied");
            assertThat(legacy.getMetadata().getManagedFields()).extracting(ManagedFieldsEntry::getManager)
                    .doesNotContain("fabric8-kubernetes-client").contains("meshfed/ssa");
            // OpenShift's controller appends its pull secret to the ServiceAccount meshfed applied
            awaitPullSecret(solo);
            assertThat(first.orphans()).isEmpty();

            againWritesNothing(inventory, simulation, "ssa manifests");

            // a key removed from a list item (the container's env) is removed on the cluster; the NetworkPolicy's kind
            // is no longer in the inventory at all, and is still found (the record) and pruned
            Inventory edited = write(tmp.resolve("ssa"), "ssa", DEPLOYMENT.replace("ENV", ""), false);
            Applied second = apply(edited, simulation, true);
            assertThat(second.action(ref("apps/v1", "Deployment", "apps", "web"))).isEqualTo("update");
            assertThat(solo.apps().deployments().inNamespace("apps").withName("web").get().getSpec().getTemplate().getSpec()
                    .getContainers().get(0).getEnv()).isNullOrEmpty();
            assertThat(second.pruned()).extracting(r -> r.ref().id() + " " + r.action() + " " + r.outcome())
                    .containsExactly("solo/NetworkPolicy/apps/web-only prune CHANGED");
            assertThat(solo.network().v1().networkPolicies().inNamespace("apps").withName("web-only").get()).isNull();
            againWritesNothing(edited, simulation, "ssa manifests, edited");

            // a role that may not list ConfigMaps cluster-wide: the apply succeeds, the orphans are a warning
            simulation.require("solo").faults(io.meshfed.provisioner.simulate.Faults.NONE.withErrors(1.0, 1, 403)
                    .onlyFor("GET").onlyPaths("/api/v1/configmaps$"));
            Applied forbidden = apply(edited, simulation, true);
            simulation.require("solo").faults(io.meshfed.provisioner.simulate.Faults.NONE);
            assertThat(forbidden.run().succeeded()).isTrue();
            assertThat(forbidden.run().warnings()).singleElement()
                    .satisfies(w -> assertThat(w.cluster()).isEqualTo("solo"))
                    .satisfies(w -> assertThat(w.message()).startsWith("orphans not pruned: ").contains("403"));

            // plan agrees: nothing to do; a drifted value meshfed sets is an update (one meshfed does not set, such
            // as the replicas an autoscaler would set, is not meshfed's)
            assertThat(plan(edited, simulation)).allMatch(e -> e.action().equals("unchanged") || e.action().startsWith("observe")
                    || e.action().equals("not created") && e.ref().kind().equals("OperatorGroup"));
            solo.apps().deployments().inNamespace("apps").withName("web").edit(d -> {
                d.getSpec().setReplicas(3);
                d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("registry.example/web:2");
                return d;
            });
            List<Planner.Entry> plan = plan(edited, simulation);
            assertThat(plan).filteredOn(e -> !e.action().equals("unchanged") && !e.action().startsWith("observe")
                            && !e.action().equals("not created"))
                    .extracting(e -> e.ref().id() + " " + e.action()).containsExactly("solo/Deployment/apps/web update");
            assertThat(plan.stream().filter(e -> e.ref().kind().equals("Deployment")).findFirst().orElseThrow().diff())
                    .containsPattern("\n- +image: registry.example/web:2\n").containsPattern("\n\\+ +image: registry.example/web:1\n")
                    .doesNotContain("replicas");
        }
    }

    private static List<Planner.Entry> plan(Inventory inventory, Simulation simulation) {
        Map<String, ClusterClient> clients = clients(inventory, simulation);
        try {
            simulation.require("solo").requests().clear();
            List<Planner.Entry> plan = new Runner(clients, inventory, ConvergeTest.OPTIONS, ProgressListener.NONE)
                    .plan(ConvergeTest.graph(inventory), false, java.util.Set.of()).entries();
            assertThat(simulation.require("solo").requests().clientWrites()).as("plan's writes").isZero();
            return plan;
        } finally {
            clients.values().forEach(ClusterClient::close);
        }
    }

    private static void awaitPullSecret(KubernetesClient solo) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            ServiceAccount sa = solo.serviceAccounts().inNamespace("apps").withName("builder").get();
            if (sa.getImagePullSecrets().stream().anyMatch(r -> r.getName().startsWith("builder-dockercfg-"))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the simulated OpenShift controller did not append its pull secret");
    }

    @Test
    @DisplayName("two inventories on one cluster: each adopts what the other created, and neither's destroy or prune "
            + "deletes the other's objects")
    void twoInventories(@TempDir Path tmp) throws Exception {
        Inventory one = write(tmp.resolve("one"), "one", DEPLOYMENT.replace("ENV", ""), false);
        Path twoDir = tmp.resolve("two");
        Inventory two = write(twoDir, "two", DEPLOYMENT.replace("ENV", ""), false);
        Files.writeString(twoDir.resolve("apps/others.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: two-only, namespace: apps}
                data: {owner: two}
                """);
        two = InventoryLoader.load(twoDir);
        try (Simulation simulation = SimulatedInventory.start(one, ConvergeTest.FAST)) {
            KubernetesClient solo = simulation.require("solo").controllerClient();
            apply(one, simulation, false);
            Applied second = apply(two, simulation, true);
            ObjectRef sharedDeployment = ref("apps/v1", "Deployment", "apps", "web");
            assertThat(second.action(sharedDeployment)).isEqualTo("adopt");
            assertThat(second.orphans()).as("inventory two's orphans").isEmpty();
            Deployment web = solo.apps().deployments().inNamespace("apps").withName("web").get();
            assertThat(web.getMetadata().getLabels()).containsEntry("meshfed.io/inventory", "one");
            assertThat(web.getMetadata().getAnnotations()).containsEntry("adopted.meshfed.io/two", "true");

            // one's prune finds none of two's objects; one's re-apply changes nothing two did
            againWritesNothing(one, simulation, "inventory one beside inventory two");

            // two's destroy: its own ConfigMap goes; what one created stays, as one rendered it
            Map<String, ClusterClient> clients = clients(two, simulation);
            RunResult destroyed;
            try {
                destroyed = new Runner(clients, two, ConvergeTest.OPTIONS, ProgressListener.NONE)
                        .destroy(ConvergeTest.graph(two), java.util.Set.of(), new Cancellation());
            } finally {
                clients.values().forEach(ClusterClient::close);
            }
            assertThat(destroyed.failures()).isEmpty();
            assertThat(destroyed.result(ref("v1", "ConfigMap", "apps", "two-only")).action()).isEqualTo("delete");
            assertThat(destroyed.result(sharedDeployment).action()).isEqualTo("hand-over");
            assertThat(solo.configMaps().inNamespace("apps").withName("two-only").get()).isNull();
            web = solo.apps().deployments().inNamespace("apps").withName("web").get();
            assertThat(web).isNotNull();
            assertThat(web.getMetadata().getAnnotations()).doesNotContainKey("adopted.meshfed.io/two");
            assertThat(solo.namespaces().withName("apps").get().getStatus().getPhase()).isEqualTo("Active");
            assertThat(solo.configMaps().inNamespace("default").withName("settings").get()).as("one's").isNotNull();
            // two forced the memory limit one sent as 1024Mi (stored 1Gi: to the server a different value) and its hand-over
            // left that field owned by nobody: one's next apply takes it back, values untouched, so that one's later
            // removal of it is honoured; then nothing more
            assertThat(web.getMetadata().getManagedFields()).extracting(ManagedFieldsEntry::getManager)
                    .doesNotContain("meshfed/two");
            Applied retaken = apply(one, simulation, false);
            assertThat(retaken.action(sharedDeployment)).isEqualTo("update");
            assertThat(solo.apps().deployments().inNamespace("apps").withName("web").get().getMetadata().getManagedFields().stream()
                    .filter(m -> m.getManager().equals("meshfed/one")).findFirst().orElseThrow().getFieldsV1()
                    .getAdditionalProperties().toString()).contains("f:memory");
            againWritesNothing(one, simulation, "inventory one after two's destroy");
        }
    }

    @Test
    @DisplayName("a 404 on create says why once: a kind the cluster does not serve, or a namespace that does not exist")
    void createNotFoundSaysWhyOnce(@TempDir Path tmp) throws Exception {
        Inventory inventory = write(tmp.resolve("nf"), "nf", DEPLOYMENT.replace("ENV", ""), false);
        try (Simulation simulation = SimulatedInventory.start(inventory, ConvergeTest.FAST)) {
            Map<String, ClusterClient> clients = clients(inventory, simulation);
            try {
                ClusterClient solo = clients.get("solo");
                ObjectRef widget = ref("route.openshift.io/v1", "Widget", "apps", "w");
                assertThatThrownBy(() -> solo.apply(widget, Map.of("apiVersion", "route.openshift.io/v1", "kind", "Widget",
                        "metadata", Map.of("name", "w", "namespace", "apps")), "meshfed/nf", false, true))
                        .hasMessage("solo: the cluster does not serve Widget (route.openshift.io/v1); is the operator that "
                                + "brings its CRD installed?");
                ObjectRef inMissing = ref("v1", "ConfigMap", "nowhere", "c");
                assertThatThrownBy(() -> solo.apply(inMissing, Map.of("apiVersion", "v1", "kind", "ConfigMap",
                        "metadata", Map.of("name", "c", "namespace", "nowhere")), "meshfed/nf", false, true))
                        .hasMessageContaining("does namespace nowhere exist?")
                        .extracting(Throwable::getMessage).satisfies(m -> assertThat(m.split("does the cluster serve", -1)).hasSize(2));
            } finally {
                clients.values().forEach(ClusterClient::close);
            }
        }
    }
}
