package io.meshfed.it;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshfed.inventory.InventoryLoader;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.model.resource.ObjectRef;
import io.meshfed.provisioner.apply.GraphExecutor;
import io.meshfed.provisioner.apply.NodeResult;
import io.meshfed.provisioner.apply.RunOptions;
import io.meshfed.provisioner.apply.RunResult;
import io.meshfed.provisioner.simulate.RequestLog;
import io.meshfed.provisioner.simulate.SimulatedInventory;
import io.meshfed.provisioner.simulate.Simulation;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OLM's Manual approval on a simulated cluster: an InstallPlan nobody approves is named with the
 * command that approves it; with {@code approve} in the inventory meshfed approves the plans it may
 * (the one installing {@code starting_csv}, or all) by a patch of {@code spec.approved}, and the
 * operators install.
 */
class InstallPlanApprovalTest {

    private static final String HOSTS = """
            all:
              vars:
                meshfed_inventory_name: approvals
                federation: {peering: none}
              hosts:
                solo:
                  kube_context: solo
                  metallb_addresses: [10.0.0.1-10.0.0.9]
                  operators:
                    elasticsearch: {approval: Manual%s}
                    servicemesh: {approval: Manual, starting_csv: servicemeshoperator.v2.3.11, approve: starting_csv}
            """;

    private static final ObjectRef ELASTICSEARCH = new ObjectRef("solo", "operators.coreos.com/v1alpha1", "Subscription",
            "openshift-operators-redhat", "elasticsearch-operator");

    @Test
    @DisplayName("Manual approval: a plan nobody may approve is named with its oc command; 'approve' lets meshfed approve "
            + "exactly the plans it names, and the run converges")
    void approvesWhatTheInventoryAllows(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("hosts.yaml"), HOSTS.formatted(""));
        Inventory manual = InventoryLoader.load(tmp);
        try (Simulation simulation = SimulatedInventory.start(manual, ConvergeTest.FAST)) {
            KubernetesClient solo = simulation.require("solo").controllerClient();
            RunOptions shortWait = new RunOptions(Duration.ofSeconds(3), Duration.ofSeconds(60), Duration.ofMillis(200),
                    Duration.ofSeconds(5));
            RunResult waiting = ConvergeTest.run(manual, simulation, GraphExecutor.Mode.APPLY, shortWait);
            NodeResult elasticsearch = waiting.result(ELASTICSEARCH);
            assertThat(elasticsearch.outcome()).isEqualTo(NodeResult.Outcome.FAILED);
            String plan = planOf(solo, "openshift-operators-redhat", "elasticsearch-operator");
            assertThat(elasticsearch.message()).contains("InstallPlan " + plan + " awaits manual approval (installPlanApproval: "
                    + "Manual); approve it: oc patch installplan " + plan + " -n openshift-operators-redhat --type merge");
            assertThat(approved(solo, "openshift-operators-redhat", "elasticsearch-operator")).as("nobody approved it").isFalse();

            Files.writeString(tmp.resolve("hosts.yaml"), HOSTS.formatted(", approve: all"));
            Inventory approving = InventoryLoader.load(tmp);
            simulation.clusters().forEach(c -> c.requests().clear());
            RunResult converged = ConvergeTest.run(approving, simulation, GraphExecutor.Mode.APPLY);
            assertThat(converged.failures()).isEmpty();
            assertThat(approved(solo, "openshift-operators-redhat", "elasticsearch-operator")).isTrue();
            assertThat(approved(solo, "openshift-operators", "servicemeshoperator")).as("the servicemeshoperator.v2.3.11 plan").isTrue();
            List<String> patches = simulation.require("solo").requests().entries().stream()
                    .filter(e -> !e.controller() && e.write() && e.path().contains("/installplans/"))
                    .map(e -> e.method() + " " + e.path().substring(e.path().indexOf("/namespaces/"))).toList();
            assertThat(patches).as("one patch per plan").containsExactlyInAnyOrder(
                    "PATCH /namespaces/openshift-operators-redhat/installplans/" + plan,
                    "PATCH /namespaces/openshift-operators/installplans/" + planOf(solo, "openshift-operators", "servicemeshoperator"));
            assertThat(installedCsv(solo, "openshift-operators", "servicemeshoperator")).isEqualTo("servicemeshoperator.v2.3.11");

            simulation.clusters().forEach(c -> c.requests().clear());
            RunResult again = ConvergeTest.run(approving, simulation, GraphExecutor.Mode.APPLY);
            assertThat(again.changed()).isZero();
            assertThat(simulation.require("solo").requests().entries().stream().filter(RequestLog.Entry::write)
                    .filter(e -> !e.controller())).as("writes of a second run").isEmpty();
        }
    }

    /** The InstallPlan in the namespace that installs the package's CSV. */
    @SuppressWarnings("unchecked")
    private static GenericKubernetesResource installPlan(KubernetesClient client, String namespace, String packageName) {
        List<GenericKubernetesResource> plans = client.genericKubernetesResources("operators.coreos.com/v1alpha1", "InstallPlan")
                .inNamespace(namespace).list().getItems().stream()
                .filter(p -> ((List<String>) ((Map<String, Object>) p.getAdditionalProperties().get("spec"))
                        .get("clusterServiceVersionNames")).stream().anyMatch(csv -> csv.startsWith(packageName + ".v")))
                .toList();
        assertThat(plans).as("InstallPlans of " + packageName).hasSize(1);
        return plans.get(0);
    }

    private static String planOf(KubernetesClient client, String namespace, String packageName) {
        return installPlan(client, namespace, packageName).getMetadata().getName();
    }

    @SuppressWarnings("unchecked")
    private static boolean approved(KubernetesClient client, String namespace, String packageName) {
        return Boolean.TRUE.equals(((Map<String, Object>) installPlan(client, namespace, packageName).getAdditionalProperties()
                .get("spec")).get("approved"));
    }

    @SuppressWarnings("unchecked")
    private static Object installedCsv(KubernetesClient client, String namespace, String subscription) {
        GenericKubernetesResource sub = client.genericKubernetesResources("operators.coreos.com/v1alpha1", "Subscription")
                .inNamespace(namespace).withName(subscription).get();
        return ((Map<String, Object>) sub.getAdditionalProperties().get("status")).get("installedCSV");
    }
}
