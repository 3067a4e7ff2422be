package io.meshfed.model.graph;

import io.meshfed.model.resource.DesiredObject;
import io.meshfed.model.resource.ObjectRef;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Finds every cycle with Tarjan's strongly connected components (iterative, so deep graphs do not
 * overflow the stack) and reports each as a path, starting from its smallest node, so the message is
 * the same on every run.
 */
final class CycleFinder {

    private CycleFinder() {
    }

    static void validate(List<DesiredObject> nodes, List<Edge> edges) {
        Map<ObjectRef, List<Edge>> out = new HashMap<>();
        for (Edge e : edges) {
            out.computeIfAbsent(e.dependent(), k -> new ArrayList<>()).add(e);
        }
        List<Set<ObjectRef>> components = stronglyConnected(nodes, out);
        List<String> cycles = new ArrayList<>();
        Set<ObjectRef> involved = new java.util.LinkedHashSet<>();
        for (Set<ObjectRef> component : components) {
            List<Edge> path = cycle(component, out);
            cycles.add(path.get(0).dependent().id() + path.stream().map(e -> " -[" + e.reason() + "]-> " + e.dependency().id())
                    .collect(Collectors.joining()));
            path.forEach(e -> involved.add(e.dependent()));
        }
        if (!cycles.isEmpty()) {
            throw new GraphException("the ordering has " + (cycles.size() == 1 ? "a cycle" : cycles.size() + " cycles")
                    + " (A -[rule]-> B: A waits for B):\n  " + String.join("\n  ", cycles), List.copyOf(involved));
        }
    }

    private static List<Set<ObjectRef>> stronglyConnected(List<DesiredObject> nodes, Map<ObjectRef, List<Edge>> out) {
        Map<ObjectRef, Integer> indexOf = new HashMap<>();
        Map<ObjectRef, Integer> low = new HashMap<>();
        Deque<ObjectRef> stack = new ArrayDeque<>();
        Set<ObjectRef> onStack = new HashSet<>();
        List<Set<ObjectRef>> result = new ArrayList<>();
        int counter = 0;
        for (DesiredObject start : nodes) {
            if (indexOf.containsKey(start.ref())) {
                continue;
            }
            Deque<Object[]> work = new ArrayDeque<>(); // {node, next edge position}
            work.push(new Object[] {start.ref(), 0});
            indexOf.put(start.ref(), counter);
            low.put(start.ref(), counter++);
            stack.push(start.ref());
            onStack.add(start.ref());
            while (!work.isEmpty()) {
                Object[] frame = work.peek();
                ObjectRef v = (ObjectRef) frame[0];
                List<Edge> successors = out.getOrDefault(v, List.of());
                int i = (Integer) frame[1];
                if (i < successors.size()) {
                    frame[1] = i + 1;
                    ObjectRef w = successors.get(i).dependency();
                    if (!indexOf.containsKey(w)) {
                        indexOf.put(w, counter);
                        low.put(w, counter++);
                        stack.push(w);
                        onStack.add(w);
                        work.push(new Object[] {w, 0});
                    } else if (onStack.contains(w)) {
                        low.put(v, Math.min(low.get(v), indexOf.get(w)));
                    }
                    continue;
                }
                work.pop();
                if (!work.isEmpty()) {
                    ObjectRef parent = (ObjectRef) work.peek()[0];
                    low.put(parent, Math.min(low.get(parent), low.get(v)));
                }
                if (low.get(v).equals(indexOf.get(v))) {
                    Set<ObjectRef> component = new TreeSet<>();
                    ObjectRef w;
                    do {
                        w = stack.pop();
                        onStack.remove(w);
                        component.add(w);
                    } while (!w.equals(v));
                    boolean selfLoop = out.getOrDefault(v, List.of()).stream().anyMatch(e -> e.dependency().equals(v));
                    if (component.size() > 1 || selfLoop) {
                        result.add(component);
                    }
                }
            }
        }
        result.sort((a, b) -> ((TreeSet<ObjectRef>) a).first().compareTo(((TreeSet<ObjectRef>) b).first()));
        return result;
    }

    /** One cycle through the component's smallest node: the edges of {@code a -[rule]-> b -[rule]-> a}. */
    private static List<Edge> cycle(Set<ObjectRef> component, Map<ObjectRef, List<Edge>> out) {
        ObjectRef first = ((TreeSet<ObjectRef>) component).first();
        // breadth-first search inside the component for the shortest way back to the first node
        Map<ObjectRef, Edge> via = new HashMap<>();
        Deque<ObjectRef> queue = new ArrayDeque<>(List.of(first));
        Set<ObjectRef> seen = new HashSet<>();
        Edge closing = null;
        while (!queue.isEmpty() && closing == null) {
            ObjectRef v = queue.poll();
            for (Edge e : out.getOrDefault(v, List.of())) {
                if (e.dependency().equals(first)) {
                    closing = e;
                    break;
                }
                if (component.contains(e.dependency()) && seen.add(e.dependency())) {
                    via.put(e.dependency(), e);
                    queue.add(e.dependency());
                }
            }
        }
        List<Edge> path = new ArrayList<>();
        path.add(closing);
        for (ObjectRef at = closing.dependent(); !at.equals(first); at = via.get(at).dependent()) {
            path.add(0, via.get(at));
        }
        return path;
    }
}
