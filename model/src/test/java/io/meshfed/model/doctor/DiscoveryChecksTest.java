package io.meshfed.model.doctor;

import io.meshfed.model.resource.Tree;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The doctor's manual-discovery check on the migration guide's own example (east imports httpbin from west):
 * the path passes, and each link of it, broken on its own, is the failure named with its fix.
 */
class DiscoveryChecksTest {

    private static final String HOST = "httpbin.a.svc.west-mesh-imports.local";

    private static Map<String, Object> object(String apiVersion, String kind, String ns, String name, Map<String, Object> labels,
                                              Map<String, Object> rest) {
        Map<String, Object> o = Tree.map("apiVersion", apiVersion, "kind", kind,
                "metadata", Tree.map("name", name, "namespace", ns, "labels", labels));
        o.putAll(rest);
        return o;
    }

    private static Map<String, Object> smcp(String domain, String network, List<String> aliases) {
        return object("maistra.io/v2", "ServiceMeshControlPlane", "istio-system", "basic", null, Map.of("spec", Tree.map(
                "security", Map.of("trust", Map.of("domain", domain)), "cluster", Map.of("network", network),
                "techPreview", Map.of("meshConfig", Map.of("trustDomainAliases", aliases)))));
    }

    private static List<Map<String, Object>> east(String gatewayAddress) {
        return new ArrayList<>(List.of(
                smcp("east.local", "network-east-mesh", List.of("west.local")),
                object("gateway.networking.k8s.io/v1", "Gateway", "istio-system", "remote-gateway-network-west-mesh",
                        Map.of("topology.istio.io/network", "west-network"), Map.of("spec", Map.of("gatewayClassName", "istio-remote",
                                "addresses", List.of(Map.of("type", "IPAddress", "value", gatewayAddress))))),
                object("networking.istio.io/v1beta1", "ServiceEntry", "istio-system", "httpbin-west-mesh-imports", null,
                        Map.of("spec", Map.of("hosts", List.of(HOST), "location", "MESH_INTERNAL", "resolution", "STATIC",
                                "workloadSelector", Map.of("labels", Map.of("app", "httpbin-west-imports"))))),
                object("networking.istio.io/v1beta1", "WorkloadEntry", "istio-system", "httpbin-west-mesh-imports",
                        Map.of("app", "httpbin-west-imports", "security.istio.io/tlsMode", "istio"),
                        Map.of("spec", Map.of("network", "west-network")))));
    }

    private static List<Map<String, Object>> west(List<String> exposed, List<String> aliases) {
        return new ArrayList<>(List.of(
                smcp("west.local", "network-west-mesh", aliases),
                object("v1", "Service", "istio-ingress", "eastwestgateway-istio", Map.of("istio.io/gateway-name", "eastwestgateway"),
                        Map.of("status", Map.of("loadBalancer", Map.of("ingress", List.of(Map.of("ip", "192.0.2.10")))))),
                object("networking.istio.io/v1beta1", "Gateway", "istio-ingress", "expose-services", null,
                        Map.of("spec", Map.of("selector", Map.of("istio.io/gateway-name", "eastwestgateway"),
                                "servers", List.of(Map.of("port", Map.of("number", 15443, "name", "tls", "protocol", "TLS"),
                                        "tls", Map.of("mode", "AUTO_PASSTHROUGH"), "hosts", exposed))))),
                object("networking.istio.io/v1beta1", "ServiceEntry", "a", "httpbin-a-svc-east-mesh-exports-local", null,
                        Map.of("spec", Map.of("hosts", List.of(HOST), "location", "MESH_INTERNAL", "resolution", "STATIC",
                                "workloadSelector", Map.of("labels", Map.of("app", "httpbin"))))),
                object("v1", "Service", "a", "httpbin", null, Map.of("spec", Map.of("selector", Map.of("app", "httpbin"))))));
    }

    private static List<Finding> check(List<Map<String, Object>> east, List<Map<String, Object>> west) {
        ClusterSnapshot e = new ClusterSnapshot("east", east, Set.of());
        ClusterSnapshot w = new ClusterSnapshot("west", west, Set.of());
        return DiscoveryChecks.check(e, List.of(e, w));
    }

