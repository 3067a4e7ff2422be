package io.meshfed.it;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshfed.inventory.InventoryLoader;
import io.meshfed.model.graph.ResourceGraph;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.model.render.RenderException;
import io.meshfed.model.resource.ObjectRef;
import io.meshfed.provisioner.apply.Cancellation;
import io.meshfed.provisioner.apply.ClusterClient;
import io.meshfed.provisioner.apply.Connections;
import io.meshfed.provisioner.apply.GraphExecutor;
import io.meshfed.provisioner.apply.InventoryRecords;
import io.meshfed.provisioner.apply.NodeResult;
import io.meshfed.provisioner.apply.OwnedObjects;
import io.meshfed.provisioner.apply.Planner;
import io.meshfed.provisioner.apply.ProgressListener;
import io.meshfed.provisioner.apply.RetryPolicy;
import io.meshfed.provisioner.apply.RunResult;
import io.meshfed.provisioner.apply.Runner;
import io.meshfed.provisioner.simulate.SimulatedInventory;
import io.meshfed.provisioner.simulate.Simulation;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Nothing meshfed did not create is ever deleted (issue 20), on a real API server, with the objects
 * made as people make them (kubectl): a namespace meshfed created keeps a team's ConfigMap and
 * Deployment through prune and destroy, and says what is in it; an adopted object that kubectl replace
 * stripped of its annotation, and a copy of meshfed's object made with kubectl, are never deleted; the
 * proof is the UID meshfed records when it creates an object, and objects from before that record are
 * recognised by who wrote them; a key removed from a Secret is removed from the cluster; destroy
 * removes the inventory's orphans and its record last; an object deleted behind a stale listing is
 * created again.
 */
class OwnershipTest {

    private static final String HOSTS = """
            all:
              vars:
                meshfed_inventory_name: %s
                federation: {peering: none}
                mesh_members: %s
              hosts:
                solo:
                  kube_context: solo
                  metallb_addresses: [10.0.0.1-10.0.0.9]
                  mesh_manifests: [apps]
            """;

    private static Inventory write(Path dir, String name, String members, Map<String, String> manifests) throws Exception {
        Files.createDirectories(dir.resolve("apps"));
        try (var old = Files.list(dir.resolve("apps"))) {
            for (Path p : old.toList()) {
                Files.delete(p);
            }
        }
        Files.writeString(dir.resolve("hosts.yaml"), HOSTS.formatted(name, members));
        for (Map.Entry<String, String> m : manifests.entrySet()) {
            Files.writeString(dir.resolve("apps").resolve(m.getKey()), m.getValue());
        }
        return InventoryLoader.load(dir);
    }

    /** A run through the Runner, as the CLI makes it. */
    private static <T> T with(Inventory inventory, Simulation simulation, Function<Runner, T> run) {
        return withClients(inventory, simulation, clients -> run.apply(new Runner(clients, inventory, ConvergeTest.OPTIONS,
                ProgressListener.NONE)));
    }

    /** Something done with a client per cluster of the inventory, closed after. */
    private static <T> T withClients(Inventory inventory, Simulation simulation, Function<Map<String, ClusterClient>, T> work) {
        Map<String, ClusterClient> clients = Connections.open(inventory, 10, RetryPolicy.DEFAULT,
                name -> simulation.require(name).config("meshfed"));
        try {
            return work.apply(clients);
        } finally {
            clients.values().forEach(ClusterClient::close);
        }
    }

    private static RunResult apply(Inventory inventory, Simulation simulation, boolean prune) {
        RunResult result = with(inventory, simulation, r -> r.apply(ConvergeTest.graph(inventory), prune, Set.of(),
                new Cancellation()));
        assertThat(result.failures()).as("apply's failures").isEmpty();
        return result;
    }

    private static RunResult destroy(Inventory inventory, Simulation simulation) {
        return with(inventory, simulation, r -> r.destroy(ConvergeTest.graph(inventory), Set.of(), new Cancellation()));
    }

    private static Runner.Plan plan(Inventory inventory, Simulation simulation, boolean prune) {
        return with(inventory, simulation, r -> r.plan(ConvergeTest.graph(inventory), prune, Set.of()));
    }

