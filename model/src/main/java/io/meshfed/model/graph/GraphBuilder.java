package io.meshfed.model.graph;

import io.meshfed.model.resource.DesiredObject;
import io.meshfed.model.resource.Live;
import io.meshfed.model.resource.LiveValue;
import io.meshfed.model.resource.ObjectRef;
import io.meshfed.model.resource.Tree;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link ResourceGraph} in ordered steps, as Terraform's graph builder does:
 * <ol>
 *   <li>one node per rendered object;</li>
 *   <li>edges from the ordering rules, within each cluster;</li>
 *   <li>an edge for every {@link LiveValue} a node holds, to the node that publishes it (on any cluster);</li>
 *   <li>validation: every cycle is reported as a path of node names.</li>
 * </ol>
 */
public final class GraphBuilder {

    private final List<OrderingRule> rules;

    public GraphBuilder(List<OrderingRule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static GraphBuilder withDefaultRules() {
        return new GraphBuilder(DefaultOrderingRules.rules());
    }

    /**
     * @throws GraphException naming every cycle, or a reference to an object that is not rendered
     */
    public ResourceGraph build(List<DesiredObject> objects) {
        Map<ObjectRef, DesiredObject> byRef = new LinkedHashMap<>();
        for (DesiredObject o : objects) {
            if (byRef.putIfAbsent(o.ref(), o) != null) {
                throw new GraphException("two nodes for " + o.ref().id());
            }
        }
        Map<ObjectRef, Map<ObjectRef, Edge>> edges = new LinkedHashMap<>();
        addRuleEdges(objects, edges);
        addReferenceEdges(objects, byRef, edges);
        List<Edge> all = new ArrayList<>();
        edges.values().forEach(m -> all.addAll(m.values()));
        CycleFinder.validate(objects, all);
        return new ResourceGraph(objects, all);
    }

    private void addRuleEdges(List<DesiredObject> objects, Map<ObjectRef, Map<ObjectRef, Edge>> edges) {
        // per cluster: term -> nodes answering to it; and each node's terms, computed once
        Map<String, Map<String, List<DesiredObject>>> index = new HashMap<>();
        Map<ObjectRef, Set<String>> termsOf = new HashMap<>();
        for (DesiredObject o : objects) {
            Set<String> terms = Selector.termsOf(o);
            termsOf.put(o.ref(), terms);
            Map<String, List<DesiredObject>> clusterIndex = index.computeIfAbsent(o.ref().cluster(), k -> new HashMap<>());
            for (String term : terms) {
                clusterIndex.computeIfAbsent(term, k -> new ArrayList<>()).add(o);
            }
        }
        for (OrderingRule rule : rules) {
            for (DesiredObject dependent : objects) {
                if (!rule.dependent().matches(termsOf.get(dependent.ref()))) {
                    continue;
                }
                Selector dependency = rule.dependency().bind(dependent.ref());
                if (dependency == null) {
                    continue;
                }
                Map<String, List<DesiredObject>> clusterIndex = index.get(dependent.ref().cluster());
                List<DesiredObject> candidates = clusterIndex.getOrDefault(dependency.narrowest(clusterIndex), List.of());
                for (DesiredObject candidate : candidates) {
                    if (candidate != dependent && dependency.matches(termsOf.get(candidate.ref()))) {
                        add(edges, new Edge(dependent.ref(), candidate.ref(), rule.name()));
                    }
                }
            }
        }
    }

    private static void addReferenceEdges(List<DesiredObject> objects, Map<ObjectRef, DesiredObject> byRef,
                                          Map<ObjectRef, Map<ObjectRef, Edge>> edges) {
        for (DesiredObject o : objects) {
            Tree.forEachLeaf(o.content(), leaf -> {
                if (leaf instanceof Live live) {
                    for (LiveValue value : live.values()) {
                        if (!byRef.containsKey(value.source())) {
                            throw new GraphException(o.ref().id() + " reads " + value.jsonPath() + " from "
                                    + value.source().id() + ", which is not in the graph");
                        }
                        add(edges, new Edge(o.ref(), value.source(), Edge.REFERENCE));
                    }
                }
            });
        }
    }

    private static void add(Map<ObjectRef, Map<ObjectRef, Edge>> edges, Edge edge) {
        edges.computeIfAbsent(edge.dependent(), k -> new LinkedHashMap<>()).putIfAbsent(edge.dependency(), edge);
    }
}
