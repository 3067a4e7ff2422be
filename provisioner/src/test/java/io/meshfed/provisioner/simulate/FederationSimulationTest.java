package io.meshfed.provisioner.simulate;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed's federation done by hand, step by step as the seed does it, against two simulated
 * clusters (blue on MetalLB, green on a cloud load balancer): the peers connect on both sides, the
 * exported and imported services show in status. Then each broken setting of FEDERATION.md's list
 * leaves the peer disconnected with its reason, and putting it back reconnects.
 */
class FederationSimulationTest {

    private static Simulation simulation;
    private static KubernetesClient blue;
    private static KubernetesClient green;

    @BeforeAll
    static void federateByHand() {
        simulation = Simulation.start(List.of(new Simulation.ClusterSpec("blue", false),
                new Simulation.ClusterSpec("green", true)), new SimulationTiming(Duration.ofMillis(50),
                Duration.ofMillis(100), Duration.ofMillis(50)));
        blue = simulation.require("blue").newClient();
        green = simulation.require("green").newClient();

        SimulatedControllersTest.installServiceMesh(blue);
        SimulatedControllersTest.installServiceMesh(green);
        namespace(blue, "metallb-system");
        Yaml.create(blue, "{apiVersion: operators.coreos.com/v1, kind: OperatorGroup, metadata: {name: m, namespace: metallb-system}}");
        Yaml.create(blue, SimulatedControllersTest.subscription("metallb-operator", "metallb-system"));
        Await.until("metallb", () -> SimulatedControllersTest.csvPhase(blue, "metallb-system", "metallb-operator"),
                "Succeeded"::equals);
        Yaml.create(blue, "{apiVersion: metallb.io/v1beta1, kind: MetalLB, metadata: {name: metallb, namespace: metallb-system}}");
        Yaml.create(blue, "{apiVersion: metallb.io/v1beta1, kind: IPAddressPool, metadata: {name: l2-pool, namespace: "
                + "metallb-system}, spec: {addresses: [10.19.3.29-10.19.3.31]}}");
        Yaml.create(blue, "{apiVersion: metallb.io/v1beta1, kind: L2Advertisement, metadata: {name: l2-pool, namespace: "
                + "metallb-system}, spec: {ipAddressPools: [l2-pool]}}");

        for (KubernetesClient c : List.of(blue, green)) {
            namespace(c, "nfs-app-istio");
        }
        namespace(blue, "blue-mesh-system");
        namespace(green, "green-mesh-system");
        Yaml.create(blue, smcp("blue-mesh", "green-mesh"));
        Yaml.create(green, smcp("green-mesh", "blue-mesh"));
        for (String[] cp : new String[][] {{"blue", "blue-mesh"}, {"green", "green-mesh"}}) {
            KubernetesClient c = cp[0].equals("blue") ? blue : green;
            Await.until(cp[1] + " ready", () -> SimulatedControllersTest.readyCondition(c, cp[1] + "-system", cp[1]),
                    "True"::equals);
        }
        // the seed's "Get CA" and "Get LoadBalancer endpoint" steps
        String blueCa = rootCert(blue, "blue-mesh-system");
        String greenCa = rootCert(green, "green-mesh-system");
        String blueAddress = address(blue, "blue-mesh-system", "ingress-green-mesh");
        String greenAddress = address(green, "green-mesh-system", "ingress-blue-mesh");
        assertThat(blueAddress).isEqualTo("10.19.3.29");
        assertThat(greenAddress).as("a cloud other than AWS: an IP").matches("198\\.18\\.\\d+\\.\\d+");

        caConfigMap(blue, "blue-mesh-system", "green-mesh-ca-root-cert", greenCa);
        caConfigMap(green, "green-mesh-system", "blue-mesh-ca-root-cert", blueCa);
        Yaml.create(blue, peer("blue-mesh", "green-mesh", greenAddress));
        Yaml.create(green, peer("green-mesh", "blue-mesh", blueAddress));

        for (KubernetesClient c : List.of(blue, green)) {
            String ns = c == blue ? "blue-mesh-system" : "green-mesh-system";
            Yaml.create(c, "{apiVersion: maistra.io/v1, kind: ServiceMeshMemberRoll, metadata: {name: default, namespace: "
                    + ns + "}, spec: {members: [nfs-app-istio]}}");
        }
        for (String svc : List.of("dokuwiki", "wiki-db")) {
            blue.services().inNamespace("nfs-app-istio").resource(new ServiceBuilder().withNewMetadata().withName(svc)
                    .addToLabels("app", svc).endMetadata().withNewSpec().addNewPort().withPort(8080).endPort().endSpec()
                    .build()).create();
        }
        Yaml.create(blue, """
                kind: ExportedServiceSet
                apiVersion: federation.maistra.io/v1
                metadata: {name: green-mesh, namespace: blue-mesh-system}
                spec:
                  exportRules:
                  - type: NameSelector
                    nameSelector: {namespace: nfs-app-istio, name: dokuwiki, alias: {namespace: nfs-app-istio, name: dokuwiki}}
                  - type: LabelSelector
                    labelSelector: {namespace: nfs-app-istio, selector: {matchLabels: {app: wiki-db}}}
                """);
        Yaml.create(green, """
                kind: ImportedServiceSet
                apiVersion: federation.maistra.io/v1
                metadata: {name: blue-mesh, namespace: green-mesh-system}
                spec:
                  importRules:
                  - type: NameSelector
                    importAsLocal: false
                    nameSelector: {namespace: nfs-app-istio, name: dokuwiki, alias: {namespace: nfs-app-istio, name: blue-dokuwiki}}
                """);
    }

