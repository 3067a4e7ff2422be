package io.meshfed.model.graph;

import io.meshfed.model.Fixtures;
import io.meshfed.model.render.FederationRenderer;
import io.meshfed.model.resource.ObjectRef;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class GraphOverviewTest {

    private static final ResourceGraph GRAPH = GraphBuilder.withDefaultRules()
            .build(FederationRenderer.render(Fixtures.fullMesh("blue", "green")));

    private static boolean isNamespace(ObjectRef ref) {
        return ref.kind().equals("Namespace");
    }

    /** Whether {@code to} is reachable from {@code from} over the arrows, leaving out {@code without}. */
    private static boolean reachable(List<GraphOverview.Arrow> arrows, ObjectRef from, ObjectRef to, GraphOverview.Arrow without) {
        Deque<ObjectRef> todo = new ArrayDeque<>(List.of(from));
        Set<ObjectRef> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            ObjectRef next = todo.pop();
            for (GraphOverview.Arrow a : arrows) {
                if (a != without && a.from().equals(next) && seen.add(a.to())) {
                    if (a.to().equals(to)) {
                        return true;
                    }
                    todo.push(a.to());
                }
            }
        }
        return false;
    }

    @Test
    @DisplayName("the overview keeps every order of the full graph between the objects it shows, with no arrow another path implies")
    void transitiveReduction() {
        List<GraphOverview.Arrow> arrows = GraphOverview.arrows(GRAPH);
        List<Edge> shown = GRAPH.edges().stream().filter(e -> !isNamespace(e.dependency()) && !isNamespace(e.dependent())).toList();
        assertThat(arrows).hasSizeLessThan(shown.size()).noneMatch(a -> isNamespace(a.from()) || isNamespace(a.to()));
        for (Edge e : shown) {
            assertThat(reachable(arrows, e.dependency(), e.dependent(), null)).as("%s still after %s", e.dependent().id(),
                    e.dependency().id()).isTrue();
        }
        for (GraphOverview.Arrow a : arrows) {
            if (!a.crossCluster()) {
                assertThat(reachable(arrows, a.from(), a.to(), a)).as("arrow %s -> %s implied by another path", a.from().id(),
                        a.to().id()).isFalse();
            }
        }
        ObjectRef operator = new ObjectRef("blue", "operators.coreos.com/v1alpha1", "Subscription", "metallb-system",
                "metallb-operator");
        ObjectRef pool = new ObjectRef("blue", "metallb.io/v1beta1", "IPAddressPool", "metallb-system", "l2-pool");
        assertThat(GRAPH.dependencies(pool)).extracting(Edge::dependency).contains(operator);
        assertThat(arrows).as("the pool waits for the operator through MetalLB").noneMatch(a -> a.from().equals(operator)
                && a.to().equals(pool));
    }

    @Test
    @DisplayName("arrows between clusters are named by the value they carry: a CA certificate, an ingress address")
    void crossClusterArrowsNamed() {
        List<String> crossing = GraphOverview.arrows(GRAPH).stream().filter(GraphOverview.Arrow::crossCluster)
                .map(a -> a.from().id() + " -> " + a.to().id() + ": " + a.label()).sorted().toList();
        assertThat(crossing).containsExactly(
                "blue/ConfigMap/blue-mesh-system/istio-ca-root-cert -> green/ConfigMap/green-mesh-system/blue-mesh-ca-root-cert: root-cert.pem",
                "blue/Service/blue-mesh-system/ingress-green-mesh -> green/ServiceMeshPeer/green-mesh-system/blue-mesh: ingress ip/hostname",
                "green/ConfigMap/green-mesh-system/istio-ca-root-cert -> blue/ConfigMap/blue-mesh-system/green-mesh-ca-root-cert: root-cert.pem",
                "green/Service/green-mesh-system/ingress-blue-mesh -> blue/ServiceMeshPeer/blue-mesh-system/green-mesh: ingress ip/hostname");
    }

    @Test
    @DisplayName("DOT: a box per cluster, a grey box per namespace, object labels without the namespace, dashed blue named edges, a legend")
    void dot() {
        String dot = GraphOverview.dot(GRAPH);
        assertThat(dot).startsWith("digraph meshfed {")
                .contains("subgraph \"cluster_blue\" {", "subgraph \"cluster_blue/blue-mesh-system\" {", "fillcolor=gray95",
                        "[label=\"ServiceMeshControlPlane\\nblue-mesh\"]", "[label=\"ConfigMap\\nistio-ca-root-cert\", style=dashed]",
                        "[label=\"root-cert.pem\", style=dashed, color=blue", "subgraph cluster_legend {")
                .doesNotContain("Namespace\\n", "namespace-first");
        long arrows = dot.lines().filter(l -> l.matches("\\s+n\\d+ -> n\\d+.*")).count();
        assertThat(arrows).isEqualTo(GraphOverview.arrows(GRAPH).size());
        String mermaid = GraphOverview.mermaid(GRAPH);
        assertThat(mermaid).startsWith("flowchart LR\n").contains("subgraph cluster_blue_blue_mesh_system[\"blue-mesh-system\"]",
                " -.->|root-cert.pem| ").doesNotContain("Namespace<br/>");
    }
}
