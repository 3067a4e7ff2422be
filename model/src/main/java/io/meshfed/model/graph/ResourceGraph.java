package io.meshfed.model.graph;

import io.meshfed.model.resource.DesiredObject;
import io.meshfed.model.resource.ObjectRef;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * One acyclic graph of objects over all clusters; immutable and validated (build it with
 * {@link GraphBuilder}). An edge points from a dependent to its dependency: the dependent may start
 * only when the dependency is ready.
 */
public final class ResourceGraph {

    private final List<DesiredObject> nodes;
    private final Map<ObjectRef, Integer> index;
    private final List<Edge> edges;
    private final Map<ObjectRef, List<Edge>> dependencies;
    private final Map<ObjectRef, List<Edge>> dependents;
    private final List<DesiredObject> order;

    ResourceGraph(List<DesiredObject> nodes, List<Edge> edges) {
        this.nodes = List.copyOf(nodes);
        this.index = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            index.put(nodes.get(i).ref(), i);
        }
        this.edges = List.copyOf(edges);
        Map<ObjectRef, List<Edge>> deps = new HashMap<>();
        Map<ObjectRef, List<Edge>> rdeps = new HashMap<>();
        for (Edge e : edges) {
            deps.computeIfAbsent(e.dependent(), k -> new ArrayList<>()).add(e);
            rdeps.computeIfAbsent(e.dependency(), k -> new ArrayList<>()).add(e);
        }
        this.dependencies = deps;
        this.dependents = rdeps;
        this.order = topologicalOrder();
    }

    /**
     * The part of the graph on {@code clusters} (destroy --limit): their nodes and the edges between them;
     * an edge to or from another cluster's node goes (that cluster is left as it is).
     */
    public ResourceGraph on(java.util.Set<String> clusters) {
        List<DesiredObject> kept = nodes.stream().filter(n -> clusters.contains(n.ref().cluster())).toList();
        List<Edge> between = edges.stream().filter(e -> clusters.contains(e.dependent().cluster())
                && clusters.contains(e.dependency().cluster())).toList();
        return new ResourceGraph(kept, between);
    }

    /**
     * The part of the graph that writes on {@code clusters} only (apply --limit): their nodes and the edges between
     * them, and each object of another cluster they read a value from, as an observation — read, waited for until
     * ready, never written (that cluster is left as it is).
     */
    public ResourceGraph limitedTo(java.util.Set<String> clusters) {
        List<DesiredObject> kept = new ArrayList<>(nodes.stream().filter(n -> clusters.contains(n.ref().cluster())).toList());
        List<Edge> between = new ArrayList<>();
        java.util.Set<ObjectRef> read = new java.util.LinkedHashSet<>();
        for (Edge e : edges) {
            if (!clusters.contains(e.dependent().cluster())) {
                continue;
            }
            if (!clusters.contains(e.dependency().cluster())) {
                read.add(e.dependency());
            }
            between.add(e);
        }
        for (ObjectRef ref : read) {
            DesiredObject source = node(ref);
            kept.add(source.managed() ? new DesiredObject(ref, Map.of(), source.readiness(),
                    io.meshfed.model.resource.Ownership.OBSERVED, source.tags()) : source);
        }
        return new ResourceGraph(kept, between);
    }

    /** The nodes in the order they were rendered. */
    public List<DesiredObject> nodes() {
        return nodes;
    }

    public List<Edge> edges() {
        return edges;
    }

    public DesiredObject node(ObjectRef ref) {
        Integer i = index.get(ref);
        if (i == null) {
            throw new IllegalArgumentException("not in the graph: " + ref);
        }
        return nodes.get(i);
    }

    public boolean contains(ObjectRef ref) {
        return index.containsKey(ref);
    }

    /** The edges to what {@code ref} waits for. */
    public List<Edge> dependencies(ObjectRef ref) {
        return Collections.unmodifiableList(dependencies.getOrDefault(ref, List.of()));
    }

    /** The edges from what waits for {@code ref}. */
    public List<Edge> dependents(ObjectRef ref) {
        return Collections.unmodifiableList(dependents.getOrDefault(ref, List.of()));
    }

    /**
     * Every node after all its dependencies; among nodes that are free at the same time, the one
     * rendered first goes first. Deterministic.
     */
    public List<DesiredObject> inDependencyOrder() {
        return order;
    }

    private List<DesiredObject> topologicalOrder() {
        int[] waiting = new int[nodes.size()];
        for (Edge e : edges) {
            waiting[index.get(e.dependent())]++;
        }
        PriorityQueue<Integer> free = new PriorityQueue<>();
        for (int i = 0; i < waiting.length; i++) {
            if (waiting[i] == 0) {
                free.add(i);
            }
        }
        List<DesiredObject> sorted = new ArrayList<>(nodes.size());
        while (!free.isEmpty()) {
            DesiredObject next = nodes.get(free.poll());
            sorted.add(next);
            for (Edge e : dependents(next.ref())) {
                int i = index.get(e.dependent());
                if (--waiting[i] == 0) {
                    free.add(i);
                }
            }
        }
        if (sorted.size() != nodes.size()) {
            throw new IllegalStateException("a validated graph has a cycle");
        }
        return Collections.unmodifiableList(sorted);
    }
}
