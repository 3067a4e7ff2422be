package io.meshfed.provisioner.apply;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.meshfed.model.ownership.OwnershipLabels;
import io.meshfed.model.resource.ObjectRef;
import io.meshfed.model.resource.Tree;
import io.meshfed.provisioner.simulate.Simulation;
import io.meshfed.provisioner.simulate.SimulationTiming;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Prune's and destroy's writes on a real API server, with the object changed between its read and the write: each is
 * conditional on the version judged, so a team's object re-created under the same name is never deleted as
 * meshfed's, and an object gone meanwhile and made again by a release's apply does not stay.
 */
class DeletionTest {

    private static final String INVENTORY = "deletion";
    private static Simulation simulation;
    private static KubernetesClient team;
    private static ClusterClient client;
    private static InventoryRecords records;

    @BeforeAll
    static void start() {
        simulation = Simulation.start(List.of(new Simulation.ClusterSpec("solo", false)), SimulationTiming.INSTANT);
        team = simulation.require("solo").controllerClient();
        client = new ClusterClient("solo", new KubernetesClientBuilder().withConfig(simulation.require("solo").config("meshfed"))
                .build(), 4, new Semaphore(8), RetryPolicy.DEFAULT);
        records = new InventoryRecords(Map.of("solo", client), INVENTORY, Map.of());
    }

    @AfterAll
    static void stop() {
        client.close();
        simulation.close();
    }

    private static ObjectRef configMap(String name) {
        return new ObjectRef("solo", "v1", "ConfigMap", "default", name);
    }

    /** The ConfigMap as meshfed applies it (its field manager, its labels). */
    private static Map<String, Object> applied(String name) {
        return client.apply(configMap(name), Tree.map("apiVersion", "v1", "kind", "ConfigMap", "metadata", Tree.map("name", name,
                        "namespace", "default", "labels", Tree.map(OwnershipLabels.INVENTORY, INVENTORY)), "data", Tree.map("mode", "meshfed")),
                OwnershipLabels.fieldManager(INVENTORY), false, true);
    }

    private static void replacedByTeam(String name) {
        team.configMaps().inNamespace("default").withName(name).delete();
        team.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName(name)
                .withNamespace("default").endMetadata().addToData("owner", "team").build()).create();
    }

    @Test
    @DisplayName("an object meshfed created, replaced by a team's of the same name after it was judged: the delete is refused "
            + "(409), and judged again it is the team's, left alone")
    void replacedAfterTheDecision() {
        ObjectRef ref = configMap("replaced");
        Map<String, Object> live = applied("replaced");
        records.created(ref, live);
        Deletion.Decision decision = Deletion.decide(client, records, ref, client.get(ref));
        assertThat(decision.action()).isEqualTo(Deletion.Action.DELETE);

        replacedByTeam("replaced");
        assertThatThrownBy(() -> Deletion.carryOut(client, records, decision)).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).code()).isEqualTo(409));
        assertThat(Deletion.settle(client, records, ref).decision().action()).isEqualTo(Deletion.Action.NOT_OURS);
        assertThat(team.configMaps().inNamespace("default").withName("replaced").get().getData()).containsEntry("owner", "team");
    }

    @Test
    @DisplayName("an adopted object to release, deleted after it was judged: the release's apply makes it again (an apply "
            + "cannot be conditional), and it is deleted at once; judged again it is absent")
    void deletedBeforeTheRelease() {
        ObjectRef ref = configMap("adopted");
        applied("adopted");   // meshfed's fields and label, no record of creating it: adopted
        Deletion.Decision decision = Deletion.decide(client, records, ref, client.get(ref));
        assertThat(decision.action()).isEqualTo(Deletion.Action.RELEASE);

        team.configMaps().inNamespace("default").withName("adopted").delete();
        // the API server creates on apply whatever resourceVersion it names: the object made again goes at once
        Deletion.Done done = Deletion.carryOut(client, records, decision);
        assertThat(done.action()).isEqualTo("absent");
        assertThat(done.message()).contains("gone before it was released");
        assertThat(team.configMaps().inNamespace("default").withName("adopted").get()).as("not left made again").isNull();
        assertThat(Deletion.settle(client, records, ref).decision().action()).isEqualTo(Deletion.Action.ABSENT);
    }

    @Test
    @DisplayName("unchanged since it was judged: deleted as decided")
    void unchanged() {
        ObjectRef ref = configMap("ours");
        records.created(ref, applied("ours"));
        Deletion.Outcome outcome = Deletion.settle(client, records, ref);
        assertThat(outcome.decision().action()).isEqualTo(Deletion.Action.DELETE);
        assertThat(outcome.done().wrote()).isTrue();
        assertThat(team.configMaps().inNamespace("default").withName("ours").get()).isNull();
    }
}