    @AfterAll
    static void stop() {
        blue.close();
        green.close();
        simulation.close();
    }

    @Test
    @DisplayName("the seed's federation connects on both sides: watch and remotes")
    void connected() {
        awaitConnected();
        Map<String, Object> status = Yaml.statusMap(blue, Kinds.PEER, "blue-mesh-system", "green-mesh");
        Map<String, Object> active = entry(status, "active");
        assertThat(active.get("pod")).asString().startsWith("istiod-blue-mesh-");
        assertThat((List<?>) active.get("remotes")).hasSize(1);
    }

    @Test
    @SuppressWarnings("unchecked")
    @DisplayName("exports are named <name>.<ns>.svc.<peer>-exports.local; the import gets its alias, an unmatched export a localService of empty fields")
    void serviceSets() {
        awaitConnected();
        Object exported = Await.until("exports", () -> Yaml.status(blue, Kinds.EXPORTS, "blue-mesh-system", "green-mesh",
                "exportedServices"), e -> e instanceof List<?> l && l.size() == 2);
        assertThat(exported).asString().contains("exportedName=dokuwiki.nfs-app-istio.svc.green-mesh-exports.local")
                .contains("exportedName=wiki-db.nfs-app-istio.svc.green-mesh-exports.local");

        Object imported = Await.until("imports", () -> Yaml.status(green, Kinds.IMPORTS, "green-mesh-system", "blue-mesh",
                "importedServices"), e -> e instanceof List<?> l && l.size() == 2);
        assertThat((List<Object>) imported).contains(
                Map.of("exportedName", "dokuwiki.nfs-app-istio.svc.green-mesh-exports.local",
                        "localService", Map.of("name", "blue-dokuwiki", "namespace", "nfs-app-istio",
                                "hostname", "blue-dokuwiki.nfs-app-istio.svc.blue-mesh-imports.local")),
                Map.of("exportedName", "wiki-db.nfs-app-istio.svc.green-mesh-exports.local", "localService", Map.of("name", "", "namespace", "", "hostname", "")));
    }

    @Test
    @DisplayName("a wrong clientID on the remote side is denied, and the peer reconnects once it is right")
    void wrongClientId() {
        breakAndRepair(green, "green-mesh-system", "blue-mesh",
                p -> security(p).put("clientID", "blue-mesh.local/ns/blue-mesh-system/sa/egress-red-mesh-service-account"),
                blue, "blue-mesh-system", "green-mesh", "403 RBAC: access denied");
    }

