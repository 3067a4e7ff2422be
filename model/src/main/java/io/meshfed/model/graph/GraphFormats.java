package io.meshfed.model.graph;

import io.meshfed.model.resource.DesiredObject;
import io.meshfed.model.resource.ObjectRef;
import io.meshfed.model.resource.Tree;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints a {@link ResourceGraph}: Graphviz DOT and Mermaid (one subgraph per cluster, cross-cluster
 * edges dashed), plain text for golden tests, and a tree for JSON. Edges point from the dependency to
 * the dependent, the way the work flows. Output is deterministic.
 */
public final class GraphFormats {

    private GraphFormats() {
    }

    public static String dot(ResourceGraph graph) {
        StringBuilder sb = new StringBuilder("digraph meshfed {\n  rankdir=LR;\n  node [shape=box, fontsize=10];\n");
        Map<ObjectRef, String> ids = ids(graph);
        byCluster(graph).forEach((cluster, nodes) -> {
            sb.append("  subgraph \"cluster_").append(cluster).append("\" {\n    label=\"").append(cluster).append("\";\n");
            for (DesiredObject n : nodes) {
                sb.append("    ").append(ids.get(n.ref())).append(" [label=\"").append(label(n.ref()))
                        .append('"').append(n.managed() ? "" : ", style=dashed").append("];\n");
            }
            sb.append("  }\n");
        });
        for (Edge e : sortedEdges(graph)) {
            sb.append("  ").append(ids.get(e.dependency())).append(" -> ").append(ids.get(e.dependent()))
                    .append(" [label=\"").append(e.reason()).append('"')
                    .append(e.crossCluster() ? ", style=dashed, color=blue" : "").append("];\n");
        }
        return sb.append("}\n").toString();
    }

    public static String mermaid(ResourceGraph graph) {
        StringBuilder sb = new StringBuilder("flowchart LR\n");
        Map<ObjectRef, String> ids = ids(graph);
        byCluster(graph).forEach((cluster, nodes) -> {
            sb.append("  subgraph ").append(mermaidId(cluster)).append("[\"").append(cluster).append("\"]\n");
            for (DesiredObject n : nodes) {
                String text = label(n.ref()).replace("\\n", "<br/>");
                sb.append("    ").append(ids.get(n.ref())).append(n.managed() ? "[\"" : "([\"")
                        .append(text).append(n.managed() ? "\"]\n" : "\"])\n");
            }
            sb.append("  end\n");
        });
        for (Edge e : sortedEdges(graph)) {
            sb.append("  ").append(ids.get(e.dependency())).append(e.crossCluster() ? " -.->|" : " -->|")
                    .append(e.reason()).append("| ").append(ids.get(e.dependent())).append('\n');
        }
        return sb.toString();
    }

    /** One line per node in dependency order, with what it waits for: compact and diffable. */
    public static String text(ResourceGraph graph) {
        StringBuilder sb = new StringBuilder();
        for (DesiredObject n : graph.inDependencyOrder()) {
            sb.append(n.ref().id()).append(n.managed() ? "" : " (observed)").append('\n');
            graph.dependencies(n.ref()).stream()
                    .sorted((a, b) -> a.dependency().compareTo(b.dependency()))
                    .forEach(e -> sb.append("  waits for ").append(e.dependency().id())
                            .append(" [").append(e.reason()).append("]\n"));
        }
        return sb.toString();
    }

    /** Nodes and edges as maps and lists, for a JSON writer. */
    public static Map<String, Object> tree(ResourceGraph graph) {
        List<Object> nodes = new ArrayList<>();
        for (DesiredObject n : graph.inDependencyOrder()) {
            nodes.add(Tree.map("id", n.ref().id(), "cluster", n.ref().cluster(), "apiVersion", n.ref().apiVersion(),
                    "kind", n.ref().kind(), "namespace", n.ref().namespace(), "name", n.ref().name(),
                    "ownership", n.ownership().name().toLowerCase(), "readiness", n.readiness().description()));
        }
        List<Object> edges = new ArrayList<>();
        for (Edge e : sortedEdges(graph)) {
            edges.add(Tree.map("dependent", e.dependent().id(), "dependency", e.dependency().id(), "reason", e.reason(),
                    "crossCluster", e.crossCluster()));
        }
        return Tree.map("nodes", nodes, "edges", edges);
    }

    private static String label(ObjectRef ref) {
        return ref.kind() + "\\n" + ref.qualifiedName();
    }

    private static Map<ObjectRef, String> ids(ResourceGraph graph) {
        Map<ObjectRef, String> ids = new HashMap<>();
        List<DesiredObject> order = graph.inDependencyOrder();
        for (int i = 0; i < order.size(); i++) {
            ids.put(order.get(i).ref(), "n" + i);
        }
        return ids;
    }

    private static Map<String, List<DesiredObject>> byCluster(ResourceGraph graph) {
        Map<String, List<DesiredObject>> clusters = new LinkedHashMap<>();
        for (DesiredObject n : graph.inDependencyOrder()) {
            clusters.computeIfAbsent(n.ref().cluster(), k -> new ArrayList<>()).add(n);
        }
        return clusters;
    }

    private static String mermaidId(String cluster) {
        return "cluster_" + cluster.replaceAll("[^A-Za-z0-9_]", "_");
    }

    private static List<Edge> sortedEdges(ResourceGraph graph) {
        List<Edge> edges = new ArrayList<>(graph.edges());
        edges.sort((a, b) -> {
            int c = a.dependency().compareTo(b.dependency());
            return c != 0 ? c : a.dependent().compareTo(b.dependent());
        });
        return edges;
    }
}
