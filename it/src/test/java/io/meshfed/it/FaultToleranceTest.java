package io.meshfed.it;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshfed.inventory.InventoryLoader;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.model.resource.DesiredObject;
import io.meshfed.model.resource.ObjectRef;
import io.meshfed.provisioner.apply.GraphExecutor;
import io.meshfed.provisioner.apply.KnownKinds;
import io.meshfed.provisioner.apply.NodeResult;
import io.meshfed.provisioner.apply.RunResult;
import io.meshfed.provisioner.simulate.Faults;
import io.meshfed.provisioner.simulate.RequestLog;
import io.meshfed.provisioner.simulate.SimulatedCluster;
import io.meshfed.provisioner.simulate.SimulatedInventory;
import io.meshfed.provisioner.simulate.Simulation;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine under a misbehaving API: transient errors (5xx, 429) and latency on a share of meshfed's
 * requests, some of whose effects happen while their answers are lost; a permanent error on one object;
 * a concurrent writer that makes meshfed's updates conflict. The federation converges with no
 * duplicate, a failure skips only its dependents, and conflicts are re-read and re-applied.
 */
class FaultToleranceTest {

    @Test
    @DisplayName("15% transient errors (500, 503, 429; half of them lost answers) and latency: converges, no duplicates")
    void transientErrors() {
        Inventory inventory = InventoryLoader.load(Repo.example("blue-green"));
        try (Simulation simulation = SimulatedInventory.start(inventory, ConvergeTest.FAST)) {
            simulation.require("blue").faults(Faults.latency(Duration.ofMillis(5)).withErrors(0.15, 42, 500, 503, 429));
            simulation.require("green").faults(Faults.latency(Duration.ofMillis(5)).withErrors(0.15, 7, 503, 500, 429)
                    .withLostResponses());

            RunResult result = ConvergeTest.run(inventory, simulation, GraphExecutor.Mode.APPLY);

            assertThat(result.failures()).isEmpty();
            List<RequestLog.Entry> requests = simulation.clusters().stream().flatMap(c -> c.requests().entries().stream())
                    .filter(e -> !e.controller() && !e.watch()).toList();
            long injected = requests.stream().filter(e -> e.status() >= 500 || e.status() == 429).count();
            System.out.printf("[benchmark] transient errors: %d of meshfed's %d requests failed (500/503/429), converged%n",
                    injected, requests.size());
            // a seeded 15% of the requests that were eligible; how many requests there are depends on timing
            assertThat(injected).as("injected failures").isGreaterThanOrEqualTo(Math.max(5, requests.size() / 20));
            for (SimulatedCluster c : simulation.clusters()) {
                c.faults(Faults.NONE);
                KubernetesClient k = c.controllerClient();
                assertThat(k.genericKubernetesResources("federation.maistra.io/v1", "ServiceMeshPeer").inAnyNamespace()
                        .list().getItems()).hasSize(1);
                assertThat(k.genericKubernetesResources("operators.coreos.com/v1alpha1", "Subscription").inAnyNamespace()
                        .list().getItems()).hasSize(5);
                assertThat(k.configMaps().inAnyNamespace().withLabel("meshfed.io/inventory", "blue-green").list()
                        .getItems()).hasSize(1);
            }
            ConvergeTest.reapplyWritesNothing(inventory, simulation);
        }
    }

    @Test
    @DisplayName("a permanent error fails its object at once, skips only what depends on it, and the rest converges")
    void permanentErrorSkipsDependents() {
        Inventory inventory = InventoryLoader.load(Repo.example("blue-green"));
        try (Simulation simulation = SimulatedInventory.start(inventory, ConvergeTest.FAST)) {
            simulation.require("green").faults(new Faults(Duration.ZERO, 1.0, 0, List.of(403), 0,
                    java.util.Set.of("PATCH"), "/gateways/dokuwiki-gateway$", false, 1));

            RunResult result = ConvergeTest.run(inventory, simulation, GraphExecutor.Mode.APPLY);

            ObjectRef gateway = new ObjectRef("green", "networking.istio.io/v1beta1", "Gateway", "nfs-app-istio",
                    "dokuwiki-gateway");
            ObjectRef route = new ObjectRef("green", "networking.istio.io/v1beta1", "VirtualService", "nfs-app-istio",
                    "dokuwiki");
            NodeResult failed = result.result(gateway);
            assertThat(failed.outcome()).isEqualTo(NodeResult.Outcome.FAILED);
            assertThat(failed.message()).contains("403").contains("injected fault");
            assertThat(result.result(route).outcome()).isEqualTo(NodeResult.Outcome.SKIPPED);
            assertThat(result.result(route).message()).isEqualTo("skipped: " + gateway.id() + " failed");
            assertThat(result.failures()).hasSize(1);
            assertThat(result.results().stream().filter(r -> r.outcome() == NodeResult.Outcome.SKIPPED)).hasSize(1);
            assertThat(result.recap().get("blue").failed()).isZero();
            assertThat(result.recap().get("green").failed()).isEqualTo(1);
            long applies = simulation.require("green").requests().entries().stream()
                    .filter(e -> e.method().equals("PATCH") && e.path().endsWith("/gateways/dokuwiki-gateway")).count();
            assertThat(applies).as("a 403 is not retried").isEqualTo(1);
        }
    }