    @Test
    @SuppressWarnings("unchecked")
    @DisplayName("a wrong remote address cannot be reached")
    void wrongAddress() {
        breakAndRepair(blue, "blue-mesh-system", "green-mesh",
                p -> ((Map<String, Object>) spec(p).get("remote")).put("addresses", List.of("10.99.99.99")),
                blue, "blue-mesh-system", "green-mesh", "dial tcp 10.99.99.99:8188: connect: no route to host");
    }

    @Test
    @SuppressWarnings("unchecked")
    @DisplayName("a wrong discovery port is refused")
    void wrongPort() {
        breakAndRepair(blue, "blue-mesh-system", "green-mesh",
                p -> ((Map<String, Object>) spec(p).get("remote")).put("discoveryPort", 9999),
                blue, "blue-mesh-system", "green-mesh", ":9999: connect: connection refused");
    }

    @Test
    @DisplayName("the local trust domain as the peer's: the remote root certificate is never used")
    void sameTrustDomain() {
        breakAndRepair(blue, "blue-mesh-system", "green-mesh", p -> security(p).put("trustDomain", "blue-mesh.local"),
                blue, "blue-mesh-system", "green-mesh", "is the local trust domain");
    }

    @Test
    @DisplayName("a trust domain that is not the peer's fails the certificate check")
    void otherTrustDomain() {
        breakAndRepair(blue, "blue-mesh-system", "green-mesh", p -> security(p).put("trustDomain", "red-mesh.local"),
                blue, "blue-mesh-system", "green-mesh", "x509: certificate is valid for spiffe://green-mesh.local");
    }

    @Test
    @DisplayName("a CA ConfigMap holding the wrong root, or missing, leaves the peer disconnected")
    void wrongOrMissingCa() {
        ConfigMap good = blue.configMaps().inNamespace("blue-mesh-system").withName("green-mesh-ca-root-cert").get();
        String own = rootCert(blue, "blue-mesh-system");
        awaitConnected();
        blue.configMaps().inNamespace("blue-mesh-system").withName("green-mesh-ca-root-cert")
                .edit(cm -> new ConfigMapBuilder(cm).addToData("root-cert.pem", own).build());
        awaitReason(blue, "blue-mesh-system", "green-mesh", "x509: certificate signed by unknown authority");
        blue.configMaps().inNamespace("blue-mesh-system").withName("green-mesh-ca-root-cert").delete();
        awaitReason(blue, "blue-mesh-system", "green-mesh", "configmap blue-mesh-system/green-mesh-ca-root-cert not found");
        caConfigMap(blue, "blue-mesh-system", "green-mesh-ca-root-cert", good.getData().get("root-cert.pem"));
        awaitConnected();
    }

    private static synchronized void breakAndRepair(KubernetesClient owner, String ns, String name,
                                                    Consumer<GenericKubernetesResource> breakIt, KubernetesClient observer,
                                                    String observedNs, String observedPeer, String reason) {
        awaitConnected();
        GenericKubernetesResource original = Yaml.get(owner, Kinds.PEER, ns, name);
        Object originalSpec = io.fabric8.kubernetes.client.utils.Serialization.clone(original).getAdditionalProperties().get("spec");
        editPeer(owner, ns, name, breakIt);
        awaitReason(observer, observedNs, observedPeer, reason);
        editPeer(owner, ns, name, p -> p.getAdditionalProperties().put("spec", originalSpec));
        awaitConnected();
    }

