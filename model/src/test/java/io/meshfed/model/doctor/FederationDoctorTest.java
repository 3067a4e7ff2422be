package io.meshfed.model.doctor;

import io.meshfed.model.resource.Tree;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

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
                                : Tree.map("connected", false, "lastDisconnectStatus", "503 Service Unavailable"),
                        "remotes", connected ? List.of(Tree.map("connected", true, "source", "10.128.0.10")) : List.of())))));
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

    private static Map<String, Object> subscription(String version) {
        return Tree.map("apiVersion", "operators.coreos.com/v1alpha1", "kind", "Subscription",
                "metadata", Tree.map("name", "servicemeshoperator", "namespace", "openshift-operators"),
                "spec", Tree.map("name", "servicemeshoperator", "channel", "stable"),
                "status", Tree.map("installedCSV", "servicemeshoperator.v" + version));
    }

    private static Map<String, Object> csv(String version) {
        return Tree.map("apiVersion", "operators.coreos.com/v1alpha1", "kind", "ClusterServiceVersion",
                "metadata", Tree.map("name", "servicemeshoperator.v" + version, "namespace", "openshift-operators"),
                "spec", Tree.map("version", version + "-0"), "status", Tree.map("phase", "Succeeded"));
    }

    private static Map<String, Object> serviceAccount(String mesh, String gateway) {
        return Tree.map("apiVersion", "v1", "kind", "ServiceAccount", "metadata", Tree.map("name", gateway + "-service-account",
                "namespace", mesh + "-system"));
    }

    private static Map<String, Object> object(String apiVersion, String kind, String namespace, String name, Object spec) {
        return Tree.map("apiVersion", apiVersion, "kind", kind, "metadata", Tree.map("name", name, "namespace", namespace),
                "spec", spec);
    }

    /** dokuwiki on blue in nfs-app-istio, a member of blue's mesh, exported to green as it is. */
    private static final Map<String, Object> DOKUWIKI = Tree.map("apiVersion", "v1", "kind", "Service",
            "metadata", Tree.map("name", "dokuwiki", "namespace", "nfs-app-istio", "labels", Tree.map("app", "dokuwiki")),
            "spec", Tree.map("type", "ClusterIP", "ports", List.of(Tree.map("name", "http", "port", 8080))));

    private static Map<String, Object> exportRule(String namespace, String name) {
        return Tree.map("type", "NameSelector", "nameSelector", Tree.map("namespace", namespace, "name", name,
                "alias", Tree.map("namespace", "nfs-app-istio", "name", "dokuwiki")));
    }

    private static Map<String, Object> importRule(String namespace, String name) {
        return Tree.map("type", "NameSelector", "importAsLocal", false, "nameSelector", Tree.map("namespace", namespace,
                "name", name, "alias", Tree.map("namespace", "nfs-app-istio", "name", "blue-dokuwiki")));
    }

    /** green's VirtualService: all traffic to blue's dokuwiki, as blue-green's switch-over writes it. */
    private static Map<String, Object> virtualService(String remoteHost, int weight, int port) {
        return object("networking.istio.io/v1beta1", "VirtualService", "nfs-app-istio", "dokuwiki", Tree.map(
                "gateways", List.of("dokuwiki-gateway"), "hosts", List.of("*"),
                "http", List.of(Tree.map("route", List.of(
                        Tree.map("destination", Tree.map("host", "dokuwiki", "port", Tree.map("number", 8080)), "weight", 100 - weight),
                        Tree.map("destination", Tree.map("host", remoteHost, "port", Tree.map("number", port)), "weight", weight))))));
    }

    /** blue-green's MetalLB on blue: the operand, pool and advertisement in metallb-system. */
    private static List<Map<String, Object>> metallb(String poolNamespace) {
        return List.of(object("metallb.io/v1beta1", "MetalLB", "metallb-system", "metallb", Tree.map()),
                object("metallb.io/v1beta1", "IPAddressPool", poolNamespace, "blue-pool", Tree.map("addresses",
                        List.of("10.0.0.5-10.0.0.9"))),
                object("metallb.io/v1beta1", "L2Advertisement", poolNamespace, "blue-l2", Tree.map("ipAddressPools",
                        List.of("blue-pool"))));
    }

    /** Two meshes federated as they should be: blue exports dokuwiki, green imports it and routes to it. */
    private static final class Pair {
        final Map<String, Object> bluePeer = peer("blue-mesh", "green-mesh", "10.0.1.5", true);
        final Map<String, Object> greenPeer = peer("green-mesh", "blue-mesh", "10.0.0.5", true);
        String blueCopyOfGreenCa = "GREEN-CA";
        String blueVersion = "v2.3";
        String operatorVersion = "2.3.11";
        List<Map<String, Object>> blueEgress = List.of(egress("blue-mesh", "green-mesh", 15443));
        Map<String, Object> exports = object("federation.maistra.io/v1", "ExportedServiceSet", "blue-mesh-system", "green-mesh",
                Tree.map("exportRules", new ArrayList<>(List.of(exportRule("nfs-app-istio", "dokuwiki")))));
        Map<String, Object> imports = object("federation.maistra.io/v1", "ImportedServiceSet", "green-mesh-system", "blue-mesh",
                Tree.map("importRules", new ArrayList<>(List.of(importRule("nfs-app-istio", "dokuwiki")))));
        Map<String, Object> route = virtualService("blue-dokuwiki.nfs-app-istio.svc.blue-mesh-imports.local", 100, 8080);
        List<Map<String, Object>> blueMetallb = metallb("metallb-system");
        List<Map<String, Object>> blueServices = new ArrayList<>(List.of(DOKUWIKI));
        boolean greenServiceAccount = true;

        Pair() {
            exports.put("status", Tree.map("exportedServices", List.of(Tree.map(
                    "exportedName", "dokuwiki.nfs-app-istio.svc.green-mesh-exports.local",
                    "localService", Tree.map("name", "dokuwiki", "namespace", "nfs-app-istio")))));
            imports.put("status", Tree.map("importedServices", List.of(Tree.map(
                    "exportedName", "dokuwiki.nfs-app-istio.svc.green-mesh-exports.local",
                    "localService", Tree.map("name", "blue-dokuwiki", "namespace", "nfs-app-istio",
                            "hostname", "blue-dokuwiki.nfs-app-istio.svc.blue-mesh-imports.local")))));
        }

        List<Finding> check() {
            List<Map<String, Object>> blue = new ArrayList<>(List.of(smcp("blue-mesh", "green-mesh", blueVersion, "True"), bluePeer,
                    ingress("blue-mesh", "green-mesh", "10.0.0.5"), configMap("blue-mesh", "istio-ca-root-cert", "BLUE-CA"),
                    configMap("blue-mesh", "green-mesh-ca-root-cert", blueCopyOfGreenCa), subscription(operatorVersion),
                    csv(operatorVersion), exports, serviceAccount("blue-mesh", "egress-green-mesh"),
                    object("maistra.io/v1", "ServiceMeshMemberRoll", "blue-mesh-system", "default",
                            Tree.map("members", List.of("nfs-app-istio")))));
            blue.addAll(blueEgress);
            blue.addAll(blueServices);
            blue.addAll(blueMetallb);
            List<Map<String, Object>> green = new ArrayList<>(List.of(smcp("green-mesh", "blue-mesh", "v2.3", "True"), greenPeer,
                    ingress("green-mesh", "blue-mesh", "10.0.1.5"), egress("green-mesh", "blue-mesh", 15443),
                    configMap("green-mesh", "istio-ca-root-cert", "GREEN-CA"), configMap("green-mesh", "blue-mesh-ca-root-cert",
                            "BLUE-CA"), subscription("2.3.11"), csv("2.3.11"), imports, route,
                    object("networking.istio.io/v1beta1", "Gateway", "nfs-app-istio", "dokuwiki-gateway", Tree.map())));
            if (greenServiceAccount) {
                green.add(serviceAccount("green-mesh", "egress-blue-mesh"));
            }
            return FederationDoctor.check(List.of(new ClusterSnapshot("blue", blue, Set.of()),
                    new ClusterSnapshot("green", green, Set.of("IPAddressPool", "MetalLB", "L2Advertisement"))));
        }
    }

    private static List<Finding> check(Consumer<Map<String, Object>> breakBluePeer, String blueCopyOfGreenCa, String blueVersion) {
        return check(breakBluePeer, blueCopyOfGreenCa, blueVersion, List.of(egress("blue-mesh", "green-mesh", 15443)));
    }

    private static List<Finding> check(Consumer<Map<String, Object>> breakBluePeer, String blueCopyOfGreenCa, String blueVersion,
                                       List<Map<String, Object>> blueEgress) {
        Pair pair = new Pair();
        breakBluePeer.accept(pair.bluePeer);
        pair.blueCopyOfGreenCa = blueCopyOfGreenCa;
        pair.blueVersion = blueVersion;
        pair.blueEgress = blueEgress;
        return pair.check();
    }

    private static List<Finding> notOk(List<Finding> findings) {
        return findings.stream().filter(f -> f.status() != Finding.Status.OK).toList();
    }

    @Test
    @DisplayName("a healthy pair: every check ok, in the order traffic needs them")
    void healthy() {
        List<Finding> findings = check(p -> { }, "GREEN-CA", "v2.3");
        assertThat(notOk(findings)).isEmpty();
        assertThat(findings).extracting(Finding::cluster, Finding::check).containsExactly(
                tuple("blue", "control plane"), tuple("blue", "operator"), tuple("blue", "load balancer"),
                tuple("blue", "gateways"), tuple("blue", "trust domain"), tuple("blue", "CA certificate"), tuple("blue", "client ID"),
                tuple("blue", "peer address"), tuple("blue", "connection"), tuple("blue", "exports"), tuple("blue", "imports"),
                tuple("blue", "routes"),
                tuple("green", "control plane"), tuple("green", "operator"),
                tuple("green", "gateways"), tuple("green", "trust domain"), tuple("green", "CA certificate"),
                tuple("green", "client ID"), tuple("green", "peer address"), tuple("green", "connection"),
                tuple("green", "exports"), tuple("green", "imports"), tuple("green", "routes"));
        assertThat(findings).filteredOn(f -> f.cluster().equals("green") && f.check().equals("routes")).singleElement()
                .extracting(Finding::evidence).isEqualTo("VirtualServices on green route to "
                        + "[blue-dokuwiki.nfs-app-istio.svc.blue-mesh-imports.local], imported from blue, on ports its Services have");
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

    private static List<Finding> failing(Pair pair, String check) {
        return notOk(pair.check()).stream().filter(f -> f.check().equals(check)).toList();
    }

    @Test
    @DisplayName("exports: a set named unlike the peer exports nothing; a rule that selects nothing; a namespace outside the mesh; "
            + "a Service hidden by exportTo")
    @SuppressWarnings("unchecked")
    void exports() {
        Pair misnamed = new Pair();
        ((Map<String, Object>) misnamed.exports.get("metadata")).put("name", "green");
        assertThat(failing(misnamed, "exports")).singleElement().satisfies(f -> {
            assertThat(f.evidence()).isEqualTo("blue/ExportedServiceSet blue-mesh-system/green is named like no ServiceMeshPeer; "
                    + "Maistra reads the one named like the peer, green-mesh: nothing is exported");
            assertThat(f.fix()).isEqualTo("rename it to green-mesh (create it under that name and delete green)");
        });

        Pair typo = new Pair();
        ((List<Object>) Tree.get(typo.exports, "spec", "exportRules")).set(0, exportRule("nfs-app-istio", "dokuwki"));
        assertThat(failing(typo, "exports")).singleElement().extracting(Finding::evidence).isEqualTo(
                "blue/ExportedServiceSet blue-mesh-system/green-mesh exportRules[0] (NameSelector nfs-app-istio/dokuwki) selects "
                        + "no Service of the mesh's members [nfs-app-istio]");

        Pair outside = new Pair();
        Map<String, Object> api = Tree.map("apiVersion", "v1", "kind", "Service", "metadata", Tree.map("name", "api",
                "namespace", "payments"), "spec", Tree.map("ports", List.of(Tree.map("port", 80))));
        outside.blueServices.add(api);
        ((List<Object>) Tree.get(outside.exports, "spec", "exportRules")).add(Tree.map("type", "NameSelector",
                "nameSelector", Tree.map("namespace", "payments", "name", "api")));
        assertThat(failing(outside, "exports")).singleElement().satisfies(f -> {
            assertThat(f.evidence()).endsWith("exportRules[1] (NameSelector payments/api) selects Service payments/api, but "
                    + "payments is not a member of the mesh (members: [nfs-app-istio])");
            assertThat(f.fix()).isEqualTo("add payments to the ServiceMeshMemberRoll in blue-mesh-system on blue");
        });

        Pair hidden = new Pair();
        Map<String, Object> dokuwiki = Tree.map("apiVersion", "v1", "kind", "Service", "metadata", Tree.map("name", "dokuwiki",
                "namespace", "nfs-app-istio", "annotations", Tree.map("networking.istio.io/exportTo", ".")),
                "spec", Tree.map("ports", List.of(Tree.map("port", 8080))));
        hidden.blueServices.set(0, dokuwiki);
        assertThat(failing(hidden, "exports")).singleElement().extracting(Finding::evidence).asString().contains(
                "blue/Service nfs-app-istio/dokuwiki is selected but hidden from the control plane by its "
                        + "networking.istio.io/exportTo .");
    }

    @Test
    @DisplayName("export rules as Maistra evaluates them: wildcards, a LabelSelector's aliases in order, the first match wins")
    void exportSemantics() {
        var service = new ServiceSetRules.Name("shop", "cart");
        Map<String, Object> byLabel = Tree.map("type", "LabelSelector", "labelSelector", Tree.map("namespace", "*",
                "selector", Tree.map("matchLabels", Tree.map("export", "yes")),
                "aliases", List.of(Tree.map("namespace", "shop", "name", "*", "alias", Tree.map("namespace", "store", "name", "")),
                        Tree.map("namespace", "*", "name", "cart", "alias", Tree.map("namespace", "never", "name", "never")))));
        assertThat(ServiceSetRules.exportAs(byLabel, service, Map.of("export", "yes"))).hasValue(
                new ServiceSetRules.Name("store", "cart"));
        assertThat(ServiceSetRules.exportAs(byLabel, service, Map.of("export", "no"))).isEmpty();
        Map<String, Object> everything = Tree.map("type", "LabelSelector", "labelSelector", Tree.map());
        assertThat(ServiceSetRules.exportAs(everything, service, Map.of())).hasValue(service);
        Map<String, Object> named = Tree.map("type", "NameSelector", "nameSelector", Tree.map("namespace", "",
                "name", "cart", "alias", Tree.map("namespace", "*", "name", "basket")));
        assertThat(ServiceSetRules.exportAs(named, service, Map.of())).hasValue(new ServiceSetRules.Name("shop", "basket"));
        assertThat(ServiceSetRules.skippedExport(Tree.map("type", "NameSelector"))).isEqualTo(
                "type NameSelector without nameSelector");
        assertThat(ServiceSetRules.skippedImport(Tree.map("type", "NameSelector", "importAsLocal", true,
                "nameSelector", Tree.map("name", "cart", "alias", Tree.map("namespace", "*"))), null))
                .isEqualTo("importAsLocal needs a fixed nameSelector.alias.namespace");
    }

    @Test
    @DisplayName("imports: a rule naming the exporter's local name (empty localService); the cluster's own domain; "
            + "no set while the peer exports")
    @SuppressWarnings("unchecked")
    void imports() {
        Pair local = new Pair();
        // blue exports its dokuwiki as legacy/wiki; green's rule still names blue's own nfs-app-istio/dokuwiki
        ((List<Object>) Tree.get(local.exports, "spec", "exportRules")).set(0, Tree.map("type", "NameSelector",
                "nameSelector", Tree.map("namespace", "nfs-app-istio", "name", "dokuwiki",
                        "alias", Tree.map("namespace", "legacy", "name", "wiki"))));
        local.exports.remove("status");
        assertThat(failing(local, "imports")).singleElement().satisfies(f -> {
            assertThat(f.cluster()).isEqualTo("green");
            assertThat(f.evidence()).isEqualTo("green/ImportedServiceSet green-mesh-system/blue-mesh importRules[0] "
                    + "(NameSelector nfs-app-istio/dokuwiki) names nfs-app-istio/dokuwiki, blue's own name of the service it "
                    + "exports as legacy/wiki (wiki.legacy.svc.green-mesh-exports.local); import rules match the exported name, "
                    + "so its status shows an empty localService");
            assertThat(f.fix()).isEqualTo("set nameSelector of importRules[0] (NameSelector nfs-app-istio/dokuwiki) in "
                    + "green/ImportedServiceSet green-mesh-system/blue-mesh to namespace: legacy, name: wiki");
        });

        Pair ownDomain = new Pair();
        ((Map<String, Object>) ((List<Object>) Tree.get(ownDomain.imports, "spec", "importRules")).get(0))
                .put("domainSuffix", "svc.cluster.local");
        assertThat(failing(ownDomain, "imports")).singleElement().extracting(Finding::evidence).asString()
                .endsWith("domainSuffix 'svc.cluster.local' is the cluster's own domain (Maistra says: use importAsLocal "
                        + "instead), so Maistra skips it");

        Pair none = new Pair();
        ((Map<String, Object>) none.imports.get("metadata")).put("namespace", "nfs-app-istio");
        assertThat(failing(none, "imports")).singleElement().extracting(Finding::evidence).isEqualTo(
                "green/ImportedServiceSet nfs-app-istio/blue-mesh is outside the control plane's namespace green-mesh-system, "
                        + "the only one Maistra reads: nothing is imported");
    }

    @Test
    @DisplayName("routes: a host not imported, a port the exported Service lacks, a missing Gateway, weights not adding to 100")
    @SuppressWarnings("unchecked")
    void routes() {
        Pair typo = new Pair();
        typo.route = virtualService("dokuwiki.nfs-app-istio.svc.blue-mesh-imports.local", 100, 8080);
        assertThat(failing(typo, "routes")).singleElement().satisfies(f -> {
            assertThat(f.evidence()).isEqualTo("green/VirtualService nfs-app-istio/dokuwiki spec.http[0] routes to "
                    + "dokuwiki.nfs-app-istio.svc.blue-mesh-imports.local, which green does not import from blue (it imports "
                    + "[blue-dokuwiki.nfs-app-istio.svc.blue-mesh-imports.local])");
            assertThat(f.fix()).isEqualTo("route green/VirtualService nfs-app-istio/dokuwiki spec.http[0] to one of "
                    + "[blue-dokuwiki.nfs-app-istio.svc.blue-mesh-imports.local]");
        });

        Pair port = new Pair();
        port.route = virtualService("blue-dokuwiki.nfs-app-istio.svc.blue-mesh-imports.local", 100, 80);
        assertThat(failing(port, "routes")).singleElement().extracting(Finding::evidence).isEqualTo(
                "green/VirtualService nfs-app-istio/dokuwiki spec.http[0] routes to "
                        + "blue-dokuwiki.nfs-app-istio.svc.blue-mesh-imports.local port 80; blue/Service nfs-app-istio/dokuwiki "
                        + "has ports [8080]");

        Pair weights = new Pair();
        Map<String, Object> second = (Map<String, Object>) ((List<Object>) ((Map<String, Object>) ((List<Object>)
                Tree.get(weights.route, "spec", "http")).get(0)).get("route")).get(1);
        second.put("weight", 90);
        ((Map<String, Object>) weights.route.get("spec")).put("gateways", List.of("istio-system/shared"));
        assertThat(failing(weights, "routes")).singleElement().extracting(Finding::evidence).isEqualTo(
                "green/VirtualService nfs-app-istio/dokuwiki spec.http[0] weights add up to 90, not 100; "
                        + "green/VirtualService nfs-app-istio/dokuwiki names Gateway istio-system/shared, which does not exist on green");
    }

    @Test
    @DisplayName("load balancer: MetalLB's pool and advertisement outside the operand's namespace (the seed's mistake)")
    void metallb() {
        Pair seed = new Pair();
        seed.blueMetallb = metallb("openshift-operators");
        assertThat(failing(seed, "load balancer")).singleElement().satisfies(f -> {
            assertThat(f.evidence()).isEqualTo("blue/IPAddressPool openshift-operators/blue-pool, blue/L2Advertisement "
                    + "openshift-operators/blue-l2 are not in metallb-system, the only namespace blue/MetalLB metallb-system/metallb reads");
            assertThat(f.fix()).isEqualTo("create IPAddressPool blue-pool and L2Advertisement blue-l2 in metallb-system (and delete "
                    + "them where they are)");
        });
        Pair outOfPool = new Pair();
        outOfPool.blueMetallb = List.of(metallb("metallb-system").get(0), object("metallb.io/v1beta1", "IPAddressPool",
                "metallb-system", "blue-pool", Tree.map("addresses", List.of("10.0.2.0/24"))), metallb("metallb-system").get(2));
        assertThat(failing(outOfPool, "load balancer")).singleElement().extracting(Finding::evidence).isEqualTo(
                "blue/Service blue-mesh-system/ingress-green-mesh has 10.0.0.5, from none of the advertised pools "
                        + "[metallb-system/blue-pool]");
        assertThat(Ipv4Ranges.contains(List.of("10.0.2.0/24"), "10.0.2.255")).isTrue();
        assertThat(Ipv4Ranges.contains(List.of("10.0.2.0/24", "10.0.3.1-10.0.3.9"), "10.0.3.10")).isFalse();
    }

    @Test
    @DisplayName("operator: OSSM-3599 on 2.3.0-2.3.2 fails, OSSM-2376 before 2.2.5 warns")
    void operator() {
        Pair defect = new Pair();
        defect.operatorVersion = "2.3.1";
        assertThat(failing(defect, "operator")).singleElement().satisfies(f -> {
            assertThat(f.status()).isEqualTo(Finding.Status.FAIL);
            assertThat(f.evidence()).startsWith("blue/ClusterServiceVersion openshift-operators/servicemeshoperator.v2.3.1 "
                    + "(2.3.1) has OSSM-3599");
            assertThat(f.fix()).isEqualTo("upgrade the Service Mesh operator (its Subscription "
                    + "openshift-operators/servicemeshoperator) to 2.3.3 or later");
        });
        Pair old = new Pair();
        old.operatorVersion = "2.2.3";
        assertThat(failing(old, "operator")).singleElement().satisfies(f -> {
            assertThat(f.status()).isEqualTo(Finding.Status.WARN);
            assertThat(f.evidence()).contains("has OSSM-2376");
        });
    }

    @Test
    @DisplayName("peer address: a discovery port the peer's ingress does not have")
    @SuppressWarnings("unchecked")
    void ports() {
        Pair pair = new Pair();
        ((Map<String, Object>) Tree.get(pair.bluePeer, "spec", "remote")).put("discoveryPort", 8189);
        assertThat(failing(pair, "peer address")).singleElement().satisfies(f -> {
            assertThat(f.evidence()).isEqualTo("blue/ServiceMeshPeer blue-mesh-system/green-mesh dials spec.remote.discoveryPort "
                    + "8189; green/Service green-mesh-system/ingress-blue-mesh has ports [15443, 8188]");
            assertThat(f.fix()).isEqualTo("set spec.remote.discoveryPort of blue/ServiceMeshPeer blue-mesh-system/green-mesh to "
                    + "green/Service green-mesh-system/ingress-blue-mesh's ports for 8188 and 15443");
        });
    }

    @Test
    @DisplayName("client ID: right, but the peer has no such service account; connection: watching, but nothing inbound")
    @SuppressWarnings("unchecked")
    void accountAndInbound() {
        Pair noAccount = new Pair();
        noAccount.greenServiceAccount = false;
        assertThat(failing(noAccount, "client ID")).singleElement().extracting(Finding::evidence).asString()
                .endsWith(", but green/ServiceAccount green-mesh-system/egress-blue-mesh-service-account does not exist: green "
                        + "has no egress gateway egress-blue-mesh running as it");
        Pair oneWay = new Pair();
        ((Map<String, Object>) ((List<Object>) Tree.get(oneWay.bluePeer, "status", "discoveryStatus", "active")).get(0))
                .put("remotes", List.of(Tree.map("connected", false, "source", "10.128.0.10")));
        assertThat(failing(oneWay, "connection")).singleElement().extracting(Finding::evidence).asString()
                .endsWith("but no connection from green is listed in its remotes");
    }
}