    private static NodeResult result(RunResult run, String kind, String namespace, String name) {
        return run.results().stream().filter(r -> r.ref().kind().equals(kind) && r.ref().name().equals(name)
                && java.util.Objects.equals(r.ref().namespace(), namespace)).reduce((a, b) -> b).orElseThrow(
                        () -> new AssertionError("no result for " + kind + " " + name + " in " + run.results()));
    }

    private static Kubectl kubectl(Path tmp, Inventory inventory, Simulation simulation) throws Exception {
        Path kubeconfig = Files.writeString(tmp.resolve("kubeconfig"), SimulatedInventory.kubeconfig(inventory, simulation));
        return new Kubectl(kubeconfig, tmp);
    }

    private static void awaitGone(KubernetesClient client, String namespace) throws InterruptedException {
        for (int i = 0; i < 300 && client.namespaces().withName(namespace).get() != null; i++) {
            Thread.sleep(50);
        }
        assertThat(client.namespaces().withName(namespace).get()).as("namespace " + namespace).isNull();
    }

    private static final String TEAM_OBJECTS = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: team-settings, namespace: team-a}
            data: {owner: team-a}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: team-a}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: web, image: registry.example/web:1}]}
            """;

    private static final String IN_TEAM_B = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: b-settings, namespace: team-b}
            data: {mode: rendered}
            """;

    private static final String SETTINGS = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings, namespace: default}
            data: {mode: rendered}
            """;

    @Test
    @DisplayName("a namespace meshfed created that holds a team's ConfigMap and Deployment is kept by prune and destroy, "
            + "which say what is in it; rendering into a namespace the inventory stopped creating is an error before any "
            + "write; destroy removes the namespace once the team's objects are gone, and the record last")
    void namespacesKeepOtherTeamsData(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("teams");
        Inventory before = write(dir, "teams", "[team-a, team-b]", Map.of("b.yaml", IN_TEAM_B, "settings.yaml", SETTINGS));
        try (Simulation simulation = SimulatedInventory.start(before, ConvergeTest.FAST)) {
            KubernetesClient solo = simulation.require("solo").controllerClient();
            apply(before, simulation, false);
            Kubectl kubectl = kubectl(tmp, before, simulation);
            kubectl.withFile(TEAM_OBJECTS, "--context", "solo", "apply");

            // both members leave the inventory, but a manifest still renders into team-b: an error, nothing written
            Inventory renderingInto = write(dir, "teams", "[]", Map.of("b.yaml", IN_TEAM_B, "settings.yaml", SETTINGS));
            simulation.require("solo").requests().clear();
            assertThatThrownBy(() -> apply(renderingInto, simulation, true)).isInstanceOf(RenderException.class)
                    .hasMessageContaining("cluster solo: the inventory renders ConfigMap team-b/b-settings into namespace "
                            + "team-b, which it created and no longer renders");
            assertThatThrownBy(() -> plan(renderingInto, simulation, true)).isInstanceOf(RenderException.class);
            assertThat(simulation.require("solo").requests().clientWrites()).as("writes").isZero();

            Inventory after = write(dir, "teams", "[]", Map.of("settings.yaml", SETTINGS));
            Runner.Plan plan = plan(after, simulation, true);
            Map<String, Planner.Entry> orphans = new java.util.TreeMap<>();
            plan.orphans().forEach(e -> orphans.put(e.ref().describe(), e));
            assertThat(orphans.get("Namespace team-a").action()).isEqualTo("kept");
            assertThat(orphans.get("Namespace team-a").note()).contains("holds what meshfed did not create",
                    "ConfigMap 1, Deployment 1", "ConfigMap/team-settings", "Deployment/web");
            assertThat(orphans.get("Namespace team-b").action()).as("its ConfigMap is meshfed's").isEqualTo("delete");
            assertThat(orphans.get("ConfigMap team-b/b-settings").action()).isEqualTo("delete");
            assertThat(orphans.get("ServiceMeshMemberRoll solo-mesh-system/default").action()).isEqualTo("delete");
            assertThat(simulation.require("solo").requests().clientWrites()).as("plan writes nothing").isZero();

            RunResult pruned = apply(after, simulation, true);
            assertThat(result(pruned, "Namespace", null, "team-a").action()).isEqualTo("kept");
            assertThat(result(pruned, "Namespace", null, "team-a").message()).contains("ConfigMap 1, Deployment 1");
            assertThat(result(pruned, "Namespace", null, "team-b").action()).isEqualTo("prune");
            assertThat(result(pruned, "ServiceMeshMemberRoll", "solo-mesh-system", "default").action()).isEqualTo("prune");
            awaitGone(solo, "team-b");
            assertThat(solo.namespaces().withName("team-a").get().getStatus().getPhase()).isEqualTo("Active");
            assertThat(solo.configMaps().inNamespace("team-a").withName("team-settings").get()).isNotNull();
            assertThat(solo.apps().deployments().inNamespace("team-a").withName("web").get()).isNotNull();

            // destroy: team-a stays with the team's objects, and so does the record; meshfed's ConfigMap deleted by hand
            // before is taken out of the record
            kubectl.ok("--context", "solo", "delete", "configmap", "settings", "-n", "default");
            simulation.require("solo").requests().clear();
            RunResult destroyed = destroy(after, simulation);
            long teamALists = simulation.require("solo").requests().entries().stream()
                    .filter(e -> !e.controller() && e.read() && e.path().contains("/namespaces/team-a/")).count();
            System.out.printf("[benchmark] namespace check before deleting team-a: %d kinds listed (metadata only), %d ms%n",
                    teamALists, result(destroyed, "Namespace", null, "team-a").duration().toMillis());
            assertThat(teamALists).as("every namespaced kind listed in team-a").isGreaterThan(30);
            assertThat(destroyed.failures()).isEmpty();
            assertThat(result(destroyed, "Namespace", null, "team-a").action()).isEqualTo("kept");
            assertThat(result(destroyed, "ConfigMap", "default", "settings").action()).isEqualTo("absent");
            assertThat(solo.configMaps().inNamespace("team-a").withName("team-settings").get()).isNotNull();
            assertThat(solo.apps().deployments().inNamespace("team-a").withName("web").get()).isNotNull();
            ConfigMap record = solo.configMaps().inNamespace(InventoryRecords.NAMESPACE).withName("meshfed-teams").get();
            assertThat(record).as("the record: it still lists team-a").isNotNull();
            assertThat(record.getData().get("created")).contains("Namespace team-a").doesNotContain("settings");

            // the team moves out: the next destroy removes team-a, then the record
            kubectl.ok("--context", "solo", "delete", "configmap", "team-settings", "-n", "team-a");
            kubectl.ok("--context", "solo", "delete", "deployment", "web", "-n", "team-a");
            RunResult last = destroy(after, simulation);
            assertThat(result(last, "Namespace", null, "team-a").action()).isEqualTo("delete");
            awaitGone(solo, "team-a");
            assertThat(solo.configMaps().inNamespace(InventoryRecords.NAMESPACE).withName("meshfed-teams").get()).isNull();
        }
    }

    private static final String OURS = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: ours, namespace: apps}
            data: {mode: meshfed}
            """;
    private static final String SHARED = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: shared-settings, namespace: default}
            data: {mode: meshfed}
            """;
    private static final String TEAMS_SHARED = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: shared-settings, namespace: default}
            data: {mode: team, team-key: kept}
            """;
    private static final String SECRET = """
            apiVersion: v1
            kind: Secret
            metadata: {name: credentials, namespace: apps}
            stringData: %s
            """;

    @Test
    @DisplayName("an adopted object kubectl replace stripped of its annotation and a kubectl copy of meshfed's object are "
            + "never deleted; objects from before the record are recorded by who wrote them; a Secret key removed is "
            + "removed, masked in plan; destroy removes the orphans and the record last")
    void onlyWhatMeshfedCreatedIsDeleted(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("owners");
        String secret = SECRET.formatted("{password: first, token: t0k3n}");
        Inventory inventory = write(dir, "owners", "[apps]", Map.of("ours.yaml", OURS, "shared.yaml", SHARED,
                "secret.yaml", secret));
        try (Simulation simulation = SimulatedInventory.start(inventory, ConvergeTest.FAST)) {
            KubernetesClient solo = simulation.require("solo").controllerClient();
            Kubectl kubectl = kubectl(tmp, inventory, simulation);
            kubectl.withFile(TEAMS_SHARED, "--context", "solo", "create");   // the team's, before meshfed
            RunResult first = apply(inventory, simulation, false);
            assertThat(result(first, "ConfigMap", "default", "shared-settings").action()).isEqualTo("adopt");
            assertThat(result(first, "ConfigMap", "apps", "ours").action()).isEqualTo("create");

            // the team replaces its object from its own YAML: the adoption annotation is gone; meshfed adopts it again,
            // and never labels it as its own
            kubectl.withFile(TEAMS_SHARED, "--context", "solo", "replace");
            RunResult afterReplace = apply(inventory, simulation, false);
            assertThat(result(afterReplace, "ConfigMap", "default", "shared-settings").action()).isIn("adopt", "update");
            ConfigMap shared = solo.configMaps().inNamespace("default").withName("shared-settings").get();
            assertThat(shared.getMetadata().getLabels()).as("labels of the adopted object").doesNotContainKey("meshfed.io/inventory");
            assertThat(shared.getMetadata().getAnnotations()).containsEntry("adopted.meshfed.io/owners", "true");

            // a copy of meshfed's object, made as people copy objects
            String copy = kubectl.ok("--context", "solo", "get", "configmap", "ours", "-n", "apps", "-o", "yaml")
                    .replace("name: ours", "name: copy").replaceAll("(?m)^  (uid|resourceVersion|creationTimestamp): .*\n", "");
            kubectl.withFile(copy, "--context", "solo", "create");
            assertThat(solo.configMaps().inNamespace("apps").withName("copy").get().getMetadata().getLabels())
                    .containsEntry("meshfed.io/inventory", "owners");

            // a key leaves the Secret; the shared object leaves the inventory
            Inventory edited = write(dir, "owners", "[apps]", Map.of("ours.yaml", OURS,
                    "secret.yaml", SECRET.formatted("{password: second}")));
            Runner.Plan plan = plan(edited, simulation, true);
            Planner.Entry secretPlan = plan.entries().stream().filter(e -> e.ref().kind().equals("Secret")).findFirst().orElseThrow();
            assertThat(secretPlan.action()).isEqualTo("update");
            assertThat(secretPlan.diff()).contains("-  token: '***'", "password: '*** (before)'", "password: '*** (after)'")
                    .doesNotContain("t0k3n", "second", "first");
            Planner.Entry copyPlan = plan.orphans().stream().filter(e -> e.ref().name().equals("copy")).findFirst().orElseThrow();
            assertThat(copyPlan.action()).isEqualTo("release");
            assertThat(copyPlan.note()).contains("not created by meshfed", "kubectl-create wrote");
            assertThat(plan.orphans()).extracting(e -> e.ref().name()).as("the adopted object carries no label: not an orphan")
                    .doesNotContain("shared-settings");

            RunResult pruned = apply(edited, simulation, true);
            assertThat(result(pruned, "ConfigMap", "apps", "copy").action()).isEqualTo("release");
            ConfigMap copied = solo.configMaps().inNamespace("apps").withName("copy").get();
            assertThat(copied).as("the copy").isNotNull();
            assertThat(copied.getMetadata().getLabels()).doesNotContainKey("meshfed.io/inventory");
            assertThat(solo.configMaps().inNamespace("default").withName("shared-settings").get().getData())
                    .containsEntry("team-key", "kept");
            var stored = solo.secrets().inNamespace("apps").withName("credentials").get();
            assertThat(stored.getData()).containsOnlyKeys("password");
            assertThat(new String(Base64.getDecoder().decode(stored.getData().get("password")))).isEqualTo("second");
            assertThat(apply(edited, simulation, true).changed()).as("then nothing to do").isZero();

            // a record from before UIDs, in its former place (the mesh namespace): the labelled objects meshfed alone
            // wrote are recorded, the record moves to default
            String recordName = "meshfed-owners";
            String meshNamespace = inventory.clusters().get(0).mesh().namespace();
            Map<String, String> oldData = Map.of("group-kinds", "v1 ConfigMap\nv1 Namespace\nv1 Secret\n", "clusters", "solo\n");
            solo.configMaps().inNamespace(InventoryRecords.NAMESPACE).withName(recordName).delete();
            solo.configMaps().inNamespace(meshNamespace).resource(new ConfigMapBuilder().withNewMetadata().withName(recordName)
                    .addToLabels("meshfed.io/record-of", "owners").endMetadata().withData(oldData).build()).create();
            RunResult migrated = apply(edited, simulation, false);
            assertThat(migrated.warnings()).anySatisfy(w -> assertThat(w.message()).startsWith("recorded as created by this "
                    + "inventory").contains("ConfigMap apps/ours", " more"));
            assertThat(solo.configMaps().inNamespace(meshNamespace).withName(recordName).get()).as("the old record").isNull();
            String created = solo.configMaps().inNamespace(InventoryRecords.NAMESPACE).withName(recordName).get().getData()
                    .get("created");
            assertThat(created).contains(solo.configMaps().inNamespace("apps").withName("ours").get().getMetadata().getUid())
                    .doesNotContain("copy", "shared-settings");

            // destroy with 'ours' gone from the inventory: the orphan goes too, then the record; what is not meshfed's stays
            Inventory withoutOurs = write(dir, "owners", "[apps]", Map.of("secret.yaml", SECRET.formatted("{password: second}")));
            RunResult destroyed = destroy(withoutOurs, simulation);
            assertThat(destroyed.failures()).isEmpty();
            assertThat(result(destroyed, "ConfigMap", "apps", "ours").action()).isEqualTo("delete");
            assertThat(solo.configMaps().inNamespace("apps").withName("ours").get()).isNull();
            assertThat(result(destroyed, "Namespace", null, "apps").action()).as("the copy is someone's: apps stays")
                    .isEqualTo("kept");
            assertThat(solo.configMaps().inNamespace("apps").withName("copy").get()).isNotNull();
            assertThat(solo.configMaps().inNamespace("default").withName("shared-settings").get().getData())
                    .containsEntry("team-key", "kept");
        }
    }

    private static final String SHARED_BY = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: shared, namespace: default}
            data: {mode: %s}
            """;

    @Test
    @DisplayName("two inventories set one field to different values: the second fails with the conflict naming both, nothing "
            + "flips; plan says conflict; --force-conflicts takes the field, and then the first one says so")
    void twoInventoriesConflict(@TempDir Path tmp) throws Exception {
        Inventory one = write(tmp.resolve("one"), "one", "[]", Map.of("shared.yaml", SHARED_BY.formatted("one")));
        Inventory two = write(tmp.resolve("two"), "two", "[]", Map.of("shared.yaml", SHARED_BY.formatted("two")));
        try (Simulation simulation = SimulatedInventory.start(one, ConvergeTest.FAST)) {
            KubernetesClient solo = simulation.require("solo").controllerClient();
            apply(one, simulation, false);
            RunResult second = with(two, simulation, r -> r.apply(ConvergeTest.graph(two), false, Set.of(), new Cancellation()));
            NodeResult shared = result(second, "ConfigMap", "default", "shared");
            assertThat(shared.outcome()).isEqualTo(NodeResult.Outcome.FAILED);
            assertThat(shared.message()).startsWith("conflict: data.mode set by meshfed inventory 'one' to other values than "
                    + "inventory 'two' renders").contains("--force-conflicts");
            assertThat(solo.configMaps().inNamespace("default").withName("shared").get().getData()).containsEntry("mode", "one");
            assertThat(apply(one, simulation, false).changed()).as("one again: nothing flipped back").isZero();
            assertThat(plan(two, simulation, false).entries().stream().filter(e -> e.ref().name().equals("shared")).findFirst()
                    .orElseThrow().action()).isEqualTo("conflict");

            var force = new io.meshfed.provisioner.apply.RunOptions(ConvergeTest.OPTIONS.nodeTimeout(),
                    ConvergeTest.OPTIONS.totalTimeout(), ConvergeTest.OPTIONS.pollMax(), ConvergeTest.OPTIONS.reportEvery(), true);
            RunResult forced = withClients(two, simulation, clients -> new Runner(clients, two, force, ProgressListener.NONE)
                    .apply(ConvergeTest.graph(two), false, Set.of(), new Cancellation()));
            assertThat(result(forced, "ConfigMap", "default", "shared").action()).isEqualTo("adopt");
            assertThat(solo.configMaps().inNamespace("default").withName("shared").get().getData()).containsEntry("mode", "two");
            RunResult back = with(one, simulation, r -> r.apply(ConvergeTest.graph(one), false, Set.of(), new Cancellation()));
            assertThat(result(back, "ConfigMap", "default", "shared").message()).startsWith("conflict: data.mode set by meshfed "
                    + "inventory 'two'");
            assertThat(solo.configMaps().inNamespace("default").withName("shared").get().getData()).containsEntry("mode", "two");
        }
    }

    @Test
    @DisplayName("an inventory renamed: plan and apply say so and name the command; rename moves labels, field ownership and "
            + "the record; the renamed inventory's next apply changes nothing, and its destroy removes what the old name created")
    void renamedInventory(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("renamed");
        Inventory old = write(dir, "prod-old", "[apps]", Map.of("ours.yaml", OURS));
        try (Simulation simulation = SimulatedInventory.start(old, ConvergeTest.FAST)) {
            KubernetesClient solo = simulation.require("solo").controllerClient();
            apply(old, simulation, false);
            Inventory renamed = write(dir, "prod", "[apps]", Map.of("ours.yaml", OURS));
            Runner.Plan plan = plan(renamed, simulation, false);
            assertThat(plan.warnings()).extracting(RunResult.Warning::message).anySatisfy(m -> assertThat(m)
                    .contains("were created by inventory 'prod-old'", "meshfed rename -i <inventory> --from prod-old"));
            assertThat(plan.entries()).filteredOn(e -> e.action().equals("adopt")).isNotEmpty();

            List<io.meshfed.provisioner.apply.Rename.Moved> moved = rename(renamed, simulation, "prod-old");
            assertThat(moved).singleElement().satisfies(m -> assertThat(m.record()).isTrue())
                    .satisfies(m -> assertThat(m.objects()).extracting(ObjectRef::describe).contains("ConfigMap apps/ours",
                            "Namespace apps"));
            ConfigMap ours = solo.configMaps().inNamespace("apps").withName("ours").get();
            assertThat(ours.getMetadata().getLabels()).containsEntry("meshfed.io/inventory", "prod");
            assertThat(ours.getMetadata().getManagedFields()).extracting(m -> m.getManager()).contains("meshfed/prod")
                    .doesNotContain("meshfed/prod-old");
            assertThat(solo.configMaps().inNamespace(InventoryRecords.NAMESPACE).withName("meshfed-prod-old").get()).isNull();
            assertThat(solo.configMaps().inNamespace(InventoryRecords.NAMESPACE).withName("meshfed-prod").get().getData()
                    .get("created")).contains(ours.getMetadata().getUid());

            RunResult after = apply(renamed, simulation, false);
            assertThat(after.changed()).as("the renamed inventory finds its objects: nothing to adopt").isZero();
            assertThat(after.warnings()).extracting(RunResult.Warning::message).noneMatch(m -> m.contains("renamed"));
            RunResult destroyed = destroy(renamed, simulation);
            assertThat(destroyed.failures()).isEmpty();
            assertThat(result(destroyed, "ConfigMap", "apps", "ours").action()).isEqualTo("delete");
            assertThat(solo.configMaps().inNamespace("apps").withName("ours").get()).isNull();
        }
    }

    private static List<io.meshfed.provisioner.apply.Rename.Moved> rename(Inventory renamed, Simulation simulation, String from) {
        return withClients(renamed, simulation, clients -> io.meshfed.provisioner.apply.Rename.from(from, clients, renamed,
                ConvergeTest.graph(renamed)));
    }

    @Test
    @DisplayName("an object deleted after the run's listing, whose node starts when that listing is stale, is created "
            + "again by the same run")
    void deletedAfterListingIsRecreated(@TempDir Path tmp) throws Exception {
        Inventory inventory = write(tmp.resolve("fresh"), "fresh", "[apps]", Map.of("ours.yaml", OURS));
        try (Simulation simulation = SimulatedInventory.start(inventory, ConvergeTest.FAST)) {
            apply(inventory, simulation, false);
            KubernetesClient solo = simulation.require("solo").controllerClient();
            Map<String, ClusterClient> clients = Connections.open(inventory, 10, RetryPolicy.DEFAULT,
                    name -> simulation.require(name).config("meshfed"));
            try {
                ResourceGraph graph = ConvergeTest.graph(inventory);
                InventoryRecords records = new InventoryRecords(clients, inventory);
                OwnedObjects.Listing listing = OwnedObjects.list(clients, graph, records);
                assertThat(listing.objects("solo").stream().map(o -> String.valueOf(((Map<?, ?>) o.get("metadata")).get("name"))))
                        .contains("ours");
                solo.configMaps().inNamespace("apps").withName("ours").delete();
                // the node starts long after the listing (behind a slow operator install, say)
                OwnedObjects.seed(clients, new OwnedObjects.Listing(listing.owned(), listing.failed(),
                        listing.madeAt() - java.time.Duration.ofSeconds(30).toNanos()));
                RunResult run = new GraphExecutor(clients, ConvergeTest.OPTIONS, ProgressListener.NONE, records)
                        .run(graph, GraphExecutor.Mode.APPLY);
                ObjectRef ours = new ObjectRef("solo", "v1", "ConfigMap", "apps", "ours");
                assertThat(run.result(ours).action()).isEqualTo("create");
                assertThat(solo.configMaps().inNamespace("apps").withName("ours").get()).isNotNull();
            } finally {
                clients.values().forEach(ClusterClient::close);
            }
        }
    }

    @Test
    @DisplayName("a namespace deleted, with its objects, after the run's listing (still fresh): the namespace is read as "
            + "it is now (readiness is judged on its status), made again, and what the listing saw inside it is made "
            + "again too, not reported unchanged")
    void namespaceDeletedAfterFreshListingIsRecreated(@TempDir Path tmp) throws Exception {
        Inventory inventory = write(tmp.resolve("fresh-ns"), "fresh-ns", "[apps]", Map.of("ours.yaml", OURS));
        try (Simulation simulation = SimulatedInventory.start(inventory, ConvergeTest.FAST)) {
            apply(inventory, simulation, false);
            KubernetesClient solo = simulation.require("solo").controllerClient();
            Map<String, ClusterClient> clients = Connections.open(inventory, 10, RetryPolicy.DEFAULT,
                    name -> simulation.require(name).config("meshfed"));
            try {
                ResourceGraph graph = ConvergeTest.graph(inventory);
                InventoryRecords records = new InventoryRecords(clients, inventory);
                OwnedObjects.Listing listing = OwnedObjects.list(clients, graph, records);
                assertThat(listing.objects("solo").stream().map(o -> String.valueOf(((Map<?, ?>) o.get("metadata")).get("name"))))
                        .contains("apps", "ours");
                solo.namespaces().withName("apps").delete();
                long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
                while (solo.namespaces().withName("apps").get() != null && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(solo.namespaces().withName("apps").get()).as("the namespace controller removed apps").isNull();
                OwnedObjects.seed(clients, listing);   // the listing as made, seconds ago: fresh
                RunResult run = new GraphExecutor(clients, ConvergeTest.OPTIONS, ProgressListener.NONE, records)
                        .run(graph, GraphExecutor.Mode.APPLY);
                assertThat(run.failures()).isEmpty();
                assertThat(run.result(new ObjectRef("solo", "v1", "Namespace", null, "apps")).action()).isEqualTo("create");
                assertThat(run.result(new ObjectRef("solo", "v1", "ConfigMap", "apps", "ours")).action()).isEqualTo("create");
                assertThat(solo.namespaces().withName("apps").get().getStatus().getPhase()).isEqualTo("Active");
                assertThat(solo.configMaps().inNamespace("apps").withName("ours").get().getData()).containsEntry("mode", "meshfed");
            } finally {
                clients.values().forEach(ClusterClient::close);
            }
        }
    }
}