    private static String plural(DesiredObject n) {
        return KnownKinds.find(n.ref().apiVersion(), n.ref().kind()).orElseThrow().getPlural();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    @DisplayName("a concurrent writer: server-side apply carries no resourceVersion, so nothing conflicts; meshfed's drifted "
            + "fields converge and the other writer's stay")
    void concurrentWriter() throws Exception {
        Inventory inventory = InventoryLoader.load(Repo.example("blue-green"));
        try (Simulation simulation = SimulatedInventory.start(inventory, ConvergeTest.FAST)) {
            assertThat(ConvergeTest.run(inventory, simulation, GraphExecutor.Mode.APPLY).succeeded()).isTrue();
            KubernetesClient blue = simulation.require("blue").controllerClient();
            List<DesiredObject> drifted = ConvergeTest.graph(inventory).nodes().stream()
                    .filter(n -> n.managed() && n.ref().cluster().equals("blue") && n.ref().namespaced())
                    .filter(n -> List.of("ServiceMeshMemberRoll", "Deployment", "ConfigMap").contains(n.ref().kind()))
                    .toList();
            for (DesiredObject n : drifted) {
                resource(blue, n.ref()).edit(r -> {
                    r.getMetadata().getLabels().remove("meshfed.io/inventory");
                    return r;
                });
            }
            // the other writer: a loop changing every drifted object, and one more change of each right after
            // meshfed first reads it (while that answer is on its way: 40 ms of latency), so that what meshfed
            // read is stale when it writes (a PUT with that resourceVersion would be a 409)
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger bumps = new AtomicInteger();
            Runnable[] bump = drifted.stream().<Runnable>map(n -> () -> {
                try {
                    resource(blue, n.ref()).edit(r -> {
                        r.getMetadata().getAnnotations().put("other-writer/round", String.valueOf(bumps.incrementAndGet()));
                        return r;
                    });
                } catch (RuntimeException e) {
                    // the other writer loses races against meshfed too; it just tries again
                }
            }).toArray(Runnable[]::new);
            List<Thread> writers = java.util.stream.IntStream.range(0, bump.length).mapToObj(i -> Thread.ofVirtual().start(() -> {
                while (!stop.get()) {
                    bump[i].run();
                    sleep(300);
                }
            })).toList();
            java.util.Set<String> interfered = java.util.concurrent.ConcurrentHashMap.newKeySet();
            simulation.require("blue").onClientRequest((method, path) -> {
                for (int i = 0; i < drifted.size(); i++) {
                    DesiredObject n = drifted.get(i);
                    if (method.equals("GET") && path.endsWith("/" + n.ref().namespace() + "/" + plural(n) + "/" + n.ref().name())
                            && interfered.add(path)) {
                        Thread.ofVirtual().start(bump[i]);
                    }
                }
            });
            simulation.require("blue").faults(Faults.latency(Duration.ofMillis(40)));
            simulation.require("blue").requests().clear();
            RunResult result = ConvergeTest.run(inventory, simulation, GraphExecutor.Mode.APPLY);
            stop.set(true);
            for (Thread writer : writers) {
                writer.join();
            }

            assertThat(result.failures()).isEmpty();
            List<RequestLog.Entry> conflicts = simulation.require("blue").requests().entries().stream()
                    .filter(e -> !e.controller() && e.status() == 409).toList();
            assertThat(conflicts).as("meshfed's writes that conflicted with the other writer").isEmpty();
            long applies = simulation.require("blue").requests().entries().stream()
                    .filter(e -> !e.controller() && e.write() && e.method().equals("PATCH")).count();
            for (DesiredObject n : drifted) {
                GenericKubernetesResource live = resource(blue, n.ref()).get();
                assertThat(live.getMetadata().getLabels()).as(n.ref().id()).containsEntry("meshfed.io/inventory", "blue-green");
                assertThat(live.getMetadata().getAnnotations()).as("the other writer's field").containsKey("other-writer/round");
            }
            System.out.printf("[benchmark] concurrent writer: %d objects drifted, %d writer bumps, %d applies of meshfed's, "
                    + "no conflict%n", drifted.size(), bumps.get(), applies);
        }
    }

    @Test
    @DisplayName("the total timeout: running nodes fail naming what they wait for, the ones not started are skipped")
    void totalTimeout() {
        Inventory inventory = InventoryLoader.load(Repo.example("blue-green"));
        try (Simulation simulation = SimulatedInventory.start(inventory, new io.meshfed.provisioner.simulate.SimulationTiming(
                Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(30)))) {
            var clients = io.meshfed.provisioner.apply.Connections.open(inventory, 10,
                    io.meshfed.provisioner.apply.RetryPolicy.DEFAULT, name -> simulation.require(name).config("meshfed"));
            long start = System.nanoTime();
            RunResult result;
            try {
                result = new io.meshfed.provisioner.apply.Runner(clients, inventory, new io.meshfed.provisioner.apply.RunOptions(
                        Duration.ofMinutes(1), Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofSeconds(1)),
                        io.meshfed.provisioner.apply.ProgressListener.NONE)
                        .apply(ConvergeTest.graph(inventory), false, java.util.Set.of(), new io.meshfed.provisioner.apply.Cancellation());
            } finally {
                clients.values().forEach(io.meshfed.provisioner.apply.ClusterClient::close);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            NodeResult elasticsearch = result.result(new ObjectRef("blue", "operators.coreos.com/v1alpha1", "Subscription",
                    "openshift-operators-redhat", "elasticsearch-operator"));
            assertThat(elasticsearch.outcome()).isEqualTo(NodeResult.Outcome.FAILED);
            assertThat(elasticsearch.message()).startsWith("the run timed out after 2s while waiting: ")
                    .contains("elasticsearch-operator.v5.4.3 is Installing");
            NodeResult smcp = result.result(new ObjectRef("blue", "maistra.io/v2", "ServiceMeshControlPlane",
                    "blue-mesh-system", "blue-mesh"));
            assertThat(smcp.outcome()).isEqualTo(NodeResult.Outcome.SKIPPED);
            assertThat(result.succeeded()).isFalse();
        }
    }

    @Test
    @DisplayName("going on without an unreachable cluster: its objects are unreachable, what reads from it is skipped")
    void withoutUnreachableCluster() {
        Inventory inventory = InventoryLoader.load(Repo.example("blue-green"));
        try (Simulation simulation = SimulatedInventory.start(inventory, ConvergeTest.FAST)) {
            var clients = io.meshfed.provisioner.apply.Connections.open(inventory, 10,
                    io.meshfed.provisioner.apply.RetryPolicy.DEFAULT, name -> simulation.require(name).config("meshfed"));
            RunResult result;
            try {
                result = new io.meshfed.provisioner.apply.Runner(clients, inventory, ConvergeTest.OPTIONS,
                        io.meshfed.provisioner.apply.ProgressListener.NONE).apply(ConvergeTest.graph(inventory), false,
                        java.util.Set.of("green"), new io.meshfed.provisioner.apply.Cancellation());
            } finally {
                clients.values().forEach(io.meshfed.provisioner.apply.ClusterClient::close);
            }
            assertThat(result.recap().get("green").unreachable()).isEqualTo(result.results().stream()
                    .filter(r -> r.ref().cluster().equals("green")).count());
            NodeResult peerCa = result.result(new ObjectRef("blue", "v1", "ConfigMap", "blue-mesh-system",
                    "green-mesh-ca-root-cert"));
            assertThat(peerCa.outcome()).isEqualTo(NodeResult.Outcome.SKIPPED);
            assertThat(peerCa.message()).isEqualTo("skipped: green/ConfigMap/green-mesh-system/istio-ca-root-cert is on an "
                    + "unreachable cluster");
            assertThat(result.result(new ObjectRef("blue", "maistra.io/v2", "ServiceMeshControlPlane", "blue-mesh-system",
                    "blue-mesh")).outcome()).isEqualTo(NodeResult.Outcome.CHANGED);
            assertThat(simulation.require("green").requests().clientWrites()).isZero();
        }
    }

    private static io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource> resource(KubernetesClient k,
                                                                                                 ObjectRef ref) {
        return k.genericKubernetesResources(ref.apiVersion(), ref.kind()).inNamespace(ref.namespace()).withName(ref.name());
    }
}
