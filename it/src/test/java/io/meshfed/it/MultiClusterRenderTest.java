package io.meshfed.it;

import io.meshfed.inventory.InventoryLoader;
import io.meshfed.model.render.FederationRenderer;
import io.meshfed.model.resource.DesiredObject;
import io.meshfed.model.resource.Tree;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What meshfed renders for one cluster of an OSSM 3 multi-primary, multi-network mesh, against what the
 * Sail operator's guide applies by hand (its resources, copied under src/test/resources/sail-docs, for
 * network1): the east-west gateway's Service ports, selector and type, its Deployment's injection
 * template, labels, requested network view and ports, its Role and RoleBinding, and the cross-network
 * Gateway; the Istio's values as the guide writes them.
 */
class MultiClusterRenderTest {

    private static List<DesiredObject> rendered;

    @BeforeAll
    static void render() {
        rendered = FederationRenderer.render(InventoryLoader.load(Repo.example("ossm3-multi-primary")));
    }

    @Test
    @DisplayName("the east-west gateway is the guide's (gen-eastwest-gateway.sh): Service ports, selector and type; Deployment template; Role and RoleBinding")
    void eastWestGatewayAsTheGuide() throws IOException {
        // the guide's network1 is the example's east (one network per cluster, named after it)
        List<Map<String, Object>> guide = documents("east-west-gateway-net1.yaml", "network1", "east");
        Map<String, Object> service = object("east", "Service", "istio-eastwestgateway");
        Map<String, Object> guideService = find(guide, "Service");
        assertThat(Tree.get(service, "spec", "ports")).isEqualTo(Tree.get(guideService, "spec", "ports"));
        assertThat(Tree.get(service, "spec", "selector")).isEqualTo(Tree.get(guideService, "spec", "selector"));
        assertThat(Tree.get(service, "spec", "type")).isEqualTo("LoadBalancer");

        Map<String, Object> deployment = object("east", "Deployment", "istio-eastwestgateway");
        Map<String, Object> guideDeployment = find(guide, "Deployment");
        assertThat(Tree.get(deployment, "spec", "selector")).isEqualTo(Tree.get(guideDeployment, "spec", "selector"));
        assertThat((Map<String, Object>) Tree.get(deployment, "spec", "template", "metadata", "annotations"))
                .containsEntry("inject.istio.io/templates", "gateway");
        Map<String, Object> guideLabels = (Map<String, Object>) Tree.get(guideDeployment, "spec", "template", "metadata", "labels");
        Map<String, Object> labels = (Map<String, Object>) Tree.get(deployment, "spec", "template", "metadata", "labels");
        for (String key : List.of("app", "istio", "sidecar.istio.io/inject", "topology.istio.io/network")) {
            assertThat(labels).as(key).containsEntry(key, guideLabels.get(key));
        }
        Map<String, Object> container = ((List<Map<String, Object>>) Tree.get(deployment, "spec", "template", "spec",
                "containers")).get(0);
        Map<String, Object> guideContainer = ((List<Map<String, Object>>) Tree.get(guideDeployment, "spec", "template", "spec",
                "containers")).get(0);
        assertThat(container.get("name")).isEqualTo(guideContainer.get("name"));
        assertThat(container.get("image")).isEqualTo("auto");
        assertThat((List<Object>) container.get("env")).contains(((List<Object>) guideContainer.get("env")).get(0));
        assertThat(ports(container)).containsExactlyElementsOf(ports(guideContainer).subList(0, 4));
        assertThat(Tree.get(deployment, "spec", "template", "spec", "serviceAccountName"))
                .isEqualTo(Tree.get(guideDeployment, "spec", "template", "spec", "serviceAccountName"));

        assertThat(object("east", "Role", "istio-eastwestgateway-sds").get("rules")).isEqualTo(find(guide, "Role").get("rules"));
        Map<String, Object> binding = object("east", "RoleBinding", "istio-eastwestgateway-sds");
        assertThat(binding.get("roleRef")).isEqualTo(find(guide, "RoleBinding").get("roleRef"));
        assertThat(binding.get("subjects")).isEqualTo(find(guide, "RoleBinding").get("subjects"));
        assertThat(object("east", "ServiceAccount", "istio-eastwestgateway-service-account")).isNotNull();
    }

    @Test
    @DisplayName("the cross-network Gateway is the guide's (AUTO_PASSTHROUGH on 15443 for *.local); the Istio's values are the guide's, per cluster")
    void crossNetworkGatewayAndIstioAsTheGuide() throws IOException {
        Map<String, Object> guideGateway = documents("expose-services.yaml", "network1", "east").get(0);
        for (String cluster : List.of("east", "west", "central")) {
            assertThat(object(cluster, "Gateway", "cross-network-gateway").get("spec")).isEqualTo(guideGateway.get("spec"));
            Map<String, Object> istio = object(cluster, "Istio", "default");
            assertThat(Tree.get(istio, "spec", "values")).isEqualTo(Map.of("global", Map.of("meshID", "mesh1",
                    "multiCluster", Map.of("clusterName", cluster), "network", cluster)));
            assertThat(Tree.get(istio, "spec", "namespace")).isEqualTo("istio-system");
        }
    }

    private static List<Object> ports(Map<String, Object> container) {
        List<Object> ports = new ArrayList<>();
        for (Map<String, Object> p : (List<Map<String, Object>>) container.get("ports")) {
            ports.add(p.get("containerPort"));
        }
        return ports;
    }

    private static Map<String, Object> object(String cluster, String kind, String name) {
        return rendered.stream().filter(o -> o.ref().cluster().equals(cluster) && o.ref().kind().equals(kind)
                        && o.ref().name().equals(name)).findFirst()
                .map(DesiredObject::content).orElseThrow(() -> new AssertionError(cluster + " " + kind + " " + name + " not rendered"));
    }

    private static Map<String, Object> find(List<Map<String, Object>> documents, String kind) {
        return documents.stream().filter(d -> kind.equals(d.get("kind"))).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> documents(String resource, String network, String as) throws IOException {
        try (InputStream in = MultiClusterRenderTest.class.getResourceAsStream("/sail-docs/" + resource)) {
            String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).replace(network, as);
            List<Map<String, Object>> documents = new ArrayList<>();
            for (Object d : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(text)) {
                if (d instanceof Map<?, ?> m) {
                    documents.add((Map<String, Object>) m);
                }
            }
            return documents;
        }
    }
}