    private static List<Map<String, Object>> without(List<Map<String, Object>> objects, String name, UnaryOperator<Map<String, Object>> change) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> o : objects) {
            Map<String, Object> changed = name.equals(Tree.get(o, "metadata", "name")) ? change.apply(o) : o;
            if (changed != null) {
                out.add(changed);
            }
        }
        return out;
    }

    @Test
    @DisplayName("the guide's east and west: the host reaches west's workloads; each broken link is the failure, with its fix")
    void eachLink() {
        List<Finding> ok = check(east("192.0.2.10"), west(List.of(HOST), List.of("east.local")));
        assertThat(ok).singleElement().satisfies(f -> {
            assertThat(f.status()).isEqualTo(Finding.Status.OK);
            assertThat(f.peer()).isEqualTo("west");
            assertThat(f.evidence()).contains("1 host(s) reach west's workloads through east/Gateway istio-system/"
                    + "remote-gateway-network-west-mesh -> 192.0.2.10 (west/Service istio-ingress/eastwestgateway-istio)");
        });

        assertThat(check(east("192.0.2.99"), west(List.of(HOST), List.of("east.local")))).singleElement()
                .satisfies(f -> assertThat(f.evidence()).contains("to 192.0.2.99, where no cluster's east-west gateway answers"));
        assertThat(check(without(east("192.0.2.10"), "remote-gateway-network-west-mesh", o -> null), west(List.of(HOST),
                List.of("east.local")))).singleElement().satisfies(f -> {
                    assertThat(f.status()).isEqualTo(Finding.Status.FAIL);
                    assertThat(f.evidence()).contains("no istio-remote Gateway is on it");
                    assertThat(f.fix()).contains("topology.istio.io/network=west-network");
                });
        assertThat(check(east("192.0.2.10"), west(List.of("other.example.com"), List.of("east.local")))).singleElement()
                .satisfies(f -> assertThat(f.evidence()).contains("passes " + HOST + " through nowhere"));
        assertThat(check(east("192.0.2.10"), without(west(List.of(HOST), List.of("east.local")),
                "httpbin-a-svc-east-mesh-exports-local", o -> null))).singleElement()
                .satisfies(f -> assertThat(f.evidence()).contains("west has no Service or ServiceEntry for " + HOST));
        assertThat(check(east("192.0.2.10"), west(List.of(HOST), List.of()))).singleElement()
                .satisfies(f -> assertThat(f.fix()).isEqualTo("add east.local to techPreview.meshConfig.trustDomainAliases of west's control plane"));
        // the WorkloadEntry on east's own network: a local endpoint, not manual discovery across networks
        assertThat(check(without(east("192.0.2.10"), "httpbin-west-mesh-imports", o -> o.get("kind").equals("WorkloadEntry")
                ? Tree.map("apiVersion", o.get("apiVersion"), "kind", "WorkloadEntry", "metadata", o.get("metadata"),
                        "spec", Map.of("network", "network-east-mesh")) : o), west(List.of(HOST), List.of("east.local")))).isEmpty();
    }

    /** The mesh's 2.6 control plane replaced by OSSM 3's Istio alone (the migration's cleanup). */
    private static List<Map<String, Object>> onIstio(List<Map<String, Object>> objects) {
        return without(objects, "basic", smcp -> object("sailoperator.io/v1", "Istio", null, "default", null, Map.of("spec", Tree.map(
                "namespace", "istio-system", "values", Tree.map(
                        "meshConfig", Tree.map("trustDomain", Tree.get(smcp, "spec", "security", "trust", "domain"),
                                "trustDomainAliases", Tree.get(smcp, "spec", "techPreview", "meshConfig", "trustDomainAliases")),
                        "global", Tree.map("network", Tree.get(smcp, "spec", "cluster", "network")))))));
    }

    @Test
    @DisplayName("2.6 removed: the trust domains and networks are the Istios'; a missing alias names the Istio to fix")
    void onOssm3Alone() {
        ClusterSnapshot east = new ClusterSnapshot("east", onIstio(east("192.0.2.10")), Set.of());
        assertThat(east.migratedFromFederation()).isTrue();
        assertThat(east.trustDomain()).isEqualTo("east.local");
        assertThat(east.network()).isEqualTo("network-east-mesh");
        assertThat(check(onIstio(east("192.0.2.10")), onIstio(west(List.of(HOST), List.of("east.local"))))).singleElement()
                .satisfies(f -> assertThat(f.status()).isEqualTo(Finding.Status.OK));
        assertThat(check(onIstio(east("192.0.2.10")), onIstio(west(List.of(HOST), List.of())))).singleElement()
                .satisfies(f -> {
                    assertThat(f.evidence()).contains("west's mesh does not accept trust domain east.local");
                    assertThat(f.fix()).isEqualTo("add east.local to values.meshConfig.trustDomainAliases of west's Istio");
                });
        // an Istio of an OSSM 3 multi-cluster mesh is not a migrated federation's
        Map<String, Object> multi = object("sailoperator.io/v1", "Istio", null, "default", null, Map.of("spec", Tree.map("values",
                Tree.map("global", Tree.map("multiCluster", Tree.map("clusterName", "east"))))));
        assertThat(new ClusterSnapshot("east", List.of(multi), Set.of()).migratedFromFederation()).isFalse();
    }
}