    /** Edits a peer as kubectl edit does: read, change, write; again when the operator wrote its status in between (409). */
    private static void editPeer(KubernetesClient client, String ns, String name, Consumer<GenericKubernetesResource> change) {
        for (int attempt = 1; ; attempt++) {
            try {
                client.genericKubernetesResources(Kinds.PEER).inNamespace(ns).withName(name).edit(p -> {
                    change.accept(p);
                    return p;
                });
                return;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 10) {
                    throw e;
                }
            }
        }
    }

    private static void awaitReason(KubernetesClient client, String ns, String peer, String reason) {
        Await.until("disconnect because " + reason, () -> Yaml.statusMap(client, Kinds.PEER, ns, peer),
                s -> String.valueOf(s).contains("connected=false") && String.valueOf(s).contains(reason)
                        && entry(s, "inactive") != null);
    }

    private static void awaitConnected() {
        for (Object[] side : new Object[][] {{blue, "blue-mesh-system", "green-mesh"}, {green, "green-mesh-system", "blue-mesh"}}) {
            Await.until("connected " + side[2], () -> Yaml.statusMap((KubernetesClient) side[0], Kinds.PEER,
                    (String) side[1], (String) side[2]), FederationSimulationTest::bothWays);
        }
    }

    @SuppressWarnings("unchecked")
    private static boolean bothWays(Map<String, Object> status) {
        Map<String, Object> active = entry(status, "active");
        if (active == null) {
            return false;
        }
        Map<String, Object> watch = (Map<String, Object>) active.get("watch");
        List<Map<String, Object>> remotes = (List<Map<String, Object>>) active.get("remotes");
        return Boolean.TRUE.equals(watch.get("connected")) && remotes != null && !remotes.isEmpty()
                && Boolean.TRUE.equals(remotes.get(0).get("connected"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> entry(Map<String, Object> status, String which) {
        Object list = MaistraController.path(status, "discoveryStatus", which);
        return list instanceof List<?> l && !l.isEmpty() ? (Map<String, Object>) l.get(0) : null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource r) {
        return (Map<String, Object>) r.getAdditionalProperties().get("spec");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> security(GenericKubernetesResource r) {
        return (Map<String, Object>) spec(r).get("security");
    }

    private static void namespace(KubernetesClient c, String name) {
        c.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    }

    private static String rootCert(KubernetesClient c, String ns) {
        return Await.until("root cert in " + ns, () -> c.configMaps().inNamespace(ns).withName("istio-ca-root-cert").get(),
                cm -> true).getData().get("root-cert.pem");
    }

    private static String address(KubernetesClient c, String ns, String svc) {
        return Await.until(svc + " address", () -> LoadBalancerController.address(c.services().inNamespace(ns)
                .withName(svc).get()), a -> true);
    }

    private static void caConfigMap(KubernetesClient c, String ns, String name, String pem) {
        c.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(ns)
                .endMetadata().addToData("root-cert.pem", pem).build()).create();
    }

    static String smcp(String mesh, String peer) {
        return """
                apiVersion: maistra.io/v2
                kind: ServiceMeshControlPlane
                metadata: {name: %1$s, namespace: %1$s-system}
                spec:
                  version: v2.1
                  gateways:
                    additionalEgress:
                      egress-%2$s:
                        enabled: true
                        requestedNetworkView: [%2$s-network]
                        routerMode: sni-dnat
                        service:
                          metadata: {labels: {federation.maistra.io/egress-for: egress-%2$s}}
                          ports: [{port: 15443, name: tls}, {port: 8188, name: http-discovery}]
                    additionalIngress:
                      ingress-%2$s:
                        enabled: true
                        routerMode: sni-dnat
                        service:
                          type: LoadBalancer
                          metadata: {labels: {federation.maistra.io/ingress-for: ingress-%2$s}}
                          ports: [{port: 15443, name: tls}, {port: 8188, name: https-discovery}]
                  security: {trust: {domain: %1$s.local}}
                """.formatted(mesh, peer);
    }

    static String peer(String mesh, String peer, String address) {
        return """
                kind: ServiceMeshPeer
                apiVersion: federation.maistra.io/v1
                metadata: {name: %2$s, namespace: %1$s-system}
                spec:
                  remote: {addresses: ["%3$s"], discoveryPort: 8188, servicePort: 15443}
                  gateways: {ingress: {name: ingress-%2$s}, egress: {name: egress-%2$s}}
                  security:
                    trustDomain: %2$s.local
                    clientID: %2$s.local/ns/%2$s-system/sa/egress-%1$s-service-account
                    certificateChain: {kind: ConfigMap, name: %2$s-ca-root-cert}
                """.formatted(mesh, peer, address);
    }
}
