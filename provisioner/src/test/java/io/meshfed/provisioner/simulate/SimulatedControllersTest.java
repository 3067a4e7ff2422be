package io.meshfed.provisioner.simulate;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The simulated controllers, rule by rule, through the API with the real fabric8 client: OLM,
 * MetalLB (and cloud load balancers), the Service Mesh operator and istiod's root CA.
 */
class SimulatedControllersTest {

    private static Simulation simulation;
    private static KubernetesClient metal;
    private static KubernetesClient cloud;
    private static KubernetesClient fresh;

    @BeforeAll
    static void start() {
        simulation = Simulation.start(List.of(new Simulation.ClusterSpec("metal", false),
                new Simulation.ClusterSpec("cloud", true), new Simulation.ClusterSpec("fresh", true)), new SimulationTiming(Duration.ofMillis(100),
                Duration.ofMillis(200), Duration.ofMillis(50)));
        metal = simulation.require("metal").newClient();
        cloud = simulation.require("cloud").newClient();
        fresh = simulation.require("fresh").newClient();
    }

    @AfterAll
    static void stop() {
        metal.close();
        cloud.close();
        fresh.close();
        simulation.close();
    }

    static String subscription(String name, String ns) {
        return """
                apiVersion: operators.coreos.com/v1alpha1
                kind: Subscription
                metadata: {name: %s, namespace: %s}
                spec: {channel: stable, name: %s, source: redhat-operators, sourceNamespace: openshift-marketplace}
                """.formatted(name, ns, name);
    }

    static String csvPhase(KubernetesClient client, String ns, String subscription) {
        Object csv = Yaml.status(client, Kinds.SUBSCRIPTION, ns, subscription, "installedCSV");
        return csv == null ? null : (String) Yaml.status(client, Kinds.CSV, ns, (String) csv, "phase");
    }

    /** Installs the seed's four operators, in order, on a cluster. */
    static void installServiceMesh(KubernetesClient client) {
        for (String op : List.of("elasticsearch-operator", "jaeger-product", "kiali-ossm", "servicemeshoperator")) {
            Yaml.create(client, subscription(op, "openshift-operators"));
            Await.until(op + " installed", () -> csvPhase(client, "openshift-operators", op), "Succeeded"::equals);
        }
    }

    @Test
    @DisplayName("a new cluster serves core v1, the built-in groups, OLM and Routes, but no uninstalled operator's kinds: a CR without its CRD is 404")
    void newCluster() {
        List<String> groups = cloud.getApiGroups().getGroups().stream().map(g -> g.getName()).toList();
        assertThat(groups).contains("apps", "operators.coreos.com", "route.openshift.io").doesNotContain("metallb.io");
        assertThat(cloud.getApiResources("v1").getResources()).anyMatch(r -> r.getName().equals("services/status"));
        assertThat(cloud.namespaces().withName("openshift-operators").get()).isNotNull();
        assertThat(cloud.genericKubernetesResources(Kinds.OPERATOR_GROUP).inNamespace("openshift-operators")
                .withName("global-operators").get()).isNotNull();
        var pool = new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder().withApiVersion("metallb.io/v1beta1")
                .withKind("IPAddressPool").withNewMetadata().withName("p").withNamespace("default").endMetadata()
                .addToAdditionalProperties("spec", Map.of("addresses", List.of("10.0.0.1-10.0.0.2"))).build();
        assertThatThrownBy(() -> cloud.genericKubernetesResources(Kinds.IP_POOL).inNamespace("default").resource(pool).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(404));
    }

    @Test
    @DisplayName("OLM: unknown package, no OperatorGroup, missing requirement each leave the Subscription pending, saying why")
    void olmPending() {
        Yaml.create(metal, subscription("no-such-operator", "openshift-operators"));
        metal.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("lonely").endMetadata().build()).create();
        Yaml.create(metal, subscription("kiali-ossm", "lonely"));

