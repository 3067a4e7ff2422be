package io.meshfed.model.doctor;

import io.meshfed.model.resource.Tree;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The doctor's checks on objects shaped as a real Maistra 2.3 federation stores them. */
class FederationDoctorTest {

    private static Map<String, Object> smcp(String mesh, String peer, String version, String ready) {
        return Tree.map("apiVersion", "maistra.io/v2", "kind", "ServiceMeshControlPlane",
                "metadata", Tree.map("name", mesh, "namespace", mesh + "-system"),
                "spec", Tree.map("version", version, "security", Tree.map("trust", Tree.map("domain", mesh + ".local")),
                        "gateways", Tree.map("additionalIngress", Tree.map("ingress-" + peer, Tree.map("enabled", true)),
                                "additionalEgress", Tree.map("egress-" + peer, Tree.map("enabled", true)))),
                "status", Tree.map("conditions", List.of(Tree.map("type", "Ready", "status", ready, "message", "components ready"))));
    }

    /** The peer object on {@code local} for {@code remote}, as meshfed (and the seed) writes it. */
    private static Map<String, Object> peer(String local, String remote, String address, boolean connected) {
        return Tree.map("apiVersion", "federation.maistra.io/v1", "kind", "ServiceMeshPeer",
                "metadata", Tree.map("name", remote, "namespace", local + "-system"),
                "spec", Tree.map(
                        "remote", Tree.map("addresses", new ArrayList<>(List.of(address))),
                        "gateways", Tree.map("ingress", Tree.map("name", "ingress-" + remote),
                                "egress", Tree.map("name", "egress-" + remote)),
                        "security", Tree.map("trustDomain", remote + ".local",
                                "clientID", remote + ".local/ns/" + remote + "-system/sa/egress-" + local + "-service-account",
                                "certificateChain", Tree.map("kind", "ConfigMap", "name", remote + "-ca-root-cert"))),
                "status", Tree.map("discoveryStatus", Tree.map(connected ? "active" : "inactive", List.of(Tree.map(
                        "pod", "istiod-1", "watch", connected ? Tree.map("connected", true, "lastConnected", "2026-11-30T10:00:00Z")
                                : Tree.map("connected", false, "lastDisconnectStatus", "503 Service Unavailable"))))));
    }

    private static Map<String, Object> ingress(String mesh, String peer, String ip) {
        return Tree.map("apiVersion", "v1", "kind", "Service", "metadata", Tree.map("name", "ingress-" + peer, "namespace", mesh + "-system"),
                "spec", Tree.map("type", "LoadBalancer", "selector", Tree.map("app", "ingress-" + peer,
                                "federation.maistra.io/ingress-for", peer),
                        "ports", List.of(Tree.map("name", "tls", "port", 15443), Tree.map("name", "https-discovery", "port", 8188))),
                "status", Tree.map("loadBalancer", Tree.map("ingress", List.of(Tree.map("ip", ip)))));
    }

    private static Map<String, Object> egress(String mesh, String peer, int... ports) {
        List<Object> portList = new ArrayList<>();
        for (int port : ports) {
            portList.add(Tree.map("name", "p" + port, "port", port));
        }
        return Tree.map("apiVersion", "v1", "kind", "Service", "metadata", Tree.map("name", "egress-" + peer, "namespace", mesh + "-system"),
                "spec", Tree.map("type", "ClusterIP", "selector", Tree.map("app", "egress-" + peer,
                        "federation.maistra.io/egress-for", peer), "ports", portList));
    }

    private static Map<String, Object> configMap(String mesh, String name, String pem) {
        return Tree.map("apiVersion", "v1", "kind", "ConfigMap", "metadata", Tree.map("name", name, "namespace", mesh + "-system"),
                "data", Tree.map("root-cert.pem", pem));
    }

    /** Two meshes federated as they should be; {@code breakBluePeer} breaks one thing in blue's peer first. */
    private static List<Finding> check(Consumer<Map<String, Object>> breakBluePeer, String blueCopyOfGreenCa, String blueVersion) {
        return check(breakBluePeer, blueCopyOfGreenCa, blueVersion, List.of(egress("blue-mesh", "green-mesh", 15443)));
    }

    private static List<Finding> check(Consumer<Map<String, Object>> breakBluePeer, String blueCopyOfGreenCa, String blueVersion,
                                       List<Map<String, Object>> blueEgress) {
        Map<String, Object> bluePeer = peer("blue-mesh", "green-mesh", "10.0.1.5", true);
        breakBluePeer.accept(bluePeer);
        ClusterSnapshot blue = new ClusterSnapshot("blue", List.of(smcp("blue-mesh", "green-mesh", blueVersion, "True")),
                List.of(bluePeer), java.util.stream.Stream.concat(java.util.stream.Stream.of(ingress("blue-mesh", "green-mesh",
                        "10.0.0.5")), blueEgress.stream()).toList(),
                List.of(configMap("blue-mesh", "istio-ca-root-cert", "BLUE-CA"), configMap("blue-mesh", "green-mesh-ca-root-cert",
                        blueCopyOfGreenCa)));
        ClusterSnapshot green = new ClusterSnapshot("green", List.of(smcp("green-mesh", "blue-mesh", "v2.3", "True")),
                List.of(peer("green-mesh", "blue-mesh", "10.0.0.5", true)),
                List.of(ingress("green-mesh", "blue-mesh", "10.0.1.5"), egress("green-mesh", "blue-mesh", 15443)),
                List.of(configMap("green-mesh", "istio-ca-root-cert", "GREEN-CA"), configMap("green-mesh", "blue-mesh-ca-root-cert",
                        "BLUE-CA")));
        return FederationDoctor.check(List.of(blue, green));
    }

