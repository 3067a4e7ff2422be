package io.meshfed.it;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshfed.inventory.InventoryLoader;
import io.meshfed.model.doctor.FederationDoctor;
import io.meshfed.model.doctor.Finding;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.provisioner.apply.ClusterClient;
import io.meshfed.provisioner.apply.Connections;
import io.meshfed.provisioner.apply.GraphExecutor;
import io.meshfed.provisioner.apply.RetryPolicy;
import io.meshfed.provisioner.doctor.SnapshotReader;
import io.meshfed.provisioner.simulate.SimulatedInventory;
import io.meshfed.provisioner.simulate.Simulation;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The doctor on simulated clusters: every check passes on the federation meshfed applied; a user's
 * ordinary write that breaks one link makes exactly that check fail, with the evidence and the fix,
 * and the lost connection is said to follow from it.
 */
class DoctorTest {

    private static List<Finding> doctor(Inventory inventory, Simulation simulation) {
        Map<String, ClusterClient> clients = Connections.open(inventory, 10, RetryPolicy.DEFAULT,
                name -> simulation.require(name).config("meshfed"));
        try {
            return FederationDoctor.check(SnapshotReader.read(clients));
        } finally {
            clients.values().forEach(ClusterClient::close);
        }
    }

    private static List<Finding> notOk(List<Finding> findings) {
        return findings.stream().filter(f -> f.status() != Finding.Status.OK).toList();
    }

    private static List<Finding> awaitFindings(Inventory inventory, Simulation simulation, Predicate<List<Finding>> done)
            throws InterruptedException {
        List<Finding> findings = doctor(inventory, simulation);
        for (int i = 0; i < 100 && !done.test(findings); i++) {
            Thread.sleep(100);
            findings = doctor(inventory, simulation);
        }
        return findings;
    }

    @Test
    @DisplayName("blue-green: all checks pass; a peer address or a CA copy changed by hand fails exactly its check")
    void healthyThenBroken() throws Exception {
        Inventory inventory = InventoryLoader.load(Repo.example("blue-green"));
        try (Simulation simulation = SimulatedInventory.start(inventory, ConvergeTest.FAST)) {
            assertThat(ConvergeTest.run(inventory, simulation, GraphExecutor.Mode.APPLY).failures()).isEmpty();
            List<Finding> healthy = awaitFindings(inventory, simulation, f -> notOk(f).isEmpty());
            assertThat(notOk(healthy)).as("on the federation meshfed applied").isEmpty();
            assertThat(healthy).extracting(Finding::check).containsExactly(
                    "control plane", "gateways", "trust domain", "CA certificate", "client ID", "peer address", "connection",
                    "control plane", "gateways", "trust domain", "CA certificate", "client ID", "peer address", "connection");

            KubernetesClient blue = simulation.require("blue").controllerClient();
            var peers = blue.genericKubernetesResources("federation.maistra.io/v1", "ServiceMeshPeer").inNamespace("blue-mesh-system");
            GenericKubernetesResource peer = peers.withName("green-mesh").get();
            @SuppressWarnings("unchecked")
            Map<String, Object> remote = (Map<String, Object>) ((Map<String, Object>) peer.getAdditionalProperties().get("spec")).get("remote");
            Object address = ((List<?>) remote.get("addresses")).get(0);
            peers.withName("green-mesh").edit(p -> {
                @SuppressWarnings("unchecked")
                Map<String, Object> r = (Map<String, Object>) ((Map<String, Object>) p.getAdditionalProperties().get("spec")).get("remote");
                r.put("addresses", List.of("198.18.250.250"));
                return p;
            });
            List<Finding> moved = awaitFindings(inventory, simulation, f -> notOk(f).size() == 2);
            assertThat(notOk(moved)).extracting(Finding::cluster, Finding::peer, Finding::check, Finding::status).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("blue", "green", "peer address", Finding.Status.FAIL),
                    org.assertj.core.groups.Tuple.tuple("blue", "green", "connection", Finding.Status.WARN));
            Finding wrongAddress = notOk(moved).get(0);
            assertThat(wrongAddress.evidence()).isEqualTo("blue/ServiceMeshPeer blue-mesh-system/green-mesh spec.remote.addresses is "
                    + "[198.18.250.250]; green/Service green-mesh-system/ingress-blue-mesh has " + address);
            assertThat(wrongAddress.fix()).isEqualTo("set spec.remote.addresses of blue/ServiceMeshPeer "
                    + "blue-mesh-system/green-mesh to [" + address + "]");
            assertThat(notOk(moved).get(1).evidence()).endsWith("(follows from the failure above)");

            assertThat(ConvergeTest.run(inventory, simulation, GraphExecutor.Mode.APPLY).failures()).isEmpty();
            blue.configMaps().inNamespace("blue-mesh-system").withName("green-mesh-ca-root-cert")
                    .edit(c -> { c.getData().put("root-cert.pem", "-----BEGIN CERTIFICATE-----\nstale\n-----END CERTIFICATE-----\n"); return c; });
            List<Finding> stale = awaitFindings(inventory, simulation,
                    f -> notOk(f).stream().anyMatch(x -> x.check().equals("CA certificate")));
            assertThat(notOk(stale)).extracting(Finding::check).startsWith("CA certificate");
            assertThat(notOk(stale).get(0).evidence()).isEqualTo("blue/ConfigMap blue-mesh-system/green-mesh-ca-root-cert differs "
                    + "from green's current root CA (rotated since it was copied?)");

            // the egress gateway's Service without 15443 (OSSM: no egress endpoints for the peer's services)
            assertThat(ConvergeTest.run(inventory, simulation, GraphExecutor.Mode.APPLY).failures()).isEmpty();
            blue.genericKubernetesResources("maistra.io/v2", "ServiceMeshControlPlane").inNamespace("blue-mesh-system")
                    .withName("blue-mesh").edit(smcp -> {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> service = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                                ((Map<String, Object>) smcp.getAdditionalProperties().get("spec")).get("gateways"))
                                .get("additionalEgress")).get("egress-green-mesh");
                        ((Map<String, Object>) service.get("service")).put("ports", List.of(Map.of("name", "http-discovery", "port", 8188)));
                        return smcp;
                    });
            List<Finding> noTls = awaitFindings(inventory, simulation,
                    f -> notOk(f).stream().anyMatch(x -> x.check().equals("gateways")));
            assertThat(notOk(noTls)).extracting(Finding::cluster, Finding::check).contains(
                    org.assertj.core.groups.Tuple.tuple("blue", "gateways"));
            assertThat(notOk(noTls).stream().filter(f -> f.check().equals("gateways")).findFirst().orElseThrow().evidence())
                    .isEqualTo("blue/Service blue-mesh-system/egress-green-mesh has ports [8188], not [15443]");
        }
    }
}