        assertThat(Await.until("unknown package condition", () -> condition(metal, "openshift-operators", "no-such-operator"),
                m -> m.contains("no operator"))).contains("no operator 'no-such-operator' in catalog redhat-operators");
        assertThat(Await.until("no OperatorGroup condition", () -> condition(metal, "lonely", "kiali-ossm"),
                m -> m.contains("OperatorGroup"))).contains("no OperatorGroup in namespace lonely");
    }

    @Test
    @DisplayName("OLM: Service Mesh waits for Elasticsearch, Jaeger and Kiali; each CSV goes Installing → Succeeded and brings its CRDs")
    void olmInstallsServiceMesh() {
        Yaml.create(fresh, subscription("servicemeshoperator", "openshift-operators"));
        assertThat(Await.until("service mesh pending", () -> condition(fresh, "openshift-operators", "servicemeshoperator"),
                m -> m.contains("requires"))).contains("elasticsearch-operator, jaeger-product, kiali-ossm");

        Yaml.create(fresh, subscription("elasticsearch-operator", "openshift-operators"));
        assertThat(Await.until("elasticsearch installing", () -> csvPhase(fresh, "openshift-operators",
                "elasticsearch-operator"), p -> true)).isIn("Installing", "Succeeded");
        Await.until("elasticsearch installed", () -> csvPhase(fresh, "openshift-operators", "elasticsearch-operator"),
                "Succeeded"::equals);
        for (String op : List.of("jaeger-product", "kiali-ossm")) {
            Yaml.create(fresh, subscription(op, "openshift-operators"));
            Await.until(op + " installed", () -> csvPhase(fresh, "openshift-operators", op), "Succeeded"::equals);
        }
        Await.until("service mesh installed", () -> csvPhase(fresh, "openshift-operators", "servicemeshoperator"),
                "Succeeded"::equals);
        assertThat(fresh.apiextensions().v1().customResourceDefinitions().list().getItems())
                .extracting(c -> c.getMetadata().getName())
                .contains("servicemeshcontrolplanes.maistra.io", "servicemeshpeers.federation.maistra.io",
                        "virtualservices.networking.istio.io", "jaegers.jaegertracing.io")
                .doesNotContain("ipaddresspools.metallb.io");
    }

    @Test
    @DisplayName("MetalLB: a LoadBalancer Service stays pending until operand, pool and L2Advertisement exist, then gets a pool address")
    void metallb() {
        metal.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("metallb-system").endMetadata()
                .build()).create();
        metal.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("web").endMetadata().build()).create();
        Yaml.create(metal, """
                apiVersion: operators.coreos.com/v1
                kind: OperatorGroup
                metadata: {name: metallb-system, namespace: metallb-system}
                """);
        Yaml.create(metal, subscription("metallb-operator", "metallb-system"));
        Await.until("metallb installed", () -> csvPhase(metal, "metallb-system", "metallb-operator"), "Succeeded"::equals);
        metal.services().inNamespace("web").resource(loadBalancer("front")).create();

        Yaml.create(metal, """
                apiVersion: metallb.io/v1beta1
                kind: IPAddressPool
                metadata: {name: pool, namespace: metallb-system}
                spec: {addresses: [192.168.50.10-192.168.50.11]}
                """);
        Yaml.create(metal, """
                apiVersion: metallb.io/v1beta1
                kind: MetalLB
                metadata: {name: metallb, namespace: metallb-system}
                """);
        sleep(300);
        assertThat(LoadBalancerController.address(metal.services().inNamespace("web").withName("front").get()))
                .as("no L2Advertisement yet: still pending").isNull();

        Yaml.create(metal, """
                apiVersion: metallb.io/v1beta1
                kind: L2Advertisement
                metadata: {name: pool, namespace: metallb-system}
                spec: {ipAddressPools: [pool]}
                """);
        String first = Await.until("address", () -> LoadBalancerController.address(
                metal.services().inNamespace("web").withName("front").get()), a -> true);
        assertThat(first).isEqualTo("192.168.50.10");
        metal.services().inNamespace("web").resource(loadBalancer("back")).create();
        assertThat(Await.until("second address", () -> LoadBalancerController.address(
                metal.services().inNamespace("web").withName("back").get()), a -> true)).isEqualTo("192.168.50.11");
    }

    @Test
    @DisplayName("cloud load balancer, no MetalLB needed: a hostname for an AWS load balancer, an IP on other clouds")
    void cloudHostname() {
        cloud.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build()).create();
        Service aws = loadBalancer("front");
        aws.getMetadata().setAnnotations(Map.of("service.beta.kubernetes.io/aws-load-balancer-type", "nlb"));
        cloud.services().inNamespace("shop").resource(aws).create();
        assertThat(Await.until("hostname", () -> LoadBalancerController.address(cloud.services().inNamespace("shop")
                .withName("front").get()), h -> true)).isEqualTo("front-shop.cloud.elb.simulated");
        cloud.services().inNamespace("shop").resource(loadBalancer("back")).create();
        var ingress = Await.until("ip", () -> {
            var status = cloud.services().inNamespace("shop").withName("back").get().getStatus().getLoadBalancer();
            return status == null || status.getIngress() == null || status.getIngress().isEmpty() ? null : status.getIngress().get(0);
        }, i -> i != null);
        assertThat(ingress.getHostname()).isNull();
        assertThat(ingress.getIp()).matches("198\\.18\\.\\d+\\.10");
    }

    @Test
    @DisplayName("Maistra: gateway Services with the SMCP's labels, ports and type, service accounts, istiod's and the gateways' Deployments, a real root CA in every member namespace, Ready after a delay")
    void controlPlane() throws Exception {
        installServiceMesh(cloud);
        for (String ns : List.of("red-mesh-system", "shop2")) {
            cloud.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        }
        Yaml.create(cloud, """
                apiVersion: maistra.io/v2
                kind: ServiceMeshControlPlane
                metadata: {name: red-mesh, namespace: red-mesh-system}
                spec:
                  version: v2.3
                  security: {trust: {domain: red-mesh.local}}
                  gateways:
                    additionalIngress:
                      ingress-blue-mesh:
                        enabled: true
                        service:
                          type: LoadBalancer
                          metadata: {labels: {federation.maistra.io/ingress-for: ingress-blue-mesh}}
                          ports: [{port: 15443, name: tls}, {port: 8188, name: https-discovery}]
                    additionalEgress:
                      egress-blue-mesh:
                        enabled: true
                        service:
                          metadata: {labels: {federation.maistra.io/egress-for: egress-blue-mesh}}
                          ports: [{port: 15443, name: tls}, {port: 8188, name: http-discovery}]
                """);
        Yaml.create(cloud, """
                apiVersion: maistra.io/v1
                kind: ServiceMeshMemberRoll
                metadata: {name: default, namespace: red-mesh-system}
                spec: {members: [shop2, not-created]}
                """);

        Service ingress = Await.until("ingress gateway", () -> cloud.services().inNamespace("red-mesh-system")
                .withName("ingress-blue-mesh").get(), s -> true);
        assertThat(ingress.getSpec().getType()).isEqualTo("LoadBalancer");
        assertThat(ingress.getMetadata().getLabels()).containsEntry("federation.maistra.io/ingress-for", "ingress-blue-mesh");
        assertThat(ingress.getSpec().getSelector()).containsEntry("federation.maistra.io/ingress-for", "ingress-blue-mesh");
        assertThat(ingress.getSpec().getPorts()).extracting(p -> p.getPort()).containsExactly(15443, 8188);
        Service egress = Await.until("egress gateway", () -> cloud.services().inNamespace("red-mesh-system")
                .withName("egress-blue-mesh").get(), s -> true);
        assertThat(egress.getSpec().getType()).isEqualTo("ClusterIP");
        Await.until("egress service account", () -> cloud.serviceAccounts().inNamespace("red-mesh-system")
                .withName("egress-blue-mesh-service-account").get(), sa -> true);
        // the Deployments a control plane runs: istiod and each gateway, their pods selected by the gateway's Service
        for (String deployment : List.of("istiod-red-mesh", "ingress-blue-mesh", "egress-blue-mesh")) {
            var d = Await.until(deployment + " available", () -> cloud.apps().deployments().inNamespace("red-mesh-system")
                    .withName(deployment).get(), x -> x.getStatus() != null && Integer.valueOf(1).equals(x.getStatus().getAvailableReplicas()));
            assertThat(d.getMetadata().getOwnerReferences()).extracting(r -> r.getKind()).containsExactly("ServiceMeshControlPlane");
        }
        assertThat(cloud.apps().deployments().inNamespace("red-mesh-system").withName("ingress-blue-mesh").get().getSpec()
                .getTemplate().getMetadata().getLabels()).containsAllEntriesOf(ingress.getSpec().getSelector());

        ConfigMap root = Await.until("root cert", () -> cloud.configMaps().inNamespace("red-mesh-system")
                .withName("istio-ca-root-cert").get(), c -> true);
        X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(root.getData().get("root-cert.pem").getBytes(StandardCharsets.UTF_8)));
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(ca.getSubjectX500Principal().getName()).contains("O=red-mesh.local");
        ca.verify(ca.getPublicKey());
        ConfigMap member = Await.until("root cert in member", () -> cloud.configMaps().inNamespace("shop2")
                .withName("istio-ca-root-cert").get(), c -> true);
        assertThat(member.getData()).isEqualTo(root.getData());

        assertThat(Await.until("ready", () -> readyCondition(cloud, "red-mesh-system", "red-mesh"), "True"::equals))
                .isEqualTo("True");
        Map<String, Object> roll = Await.until("member roll status", () -> Yaml.statusMap(cloud, Kinds.SMMR,
                "red-mesh-system", "default"), m -> m.containsKey("configuredMembers"));
        assertThat(roll.get("configuredMembers")).isEqualTo(List.of("shop2"));
        assertThat(roll.get("pendingMembers")).isEqualTo(List.of("not-created"));

        // what the operator made is owned by the control plane: garbage-collected with it
        assertThat(ingress.getMetadata().getOwnerReferences()).extracting(r -> r.getKind()).containsExactly("ServiceMeshControlPlane");
        cloud.genericKubernetesResources(Kinds.SMCP).inNamespace("red-mesh-system").withName("red-mesh").delete();
        // (the collector deletes the dependents one by one: wait for all of them)
        Await.until("gateways collected", () -> cloud.services().inNamespace("red-mesh-system").list().getItems().size()
                + cloud.apps().deployments().inNamespace("red-mesh-system").list().getItems().size()
                + cloud.serviceAccounts().inNamespace("red-mesh-system").withLabel(MaistraController.OWNER_LABEL).list()
                .getItems().size(), n -> n == 0);
        // the CA's Secret is istiod's, not the operator's: it stays (an OSSM 3 istiod in the namespace signs with it)
        assertThat(cloud.secrets().inNamespace("red-mesh-system").withName(IstiodCa.SECRET).get().getData())
                .containsKeys("ca-cert.pem", "ca-key.pem");
    }

    @Test
    @DisplayName("kube-controller-manager: a Deployment's replicas become available; a deleted namespace loses its contents, then goes")
    void kubeControllerManager() {
        metal.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("apps").endMetadata().build()).create();
        Yaml.create(metal, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: apps}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec: {containers: [{name: web, image: registry.example/web:1}]}
                """);
        var web = metal.apps().deployments().inNamespace("apps").withName("web");
        assertThat(Await.until("available", () -> web.get().getStatus() == null ? null
                : web.get().getStatus().getAvailableReplicas(), n -> n != null && n == 2)).isEqualTo(2);
        assertThat(web.get().getStatus().getObservedGeneration()).isEqualTo(web.get().getMetadata().getGeneration());
        metal.configMaps().inNamespace("apps").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata()
                .withName("settings").endMetadata().addToData("k", "v").build()).create();
        // a kind its group does not serve in its preferred version (OLM's v1alpha1 Subscriptions; the group prefers v1)
        Yaml.create(metal, subscription("no-such-operator", "apps"));

        metal.namespaces().withName("apps").delete();
        Await.until("namespace gone", () -> metal.namespaces().withName("apps").get() == null ? "gone" : "there",
                "gone"::equals);
        assertThat(metal.apps().deployments().inNamespace("apps").list().getItems()).isEmpty();
        assertThat(metal.configMaps().inNamespace("apps").list().getItems()).isEmpty();
        assertThat(metal.genericKubernetesResources("operators.coreos.com/v1alpha1", "Subscription").inNamespace("apps").list()
                .getItems()).as("Subscriptions of the deleted namespace").isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    @DisplayName("OLM: under installPlanApproval Manual the InstallPlan waits for approval; approved, the operator installs")
    void manualApproval() {
        metal.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("approval").endMetadata().build()).create();
        Yaml.create(metal, """
                apiVersion: operators.coreos.com/v1
                kind: OperatorGroup
                metadata: {name: approval, namespace: approval}
                """);
        Yaml.create(metal, """
                apiVersion: operators.coreos.com/v1alpha1
                kind: Subscription
                metadata: {name: kiali-ossm, namespace: approval}
                spec: {channel: stable, name: kiali-ossm, source: redhat-operators, sourceNamespace: openshift-marketplace,
                       installPlanApproval: Manual}
                """);
        assertThat(Await.until("waits for approval", () -> condition(metal, "approval", "kiali-ossm"),
                m -> m.contains("approval"))).contains("waits for approval");
        GenericKubernetesResource plan = metal.genericKubernetesResources(Kinds.INSTALL_PLAN).inNamespace("approval").list()
                .getItems().get(0);
        assertThat(Yaml.status(metal, Kinds.INSTALL_PLAN, "approval", plan.getMetadata().getName(), "phase"))
                .isEqualTo("RequiresApproval");
        sleep(300);
        assertThat(metal.genericKubernetesResources(Kinds.CSV).inNamespace("approval").list().getItems()).as("no CSV").isEmpty();

        metal.genericKubernetesResources(Kinds.INSTALL_PLAN).inNamespace("approval").withName(plan.getMetadata().getName())
                .edit(p -> {
                    ((Map<String, Object>) p.getAdditionalProperties().get("spec")).put("approved", true);
                    return p;
                });
        Await.until("installed", () -> csvPhase(metal, "approval", "kiali-ossm"), "Succeeded"::equals);
        assertThat(Yaml.status(metal, Kinds.INSTALL_PLAN, "approval", plan.getMetadata().getName(), "phase"))
                .isEqualTo("Complete");
    }

    @SuppressWarnings("unchecked")
    static String readyCondition(KubernetesClient client, String ns, String smcp) {
        Object conditions = Yaml.status(client, Kinds.SMCP, ns, smcp, "conditions");
        if (!(conditions instanceof List<?> list)) {
            return null;
        }
        return list.stream().map(c -> (Map<String, Object>) c).filter(c -> "Ready".equals(c.get("type")))
                .map(c -> (String) c.get("status")).findFirst().orElse(null);
    }

    @SuppressWarnings("unchecked")
    private static String condition(KubernetesClient client, String ns, String sub) {
        Object conditions = Yaml.status(client, Kinds.SUBSCRIPTION, ns, sub, "conditions");
        if (!(conditions instanceof List<?> list) || list.isEmpty()) {
            return null;
        }
        return String.valueOf(((Map<String, Object>) list.get(0)).get("message"));
    }

    private static Service loadBalancer(String name) {
        return new ServiceBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().withType("LoadBalancer")
                .addNewPort().withPort(443).withName("https").endPort().endSpec().build();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