    private static List<Finding> notOk(List<Finding> findings) {
        return findings.stream().filter(f -> f.status() != Finding.Status.OK).toList();
    }

    @Test
    @DisplayName("a healthy pair: every check ok, in the order traffic needs them")
    void healthy() {
        List<Finding> findings = check(p -> { }, "GREEN-CA", "v2.3");
        assertThat(notOk(findings)).isEmpty();
        assertThat(findings).extracting(Finding::check).containsExactly("control plane", "gateways", "trust domain",
                "CA certificate", "client ID", "peer address", "connection", "control plane", "gateways", "trust domain",
                "CA certificate", "client ID", "peer address", "connection");
    }

    @Test
    @DisplayName("trust domain: the local mesh's own (Maistra then never reads the peer's CA), or another mesh's")
    @SuppressWarnings("unchecked")
    void trustDomain() {
        List<Finding> own = notOk(check(p -> ((Map<String, Object>) Tree.get(p, "spec", "security")).put("trustDomain",
                "blue-mesh.local"), "GREEN-CA", "v2.3"));
        assertThat(own.get(0).check()).isEqualTo("trust domain");
        assertThat(own.get(0).evidence()).contains("is the local mesh's own");
    }

    @Test
    @DisplayName("CA certificate: a copy that differs from the peer's current root CA (rotated)")
    void staleCa() {
        List<Finding> stale = notOk(check(p -> { }, "OLD-GREEN-CA", "v2.3"));
        assertThat(stale).extracting(Finding::check, Finding::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("CA certificate", Finding.Status.FAIL));
        assertThat(stale.get(0).fix()).isEqualTo("copy root-cert.pem of green/ConfigMap green-mesh-system/istio-ca-root-cert into "
                + "blue/ConfigMap blue-mesh-system/green-mesh-ca-root-cert (meshfed apply does)");
    }

    @Test
    @DisplayName("client ID: not the peer's egress gateway's service account")
    @SuppressWarnings("unchecked")
    void clientId() {
        List<Finding> wrong = notOk(check(p -> ((Map<String, Object>) Tree.get(p, "spec", "security")).put("clientID",
                "green-mesh.local/ns/green-mesh-system/sa/egress-service-account"), "GREEN-CA", "v2.3"));
        assertThat(wrong).extracting(Finding::check).containsExactly("client ID");
        assertThat(wrong.get(0).fix()).endsWith("to green-mesh.local/ns/green-mesh-system/sa/egress-blue-mesh-service-account");
    }

    @Test
    @DisplayName("peer address: not the peer's ingress load-balancer address; the lost connection follows from it")
    @SuppressWarnings("unchecked")
    void address() {
        List<Finding> moved = notOk(check(p -> {
            ((Map<String, Object>) Tree.get(p, "spec", "remote")).put("addresses", List.of("10.9.9.9"));
            ((Map<String, Object>) p.get("status")).put("discoveryStatus", Tree.map("inactive", List.of(Tree.map("pod", "istiod-1",
                    "watch", Tree.map("connected", false, "lastDisconnectStatus", "dial tcp 10.9.9.9:8188: i/o timeout")))));
        }, "GREEN-CA", "v2.3"));
        assertThat(moved).extracting(Finding::check, Finding::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("peer address", Finding.Status.FAIL),
                org.assertj.core.groups.Tuple.tuple("connection", Finding.Status.WARN));
        assertThat(moved.get(1).evidence()).contains("dial tcp 10.9.9.9:8188: i/o timeout", "follows from the failure above");
    }

    @Test
    @DisplayName("gateways: an egress Service without 15443, or one selecting the default gateway's pods")
    @SuppressWarnings("unchecked")
    void gateways() {
        List<Finding> noTls = notOk(check(p -> { }, "GREEN-CA", "v2.3", List.of(egress("blue-mesh", "green-mesh", 8080))));
        assertThat(noTls).extracting(Finding::check).containsExactly("gateways");
        assertThat(noTls.get(0).evidence()).isEqualTo("blue/Service blue-mesh-system/egress-green-mesh has ports [8080], not [15443]");
        assertThat(noTls.get(0).fix()).isEqualTo("add port [15443] to gateway egress-green-mesh in blue/ServiceMeshControlPlane "
                + "blue-mesh-system/blue-mesh");
        Map<String, Object> shared = egress("blue-mesh", "green-mesh", 15443);
        ((Map<String, Object>) shared.get("spec")).put("selector", Tree.map("app", "istio-egressgateway"));
        Map<String, Object> defaultEgress = egress("blue-mesh", "x", 15443);
        ((Map<String, Object>) defaultEgress.get("metadata")).put("name", "istio-egressgateway");
        ((Map<String, Object>) defaultEgress.get("spec")).put("selector", Tree.map("app", "istio-egressgateway"));
        List<Finding> sharedPods = notOk(check(p -> { }, "GREEN-CA", "v2.3", List.of(shared, defaultEgress)));
        assertThat(sharedPods).extracting(Finding::check).containsExactly("gateways");
        assertThat(sharedPods.get(0).evidence()).isEqualTo("blue/Service blue-mesh-system/egress-green-mesh selects "
                + "{app=istio-egressgateway}, the default egress gateway's pods too");
    }

    @Test
    @DisplayName("control plane: a version without federation")
    void version() {
        List<Finding> old = notOk(check(p -> { }, "GREEN-CA", "v2.0"));
        assertThat(old.get(0).check()).isEqualTo("control plane");
        assertThat(old.get(0).evidence()).isEqualTo("blue/ServiceMeshControlPlane blue-mesh-system/blue-mesh has spec.version "
                + "'v2.0'; federation needs v2.1 or later");
    }
}
