package io.meshfed.it;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshfed.inventory.InventoryLoader;
import io.meshfed.model.doctor.FederationDoctor;
import io.meshfed.provisioner.doctor.InventoryCheck;
import org.junit.jupiter.api.io.TempDir;
import java.nio.file.Files;
import java.nio.file.Path;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The doctor on simulated clusters: every check passes on the federation meshfed applied; a user's
 * ordinary write that breaks one link makes exactly that check fail, with the evidence and the fix,
 * and the lost connection is said to follow from it.
 */
class DoctorTest {

    private static final String DOCTOR_ACCOUNT = "system:serviceaccount:meshfed:meshfed-doctor";

    static List<Finding> doctor(Inventory inventory, Simulation simulation) {
        return doctor(inventory, simulation, name -> simulation.require(name).config("meshfed"));
    }

    /** The doctor as deploy/doctor-rbac.yaml's account (impersonated: RBAC decides at the API server). */
    private static Config asDoctorAccount(Simulation simulation, String cluster) {
        return Accounts.as(simulation, cluster, "meshfed-doctor");
    }

    static List<Finding> doctor(Inventory inventory, Simulation simulation, java.util.function.Function<String, Config> config) {
        Map<String, ClusterClient> clients = Connections.open(inventory, 10, RetryPolicy.DEFAULT, config);
        try {
            return FederationDoctor.check(SnapshotReader.read(clients));
        } finally {
            clients.values().forEach(ClusterClient::close);
        }
    }

    /** What the doctor does not find ok once the federation settled (waits up to 10 s for connections). */
    static List<Finding> failingChecks(Inventory inventory, Simulation simulation) throws InterruptedException {
        return notOk(awaitFindings(inventory, simulation, f -> notOk(f).isEmpty()));
    }

