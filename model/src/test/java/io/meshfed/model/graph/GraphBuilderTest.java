package io.meshfed.model.graph;

import io.meshfed.model.Fixtures;
import io.meshfed.model.render.FederationRenderer;
import io.meshfed.model.inventory.Location;
import io.meshfed.model.resource.DesiredObject;
import io.meshfed.model.resource.LiveValue;
import io.meshfed.model.resource.ObjectRef;
import io.meshfed.model.resource.Ownership;
import io.meshfed.model.resource.Readiness;
import io.meshfed.model.resource.Tree;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class GraphBuilderTest {

    private static DesiredObject node(String cluster, String kind, String namespace, String name, Object... content) {
        return new DesiredObject(new ObjectRef(cluster, "v1", kind, namespace, name), Tree.map(content),
                Readiness.EXISTS, Ownership.MANAGED, Set.of());
    }

    private static ResourceGraph build(String rules, DesiredObject... nodes) {
        return new GraphBuilder(DefaultOrderingRules.parse(rules)).build(List.of(nodes));
    }

    @Test
    @DisplayName("rule edges bind placeholders from the dependent and stay within its cluster")
    void ruleEdges() {
        DesiredObject nsA = node("a", "Namespace", null, "apps");
        DesiredObject nsB = node("b", "Namespace", null, "apps");
        DesiredObject other = node("a", "Namespace", null, "other");
        DesiredObject cm = node("a", "ConfigMap", "apps", "x");

        ResourceGraph graph = build("ns: namespaced after kind:Namespace name:{namespace}", nsA, nsB, other, cm);

        assertThat(graph.edges()).containsExactly(new Edge(cm.ref(), nsA.ref(), "ns"));
        assertThat(graph.dependents(nsA.ref())).extracting(Edge::dependent).containsExactly(cm.ref());
    }

    @Test
    @DisplayName("a value read from another object is an edge to it, across clusters")
    void referenceEdges() {
        DesiredObject source = node("b", "ConfigMap", "ns", "ca");
        DesiredObject reader = node("a", "ConfigMap", "ns", "copy", "data",
                Map.of("pem", LiveValue.of(source.ref(), "data", "pem")));

        ResourceGraph graph = build("", reader, source);

        assertThat(graph.edges()).containsExactly(new Edge(reader.ref(), source.ref(), Edge.REFERENCE));
        assertThat(graph.edges().get(0).crossCluster()).isTrue();
        assertThat(graph.inDependencyOrder()).containsExactly(source, reader);
    }

    @Test
    @DisplayName("a reference to an object that is not rendered is an error naming both")
    void danglingReference() {
        ObjectRef missing = new ObjectRef("b", "v1", "ConfigMap", "ns", "gone");
        DesiredObject reader = node("a", "ConfigMap", "ns", "copy", "data", Map.of("pem", LiveValue.of(missing, "data")));

        assertThatThrownBy(() -> build("", reader))
                .isInstanceOf(GraphException.class)
                .hasMessage("a/ConfigMap/ns/copy reads {.data} from b/ConfigMap/ns/gone, which is not in the graph");
    }

    @Test
    @DisplayName("a cycle is an error that names every node of it, as a path")
    void cycleNamed() {
        DesiredObject a = node("x", "Alpha", "ns", "a");
        DesiredObject b = node("x", "Beta", "ns", "b");
        DesiredObject c = node("x", "Gamma", "ns", "c");

        assertThatThrownBy(() -> build("""
                        one: kind:Alpha after kind:Beta
                        two: kind:Beta after kind:Gamma
                        three: kind:Gamma after kind:Alpha
                        """, a, b, c))
                .isInstanceOf(GraphException.class)
                .hasMessageContaining("a cycle")
                .hasMessageContaining("x/Alpha/ns/a -[one]-> x/Beta/ns/b -[two]-> x/Gamma/ns/c -[three]-> x/Alpha/ns/a");
    }

    @Test
    @DisplayName("separate cycles are all reported, in a stable order")
    void everyCycleReported() {
        DesiredObject a = node("x", "A", "ns", "a");
        DesiredObject b = node("x", "B", "ns", "b");
        DesiredObject c = node("y", "C", "ns", "c");
        DesiredObject d = node("y", "D", "ns", "d");
        String rules = """
                ab: kind:A after kind:B
                ba: kind:B after kind:A
                cd: kind:C after kind:D
                dc: kind:D after kind:C
                """;

        GraphException cycles = catchThrowableOfType(GraphException.class, () -> build(rules, a, b, c, d));
        assertThat(cycles.involved()).containsExactly(a.ref(), b.ref(), c.ref(), d.ref());
        assertThat(cycles.locatedBy(Map.of(b.ref(), new Location("apps/b.yaml", 7, 1))).getMessage())
                .endsWith("\n  x/B/ns/b is written at apps/b.yaml:7:1");
        assertThatThrownBy(() -> build(rules, a, b, c, d))
                .hasMessageContaining("2 cycles")
                .hasMessageContaining("x/A/ns/a -[ab]-> x/B/ns/b -[ba]-> x/A/ns/a")
                .hasMessageContaining("y/C/ns/c -[cd]-> y/D/ns/d -[dc]-> y/C/ns/c");
    }

    @Test
    @DisplayName("a malformed ordering rule is refused with the line")
    void badRule() {
        assertThatThrownBy(() -> OrderingRule.parse("no colon here after kind:X"))
                .hasMessageContaining("name: <terms> after <terms>");
        assertThatThrownBy(() -> OrderingRule.parse("r: kind:A after bogusflag"))
                .hasMessageContaining("unknown selector flag 'bogusflag'").hasMessageContaining("r: kind:A after bogusflag");
    }

    @RepeatedTest(5)
    @DisplayName("default rules on a 4-cluster full mesh: acyclic, every dependency first, the same order every time")
    void defaultRulesOrderFullMesh() {
        ResourceGraph graph = GraphBuilder.withDefaultRules().build(FederationRenderer.render(Fixtures.fullMesh(4)));
        Map<ObjectRef, Integer> position = new HashMap<>();
        List<DesiredObject> order = graph.inDependencyOrder();
        for (int i = 0; i < order.size(); i++) {
            position.put(order.get(i).ref(), i);
        }
        assertThat(order).hasSameSizeAs(graph.nodes());
        for (Edge e : graph.edges()) {
            assertThat(position.get(e.dependency())).as(e.toString()).isLessThan(position.get(e.dependent()));
            if (e.crossCluster()) {
                assertThat(e.reason()).isEqualTo(Edge.REFERENCE);
            }
        }
        ResourceGraph again = GraphBuilder.withDefaultRules().build(FederationRenderer.render(Fixtures.fullMesh(4)));
        assertThat(again.inDependencyOrder()).isEqualTo(order);
    }

    @Test
    @DisplayName("default rules: the seed's operator chain, SMCP before federation, a peer after its CA and the peer's address")
    void defaultRulesSeedOrder() {
        ResourceGraph graph = GraphBuilder.withDefaultRules().build(FederationRenderer.render(Fixtures.fullMesh("blue", "green")));

        assertThat(dependencies(graph, "blue", "Subscription", "openshift-distributed-tracing", "jaeger-product"))
                .contains("blue/Subscription/openshift-operators-redhat/elasticsearch-operator");
        assertThat(dependencies(graph, "blue", "Subscription", "openshift-operators", "kiali-ossm"))
                .contains("blue/Subscription/openshift-distributed-tracing/jaeger-product");
        assertThat(dependencies(graph, "blue", "Subscription", "openshift-operators", "servicemeshoperator"))
                .contains("blue/Subscription/openshift-operators/kiali-ossm");
        assertThat(dependencies(graph, "blue", "ServiceMeshControlPlane", "blue-mesh-system", "blue-mesh"))
                .contains("blue/Subscription/openshift-operators/servicemeshoperator", "blue/Namespace/blue-mesh-system");
        assertThat(dependencies(graph, "blue", "ServiceMeshPeer", "blue-mesh-system", "green-mesh"))
                .containsExactlyInAnyOrder(
                        "blue/Namespace/blue-mesh-system",
                        "blue/Subscription/openshift-operators/servicemeshoperator",
                        "blue/ServiceMeshControlPlane/blue-mesh-system/blue-mesh",
                        "blue/ConfigMap/blue-mesh-system/green-mesh-ca-root-cert",
                        "green/Service/green-mesh-system/ingress-blue-mesh");
        assertThat(dependencies(graph, "green", "Service", "green-mesh-system", "ingress-blue-mesh"))
                .contains("green/IPAddressPool/metallb-system/l2-pool", "green/L2Advertisement/metallb-system/l2-pool",
                        "green/ServiceMeshControlPlane/green-mesh-system/green-mesh");
        assertThat(dependencies(graph, "blue", "ConfigMap", "blue-mesh-system", "green-mesh-ca-root-cert"))
                .contains("green/ConfigMap/green-mesh-system/istio-ca-root-cert");
    }

    private static List<String> dependencies(ResourceGraph graph, String cluster, String kind, String ns, String name) {
        ObjectRef ref = graph.nodes().stream().map(DesiredObject::ref)
                .filter(r -> r.cluster().equals(cluster) && r.kind().equals(kind) && ns.equals(r.namespace())
                        && r.name().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no node " + cluster + "/" + kind + "/" + ns + "/" + name));
        return graph.dependencies(ref).stream().map(e -> e.dependency().id()).toList();
    }
}
