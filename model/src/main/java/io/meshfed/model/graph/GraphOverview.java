package io.meshfed.model.graph;

import io.meshfed.model.resource.DesiredObject;
import io.meshfed.model.resource.Live;
import io.meshfed.model.resource.LiveValue;
import io.meshfed.model.resource.ObjectRef;
import io.meshfed.model.resource.Tree;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The graph as a person reads it on one screen: a box per cluster and, inside it, a box per
 * namespace holding its objects (a Namespace node and its "namespace first" edges would say no
 * more); only the edges no other path implies (the transitive reduction), unlabelled within a
 * cluster; each edge that crosses clusters named by the value it carries (a CA certificate, a
 * load-balancer address); and a legend. The full graph, every node and edge with its rule, is
 * {@link GraphFormats}.
 */
public final class GraphOverview {

    /** An arrow from what must be ready first to what waits for it; label only where a value crosses clusters. */
    record Arrow(ObjectRef from, ObjectRef to, String label) {
        boolean crossCluster() {
            return !from.cluster().equals(to.cluster());
        }
    }

    private final ResourceGraph graph;
    private final Map<ObjectRef, String> ids = new HashMap<>();
    /** cluster, then namespace ("" for cluster-scoped objects), then the objects, in dependency order. */
    private final Map<String, Map<String, List<DesiredObject>>> boxes = new LinkedHashMap<>();
    private final List<Arrow> arrows;

    private GraphOverview(ResourceGraph graph) {
        this.graph = graph;
        for (DesiredObject n : graph.inDependencyOrder()) {
            if (isNamespace(n.ref())) {
                continue;
            }
            ids.put(n.ref(), "n" + ids.size());
            boxes.computeIfAbsent(n.ref().cluster(), k -> new TreeMap<>())
                    .computeIfAbsent(n.ref().namespace() == null ? "" : n.ref().namespace(), k -> new ArrayList<>()).add(n);
        }
        this.arrows = reducedArrows();
    }

    public static String dot(ResourceGraph graph) {
        return new GraphOverview(graph).dot();
    }

    public static String mermaid(ResourceGraph graph) {
        return new GraphOverview(graph).mermaid();
    }

    /** The arrows of the picture, for tests. */
    static List<Arrow> arrows(ResourceGraph graph) {
        return new GraphOverview(graph).arrows;
    }

    private String dot() {
        StringBuilder sb = new StringBuilder("digraph meshfed {\n  rankdir=LR;\n  newrank=true;\n  nodesep=0.15;\n  ranksep=0.3;\n"
                + "  node [shape=box, fontsize=10, height=0.3, margin=\"0.08,0.03\"];\n"
                + "  edge [fontsize=8, color=gray40, arrowsize=0.6];\n");
        boxes.forEach((cluster, namespaces) -> {
            sb.append("  subgraph \"cluster_").append(cluster).append("\" {\n    label=<<b>").append(cluster)
                    .append("</b>>;\n    fontsize=14;\n    style=rounded;\n");
            namespaces.forEach((namespace, nodes) -> {
                String indent = namespace.isEmpty() ? "    " : "      ";
                if (!namespace.isEmpty()) {
                    sb.append("    subgraph \"cluster_").append(cluster).append('/').append(namespace)
                            .append("\" {\n      label=\"").append(namespace)
                            .append("\";\n      fontsize=9;\n      style=filled;\n      fillcolor=gray95;\n      color=gray80;\n");
                }
                for (DesiredObject n : nodes) {
                    sb.append(indent).append(ids.get(n.ref())).append(" [label=\"").append(n.ref().kind()).append("\\n")
                            .append(n.ref().name()).append('"').append(n.managed() ? "" : ", style=dashed").append("];\n");
                }
                if (!namespace.isEmpty()) {
                    sb.append("    }\n");
                }
            });
            sb.append("  }\n");
        });
        for (Arrow a : arrows) {
            sb.append("  ").append(ids.get(a.from())).append(" -> ").append(ids.get(a.to()));
            if (a.crossCluster()) {
                sb.append(" [label=\"").append(a.label()).append("\", style=dashed, color=blue, fontcolor=blue, constraint=false]");
            }
            sb.append(";\n");
        }
        sb.append("""
                  subgraph cluster_legend {
                    label="legend"; fontsize=9; style=dashed; color=gray60;
                    node [fontsize=8, height=0.2];
                    legend_first [label="written by meshfed"];
                    legend_then [label="read only: an operator makes it", style=dashed];
                    legend_first -> legend_then [label="ready first, then", fontsize=7];
                    legend_source [label="object on one cluster", shape=plaintext];
                    legend_reader [label="object on another", shape=plaintext];
                    legend_source -> legend_reader [label="carries the field named", style=dashed, color=blue, fontcolor=blue, fontsize=7];
                    legend_namespace [label="grey box: a namespace, made before its objects", shape=plaintext];
                  }
                """);
        return sb.append("}\n").toString();
    }