    @Test
    @DisplayName("blue-green: green's ingress gateway for blue scaled to 0 (kubectl scale): blue cannot connect, and the doctor "
            + "says why; scaled back, all checks pass again")
    void gatewayScaledToZero() throws Exception {
        Inventory inventory = InventoryLoader.load(Repo.example("blue-green"));
        try (Simulation simulation = SimulatedInventory.start(inventory, ConvergeTest.FAST)) {
            assertThat(ConvergeTest.run(inventory, simulation, GraphExecutor.Mode.APPLY).failures()).isEmpty();
            assertThat(failingChecks(inventory, simulation)).isEmpty();
            var gateway = simulation.require("green").controllerClient().apps().deployments().inNamespace("green-mesh-system")
                    .withName("ingress-blue-mesh");
            gateway.scale(0);
            List<Finding> down = awaitFindings(inventory, simulation, f -> !notOk(f).isEmpty());
            assertThat(notOk(down)).extracting(Finding::cluster, Finding::peer, Finding::check).contains(
                    tuple("blue", "green", "connection"));
            assertThat(notOk(down)).filteredOn(f -> f.cluster().equals("blue")).first().extracting(Finding::evidence)
                    .asString().contains("ingress gateway green-mesh-system/ingress-blue-mesh on green has no available replica");
            gateway.scale(1);
            assertThat(failingChecks(inventory, simulation)).as("scaled back").isEmpty();
            // what kubectl get events shows on blue's peer: connected, the disconnection and why, connected again
            List<String> events = simulation.require("blue").controllerClient().v1().events().inNamespace("blue-mesh-system")
                    .withField("involvedObject.name", "green-mesh").list().getItems().stream()
                    .sorted(java.util.Comparator.comparing(e -> e.getMetadata().getCreationTimestamp()))
                    .map(e -> e.getType() + " " + e.getReason() + ": " + e.getMessage()).toList();
            assertThat(events).anyMatch(e -> e.startsWith("Warning Disconnected: 503 Service Unavailable: no healthy upstream"))
                    .anyMatch(e -> e.startsWith("Normal Connected: connected to green through ingress-blue-mesh"));
        }
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} plus {1}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "blue-green|yellow|[10.19.5.29-10.19.5.31]",
            "hub-spoke|spoke5|[10.0.5.100-10.0.5.110]"})
    @DisplayName("an example inventory applied passes the doctor, and so does the example grown by one cluster (as its comments invite)")
    void examplesAndGrownExamplesPass(String example, String host, String addresses, @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        java.nio.file.Path grownDir = tmp.resolve(example);
        Repo.copyTree(Repo.example(example), grownDir);
        java.nio.file.Path hosts = grownDir.resolve("hosts.yaml");
        java.nio.file.Files.writeString(hosts, java.nio.file.Files.readString(hosts) + "        " + host + ":\n          kube_context: "
                + host + "\n          metallb_addresses: " + addresses + "\n");
        Inventory original = InventoryLoader.load(Repo.example(example));
        Inventory grown = InventoryLoader.load(grownDir);
        assertThat(grown.clusters()).hasSize(original.clusters().size() + 1);
        try (Simulation simulation = SimulatedInventory.start(grown, ConvergeTest.FAST)) {
            assertThat(ConvergeTest.run(original, simulation, GraphExecutor.Mode.APPLY).failures()).isEmpty();
            assertThat(failingChecks(original, simulation)).as("the doctor on " + example).isEmpty();
            assertThat(ConvergeTest.run(grown, simulation, GraphExecutor.Mode.APPLY).failures()).isEmpty();
            assertThat(failingChecks(grown, simulation)).as("the doctor on " + example + " plus " + host).isEmpty();
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
    @DisplayName("blue-green: all checks pass, also as the read-only doctor account; a peer address changed, the peer's CA "
            + "rotated, an egress without 15443: exactly that check fails")
    void healthyThenBroken() throws Exception {
        Inventory inventory = InventoryLoader.load(Repo.example("blue-green"));
        try (Simulation simulation = SimulatedInventory.start(inventory, ConvergeTest.FAST)) {
            assertThat(ConvergeTest.run(inventory, simulation, GraphExecutor.Mode.APPLY).failures()).isEmpty();
            List<Finding> healthy = awaitFindings(inventory, simulation, f -> notOk(f).isEmpty());
            assertThat(notOk(healthy)).as("on the federation meshfed applied").isEmpty();
            assertThat(healthy).extracting(Finding::cluster, Finding::check).containsExactly(
                    tuple("blue", "control plane"), tuple("blue", "operator"), tuple("blue", "load balancer"),
                    tuple("blue", "gateways"), tuple("blue", "trust domain"), tuple("blue", "CA certificate"),
                    tuple("blue", "client ID"), tuple("blue", "peer address"), tuple("blue", "connection"),
                    tuple("blue", "exports"), tuple("blue", "imports"), tuple("blue", "routes"),
                    tuple("green", "control plane"), tuple("green", "operator"), tuple("green", "load balancer"),
                    tuple("green", "gateways"), tuple("green", "trust domain"), tuple("green", "CA certificate"),
                    tuple("green", "client ID"), tuple("green", "peer address"), tuple("green", "connection"),
                    tuple("green", "exports"), tuple("green", "imports"), tuple("green", "routes"));
            assertThat(healthy).filteredOn(f -> f.check().equals("routes") && f.cluster().equals("green")).singleElement()
                    .extracting(Finding::evidence).isEqualTo("VirtualServices on green route to "
                            + "[blue-dokuwiki.nfs-app-istio.svc.blue-mesh-imports.local], imported from blue, on ports its Services have");

            // the same, read with nothing but deploy/doctor-rbac.yaml's role; a write as that account is refused
            Accounts.grant(simulation, java.nio.file.Files.readString(Repo.root().resolve("deploy/doctor-rbac.yaml")));
            assertThat(doctor(inventory, simulation, name -> asDoctorAccount(simulation, name))).isEqualTo(healthy);
            assertThat(compare(inventory, name -> asDoctorAccount(simulation, name))).extracting(Finding::status,
                    Finding::evidence).allSatisfy(t -> {
                        assertThat(t.toList().get(0)).isEqualTo(Finding.Status.UNKNOWN);
                        assertThat((String) t.toList().get(1)).startsWith("not compared with the inventory: the comparison reads "
                                + "each object and asks the server for dry-run applies, which this account may not do");
                    });
            assertThat(compare(inventory, simulation)).extracting(Finding::status).containsOnly(Finding.Status.OK);
            try (KubernetesClient readOnly = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                    .withConfig(asDoctorAccount(simulation, "blue")).build()) {
                assertThatThrownBy(() -> readOnly.configMaps().inNamespace("default").resource(new io.fabric8.kubernetes.api.model
                        .ConfigMapBuilder().withNewMetadata().withName("x").endMetadata().build()).create())
                        .hasMessageContaining("Forbidden").hasMessageContaining(DOCTOR_ACCOUNT);
            }

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
            List<Finding> moved = awaitFindings(inventory, simulation, f -> notOk(f).size() == 3);
            // blue cannot dial green: blue's watch is lost, and green misses blue's inbound connection
            assertThat(notOk(moved)).extracting(Finding::cluster, Finding::peer, Finding::check, Finding::status).containsExactly(
                    tuple("blue", "green", "peer address", Finding.Status.FAIL),
                    tuple("blue", "green", "connection", Finding.Status.WARN),
                    tuple("green", "blue", "connection", Finding.Status.WARN));
            assertThat(notOk(moved).get(2).evidence()).endsWith("(follows from the blue -> green peer address failure)");
            Finding wrongAddress = notOk(moved).get(0);
            assertThat(wrongAddress.evidence()).isEqualTo("blue/ServiceMeshPeer blue-mesh-system/green-mesh spec.remote.addresses is "
                    + "[198.18.250.250]; green/Service green-mesh-system/ingress-blue-mesh has " + address);
            assertThat(wrongAddress.fix()).isEqualTo("set spec.remote.addresses of blue/ServiceMeshPeer "
                    + "blue-mesh-system/green-mesh to [" + address + "]");
            assertThat(notOk(moved).get(1).evidence()).endsWith("(follows from the failure above)");

            assertThat(ConvergeTest.run(inventory, simulation, GraphExecutor.Mode.APPLY).failures()).isEmpty();
            // green's root CA rotated (istiod makes a new one when its CA Secret is deleted): blue's copy is stale
            KubernetesClient green = simulation.require("green").controllerClient();
            String before = green.configMaps().inNamespace("green-mesh-system").withName("istio-ca-root-cert").get().getData()
                    .get("root-cert.pem");
            green.secrets().inNamespace("green-mesh-system").withName("istio-ca-secret").delete();
            List<Finding> rotated = awaitFindings(inventory, simulation,
                    f -> notOk(f).stream().filter(x -> x.check().equals("connection")).count() == 2);
            assertThat(green.configMaps().inNamespace("green-mesh-system").withName("istio-ca-root-cert").get().getData()
                    .get("root-cert.pem")).as("a new root CA").isNotEqualTo(before);
            assertThat(notOk(rotated)).extracting(Finding::cluster, Finding::peer, Finding::check, Finding::status).containsExactly(
                    tuple("blue", "green", "CA certificate", Finding.Status.FAIL),
                    tuple("blue", "green", "connection", Finding.Status.WARN),
                    tuple("green", "blue", "connection", Finding.Status.WARN));
            assertThat(notOk(rotated).get(0).evidence()).isEqualTo("blue/ConfigMap blue-mesh-system/green-mesh-ca-root-cert differs "
                    + "from green's current root CA (rotated since it was copied?)");
            assertThat(notOk(rotated).get(1).evidence()).contains("x509: certificate signed by unknown authority");

            // blue's peer trusts a misspelt trust domain, then admits a client ID other than green's egress gateway's
            var bluePeers = blue.genericKubernetesResources("federation.maistra.io/v1", "ServiceMeshPeer")
                    .inNamespace("blue-mesh-system");
            for (String[] edit : new String[][] {{"trustDomain", "green-mesh.locl", "trust domain"},
                    {"clientID", "green-mesh.local/ns/green-mesh-system/sa/egress-service-account", "client ID"}}) {
                assertThat(ConvergeTest.run(inventory, simulation, GraphExecutor.Mode.APPLY).failures()).isEmpty();
                assertThat(notOk(awaitFindings(inventory, simulation, f -> notOk(f).isEmpty()))).isEmpty();
                bluePeers.withName("green-mesh").edit(p -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> security = (Map<String, Object>) ((Map<String, Object>) p.getAdditionalProperties()
                            .get("spec")).get("security");
                    security.put(edit[0], edit[1]);
                    return p;
                });
                List<Finding> broken = awaitFindings(inventory, simulation, f -> notOk(f).size() >= 2
                        && notOk(f).stream().anyMatch(x -> x.check().equals(edit[2])));
                assertThat(notOk(broken)).as(edit[2]).filteredOn(f -> f.status() == Finding.Status.FAIL)
                        .extracting(Finding::cluster, Finding::peer, Finding::check).containsExactly(tuple("blue", "green", edit[2]));
                assertThat(notOk(broken)).as(edit[2]).filteredOn(f -> f.status() != Finding.Status.FAIL)
                        .allSatisfy(f -> assertThat(f.evidence()).contains("(follows from"));
            }
            assertThat(ConvergeTest.run(inventory, simulation, GraphExecutor.Mode.APPLY).failures()).isEmpty();
            // the control plane's version set back to one without federation
            blue.genericKubernetesResources("maistra.io/v2", "ServiceMeshControlPlane").inNamespace("blue-mesh-system")
                    .withName("blue-mesh").edit(smcp -> {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> spec = (Map<String, Object>) smcp.getAdditionalProperties().get("spec");
                        spec.put("version", "v2.0");
                        return smcp;
                    });
            List<Finding> old = awaitFindings(inventory, simulation, f -> notOk(f).stream().anyMatch(x -> x.check().equals("control plane")));
            assertThat(notOk(old)).filteredOn(f -> f.status() == Finding.Status.FAIL).extracting(Finding::cluster, Finding::check)
                    .containsExactly(tuple("blue", "control plane"));
            assertThat(notOk(old).get(0).evidence()).isEqualTo("blue/ServiceMeshControlPlane blue-mesh-system/blue-mesh has "
                    + "spec.version 'v2.0'; federation needs v2.1 or later");

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
                    tuple("blue", "gateways"));
            assertThat(notOk(noTls).stream().filter(f -> f.check().equals("gateways")).findFirst().orElseThrow().evidence())
                    .isEqualTo("blue/Service blue-mesh-system/egress-green-mesh has ports [8188], not [15443]");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource object) {
        return (Map<String, Object>) object.getAdditionalProperties().get("spec");
    }

    private static GenericKubernetesResource copyNamed(GenericKubernetesResource object, String namespace, String name) {
        return new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder().withApiVersion(object.getApiVersion())
                .withKind(object.getKind()).withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .addToAdditionalProperties("spec", spec(object)).build();
    }

    @Test
    @DisplayName("blue-green: an ExportedServiceSet renamed, an export alias the importer does not follow, MetalLB's pool moved "
            + "out of its namespace, a route's weights edited: exactly that check fails")
    @SuppressWarnings("unchecked")
    void serviceSetsRoutesAndLoadBalancer() throws Exception {
        Inventory inventory = InventoryLoader.load(Repo.example("blue-green"));
        try (Simulation simulation = SimulatedInventory.start(inventory, ConvergeTest.FAST)) {
            assertThat(ConvergeTest.run(inventory, simulation, GraphExecutor.Mode.APPLY).failures()).isEmpty();
            assertThat(notOk(awaitFindings(inventory, simulation, f -> notOk(f).isEmpty()))).isEmpty();
            KubernetesClient blue = simulation.require("blue").controllerClient();
            KubernetesClient green = simulation.require("green").controllerClient();
            var exportSets = blue.genericKubernetesResources("federation.maistra.io/v1", "ExportedServiceSet")
                    .inNamespace("blue-mesh-system");

            // renamed (created under another name, the old one deleted): Maistra reads only the one named like the peer
            exportSets.resource(copyNamed(exportSets.withName("green-mesh").get(), "blue-mesh-system", "green")).create();
            exportSets.withName("green-mesh").delete();
            List<Finding> renamed = awaitFindings(inventory, simulation, f -> notOk(f).size() == 3);
            assertThat(notOk(renamed)).extracting(Finding::cluster, Finding::check, Finding::status).containsExactly(
                    tuple("blue", "exports", Finding.Status.FAIL),
                    tuple("green", "imports", Finding.Status.WARN),
                    tuple("green", "routes", Finding.Status.WARN));
            assertThat(notOk(renamed).get(0).evidence()).isEqualTo("blue/ExportedServiceSet blue-mesh-system/green is named "
                    + "like no ServiceMeshPeer; Maistra reads the one named like the peer, green-mesh: nothing is exported");
            assertThat(notOk(renamed).get(2).evidence()).endsWith("(follows from the imports finding above)");
            exportSets.withName("green").delete();
            assertThat(ConvergeTest.run(inventory, simulation, GraphExecutor.Mode.APPLY).failures()).isEmpty();
            assertThat(notOk(awaitFindings(inventory, simulation, f -> notOk(f).isEmpty()))).isEmpty();

            // blue exports dokuwiki under a new alias; green's import rule still names blue's own nfs-app-istio/dokuwiki
            exportSets.withName("green-mesh").edit(set -> {
                Map<String, Object> rule = ((List<Map<String, Object>>) spec(set).get("exportRules")).get(0);
                ((Map<String, Object>) rule.get("nameSelector")).put("alias", Map.of("namespace", "legacy", "name", "wiki"));
                return set;
            });
            List<Finding> alias = awaitFindings(inventory, simulation, f -> notOk(f).size() == 2 && emptyLocalService(green));
            assertThat(notOk(alias)).extracting(Finding::cluster, Finding::check, Finding::status).containsExactly(
                    tuple("green", "imports", Finding.Status.FAIL),
                    tuple("green", "routes", Finding.Status.WARN));
            assertThat(notOk(alias).get(0).evidence()).isEqualTo("green/ImportedServiceSet green-mesh-system/blue-mesh "
                    + "importRules[0] (NameSelector nfs-app-istio/dokuwiki) names nfs-app-istio/dokuwiki, blue's own name of the "
                    + "service it exports as legacy/wiki (wiki.legacy.svc.green-mesh-exports.local); import rules match the exported "
                    + "name, so its status shows an empty localService");
            assertThat(emptyLocalService(green)).as("the simulated Maistra agrees: an empty localService").isTrue();
            assertThat(ConvergeTest.run(inventory, simulation, GraphExecutor.Mode.APPLY).failures()).isEmpty();

            // the seed's MetalLB mistake: the pool and its advertisement in openshift-operators, not the operand's namespace
            for (String kind : List.of("IPAddressPool", "L2Advertisement")) {
                var objects = blue.genericKubernetesResources("metallb.io/v1beta1", kind);
                GenericKubernetesResource pool = objects.inNamespace("openshift-metallb").withName("l2-pool").get();
                objects.inNamespace("openshift-operators").resource(copyNamed(pool, "openshift-operators", "l2-pool")).create();
                objects.inNamespace("openshift-metallb").withName("l2-pool").delete();
            }
            List<Finding> moved = awaitFindings(inventory, simulation, f -> !notOk(f).isEmpty());
            assertThat(notOk(moved)).extracting(Finding::cluster, Finding::check).containsExactly(tuple("blue", "load balancer"));
            assertThat(notOk(moved).get(0).evidence()).isEqualTo("blue/IPAddressPool openshift-operators/l2-pool, "
                    + "blue/L2Advertisement openshift-operators/l2-pool are not in openshift-metallb, the only namespace "
                    + "blue/MetalLB openshift-metallb/metallb reads");
            for (String kind : List.of("IPAddressPool", "L2Advertisement")) {
                blue.genericKubernetesResources("metallb.io/v1beta1", kind).inNamespace("openshift-operators").withName("l2-pool")
                        .delete();
            }
            assertThat(ConvergeTest.run(inventory, simulation, GraphExecutor.Mode.APPLY).failures()).isEmpty();

            // the switch-over edited by hand to 50/40
            green.genericKubernetesResources("networking.istio.io/v1beta1", "VirtualService").inNamespace("nfs-app-istio")
                    .withName("dokuwiki").edit(vs -> {
                        List<Map<String, Object>> route = (List<Map<String, Object>>) ((List<Map<String, Object>>)
                                spec(vs).get("http")).get(0).get("route");
                        route.get(0).put("weight", 50);
                        route.get(1).put("weight", 40);
                        return vs;
                    });
            List<Finding> weights = awaitFindings(inventory, simulation, f -> !notOk(f).isEmpty());
            assertThat(notOk(weights)).extracting(Finding::cluster, Finding::check).containsExactly(tuple("green", "routes"));
            assertThat(notOk(weights).get(0).evidence()).isEqualTo("green/VirtualService nfs-app-istio/dokuwiki spec.http[0] "
                    + "weights add up to 90, not 100");
            assertThat(notOk(weights).get(0).fix()).isEqualTo("make the weights of green/VirtualService "
                    + "nfs-app-istio/dokuwiki spec.http[0] add up to 100");
        }
    }

    @Test
    @DisplayName("one cluster whose operator was pinned to 2.3.1 (OSSM-3599): the operator check fails with the upgrade; "
            + "the inventory comparison says applied as rendered, then names the object edited since")
    @SuppressWarnings("unchecked")
    void operatorDefectAndInventoryComparison(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("hosts.yaml"), """
                all:
                  vars:
                    meshfed_inventory_name: pinned
                    federation: {peering: none}
                  hosts:
                    solo:
                      kube_context: solo
                      metallb_addresses: [10.0.0.1-10.0.0.9]
                      operators:
                        servicemesh: {approval: Manual, starting_csv: servicemeshoperator.v2.3.1, approve: starting_csv}
                """);
        Inventory inventory = InventoryLoader.load(tmp);
        try (Simulation simulation = SimulatedInventory.start(inventory, ConvergeTest.FAST)) {
            assertThat(ConvergeTest.run(inventory, simulation, GraphExecutor.Mode.APPLY).failures()).isEmpty();
            List<Finding> findings = doctor(inventory, simulation);
            assertThat(notOk(findings)).singleElement().satisfies(f -> {
                assertThat(f.check()).isEqualTo("operator");
                assertThat(f.status()).isEqualTo(Finding.Status.FAIL);
                assertThat(f.evidence()).startsWith("solo/ClusterServiceVersion openshift-operators/servicemeshoperator.v2.3.1 "
                        + "(2.3.1) has OSSM-3599: egress gateways get the local ingress addresses");
                assertThat(f.fix()).isEqualTo("upgrade the Service Mesh operator (its Subscription "
                        + "openshift-operators/servicemeshoperator) to 2.3.3 or later");
            });

            assertThat(compare(inventory, simulation)).extracting(Finding::status, Finding::evidence).containsExactly(
                    tuple(Finding.Status.OK, "the 16 objects the inventory renders for solo are applied as rendered"));
            simulation.require("solo").controllerClient().genericKubernetesResources("maistra.io/v2", "ServiceMeshControlPlane")
                    .inNamespace("solo-mesh-system").withName("solo-mesh").edit(smcp -> {
                        ((Map<String, Object>) smcp.getAdditionalProperties().get("spec")).put("version", "v2.2");
                        return smcp;
                    });
            assertThat(compare(inventory, simulation)).extracting(Finding::status, Finding::evidence).containsExactly(
                    tuple(Finding.Status.FAIL, "changed since it was applied: 1 object differs from the inventory "
                            + "(ServiceMeshControlPlane solo-mesh-system/solo-mesh)"));
        }
    }

    /** Plan's comparison per cluster, as doctor -i makes it. */
    private static List<Finding> compare(Inventory inventory, Simulation simulation) {
        return compare(inventory, name -> simulation.require(name).config("meshfed"));
    }

    private static List<Finding> compare(Inventory inventory, java.util.function.Function<String, Config> config) {
        Map<String, ClusterClient> clients = Connections.open(inventory, 10, RetryPolicy.DEFAULT, config);
        try {
            return List.copyOf(InventoryCheck.compare(inventory, clients, List.of()).values());
        } finally {
            clients.values().forEach(ClusterClient::close);
        }
    }

    @SuppressWarnings("unchecked")
    private static boolean emptyLocalService(KubernetesClient green) {
        GenericKubernetesResource imports = green.genericKubernetesResources("federation.maistra.io/v1", "ImportedServiceSet")
                .inNamespace("green-mesh-system").withName("blue-mesh").get();
        Object status = imports.getAdditionalProperties().get("status");
        if (!(status instanceof Map<?, ?> m) || !(m.get("importedServices") instanceof List<?> entries) || entries.isEmpty()) {
            return false;
        }
        return entries.stream().allMatch(e -> "".equals(((Map<String, Object>) ((Map<String, Object>) e).get("localService"))
                .get("name")));
    }
}