    private String mermaid() {
        StringBuilder sb = new StringBuilder("flowchart LR\n");
        boxes.forEach((cluster, namespaces) -> {
            sb.append("  subgraph ").append(mermaidId(cluster)).append("[\"").append(cluster).append("\"]\n");
            namespaces.forEach((namespace, nodes) -> {
                String indent = namespace.isEmpty() ? "    " : "      ";
                if (!namespace.isEmpty()) {
                    sb.append("    subgraph ").append(mermaidId(cluster + "_" + namespace)).append("[\"").append(namespace)
                            .append("\"]\n");
                }
                for (DesiredObject n : nodes) {
                    sb.append(indent).append(ids.get(n.ref())).append(n.managed() ? "[\"" : "([\"").append(n.ref().kind())
                            .append("<br/>").append(n.ref().name()).append(n.managed() ? "\"]\n" : "\"])\n");
                }
                if (!namespace.isEmpty()) {
                    sb.append("    end\n");
                }
            });
            sb.append("  end\n");
        });
        for (Arrow a : arrows) {
            sb.append("  ").append(ids.get(a.from()))
                    .append(a.crossCluster() ? " -.->|" + a.label() + "| " : " --> ").append(ids.get(a.to())).append('\n');
        }
        return sb.toString();
    }

    /**
     * The edges between the objects shown that no longer path implies: for a dependency d of n, the
     * edge d → n goes when another dependency of n already waits (directly or not) for d. Edges that
     * carry a value across clusters always stay: they say what is read where.
     */
    private List<Arrow> reducedArrows() {
        List<DesiredObject> order = graph.inDependencyOrder().stream().filter(n -> ids.containsKey(n.ref())).toList();
        Map<ObjectRef, Integer> position = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            position.put(order.get(i).ref(), i);
        }
        // everything each node waits for, directly or not (dependencies come earlier in the order)
        BitSet[] before = new BitSet[order.size()];
        List<Arrow> arrows = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            DesiredObject n = order.get(i);
            List<Integer> direct = graph.dependencies(n.ref()).stream().map(Edge::dependency).filter(position::containsKey)
                    .map(position::get).sorted().toList();
            before[i] = new BitSet(order.size());
            for (int d : direct) {
                before[i].set(d);
                before[i].or(before[d]);
            }
            for (int d : direct) {
                ObjectRef dependency = order.get(d).ref();
                boolean implied = direct.stream().anyMatch(other -> other != d && before[other].get(d));
                boolean crossCluster = !dependency.cluster().equals(n.ref().cluster());
                if (!implied || crossCluster) {
                    arrows.add(new Arrow(dependency, n.ref(), crossCluster ? carried(n, dependency) : null));
                }
            }
        }
        return arrows;
    }

    /** The field(s) {@code dependent} reads from {@code source}, shortly: {@code root-cert.pem}, {@code ingress ip/hostname}. */
    private static String carried(DesiredObject dependent, ObjectRef source) {
        List<String> fields = new ArrayList<>();
        Tree.forEachLeaf(dependent.content(), leaf -> {
            if (leaf instanceof Live live) {
                for (LiveValue value : live.values()) {
                    String name = shortName(value);
                    if (value.source().equals(source) && !fields.contains(name)) {
                        fields.add(name);
                    }
                }
            }
        });
        return fields.isEmpty() ? Edge.REFERENCE : String.join(", ", fields);
    }

    private static String shortName(LiveValue value) {
        String key = null;
        String alternatives = null;
        for (Object segment : value.path()) {
            if (segment instanceof String s) {
                key = s;
            } else if (segment instanceof LiveValue.OneOf oneOf) {
                alternatives = String.join("/", oneOf.keys());
            }
        }
        return alternatives == null ? String.valueOf(key) : key + " " + alternatives;
    }

    private static boolean isNamespace(ObjectRef ref) {
        return ref.kind().equals("Namespace") && ref.apiVersion().equals("v1");
    }

    private static String mermaidId(String name) {
        return "cluster_" + name.replaceAll("[^A-Za-z0-9_]", "_");
    }
}
