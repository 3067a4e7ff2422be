package io.meshfed.it;

import io.meshfed.inventory.InventoryLoader;
import io.meshfed.model.graph.Edge;
import io.meshfed.model.graph.ResourceGraph;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.model.resource.DesiredObject;
import io.meshfed.model.resource.ObjectRef;
import io.meshfed.provisioner.apply.GraphExecutor;
import io.meshfed.provisioner.apply.RunResult;
import io.meshfed.provisioner.simulate.Faults;
import io.meshfed.provisioner.simulate.RequestLog;
import io.meshfed.provisioner.simulate.SimulatedInventory;
import io.meshfed.provisioner.simulate.Simulation;
import io.meshfed.provisioner.simulate.SimulationTiming;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Benchmark, not a timed test: apply wall time with an injected API latency L on every request of
 * meshfed's and the simulated controllers' delays, against the graph's critical-path bound computed
 * from the same L and delays; then the requests of a no-op re-apply. Prints the figures.
 *
 * <p>The bound gives each node the least it can cost: a managed object a read and a write (2L), an
 * observed one a read (L), plus, where readiness waits for a controller, that controller's delay and
 * one more read (two for a Subscription: it and its CSV). The longest path through the graph is the
 * bound; a scheduler with unlimited concurrency and instant notification of readiness would reach it.
 */
@org.junit.jupiter.api.Tag("benchmark")
class ApplyBenchmarkTest {

    static final Duration L = Duration.ofMillis(20);
    static final SimulationTiming DELAYS = new SimulationTiming(Duration.ofMillis(200), Duration.ofMillis(400),
            Duration.ofMillis(100));

    @Test
    @DisplayName("benchmark: apply wall time vs critical-path bound (L = 20 ms), blue-green, triangle, a 10-cluster full mesh, OSSM 3 three primaries")
    void wallTimeAgainstBound(@TempDir Path tmp) throws IOException {
        RenderGraphBenchmarkTest.writeInventory(tmp.resolve("mesh10"), 10, true);
        StringBuilder table = new StringBuilder(String.format("%n%-12s %7s %7s %9s %9s %6s %11s %8s %8s %9s %10s %12s %9s %9s %14s%n",
                "inventory", "objects", "edges", "bound ms", "wall ms", "ratio", "measured ms", "w/meas", "lag max",
                "requests", "no-op GETs", "no-op writes", "cpu/wall", "busy/wall", "wall/work-span"));
        StringBuilder perObject = new StringBuilder(String.format("%n%-12s %7s | %-34s | %-34s%n%-12s %7s | %8s %8s %8s %8s | %8s %8s %8s %8s%n",
                "", "", "first apply, per object", "no-op apply, per object", "inventory", "objects",
                "reads", "watches", "dry runs", "writes", "reads", "watches", "dry runs", "writes"));
        warmUp();
        for (Object[] c : new Object[][] {{"blue-green", Repo.example("blue-green")}, {"triangle", Repo.example("triangle")},
                {"mesh-10", tmp.resolve("mesh10")}, {"ossm3-3", Repo.example("ossm3-multi-primary")}}) {
            Inventory inventory = InventoryLoader.load((Path) c[1]);
            ResourceGraph graph = ConvergeTest.graph(inventory);
            try (Simulation simulation = SimulatedInventory.start(inventory, DELAYS)) {
                simulation.clusters().forEach(s -> s.faults(Faults.latency(L)));
                simulation.clusters().forEach(s -> s.requests().clear());
                var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
                long cpuStart = os.getProcessCpuTime();
                long busyStart = machineBusyNanos();
                long start = System.nanoTime();
                RunResult first = ConvergeTest.run(inventory, simulation, GraphExecutor.Mode.APPLY);
                long wall = System.nanoTime() - start;
                long cpu = os.getProcessCpuTime() - cpuStart;
                long busy = machineBusyNanos() - busyStart;
                assertThat(first.failures()).isEmpty();
                List<RequestLog.Entry> firstRequests = clientRequests(simulation);
                long requests = firstRequests.size();
                long controllerRequests = simulation.clusters().stream().flatMap(s -> s.requests().entries().stream())
                        .filter(RequestLog.Entry::controller).count();
                long[] lag = startLag(graph, first);
                long actualPath = actualCriticalPath(graph, first) / 1_000_000;

                simulation.clusters().forEach(s -> s.requests().clear());
                RunResult again = ConvergeTest.run(inventory, simulation, GraphExecutor.Mode.APPLY);
                assertThat(again.changed()).isZero();
                List<RequestLog.Entry> noop = clientRequests(simulation);
                long writes = noop.stream().filter(RequestLog.Entry::write).count();
                long gets = noop.stream().filter(RequestLog.Entry::read).count();
                double n = graph.nodes().size();
                perObject.append(String.format("%-12s %7d | %8.2f %8.2f %8.2f %8.2f | %8.2f %8.2f %8.2f %8.2f%n", c[0],
                        graph.nodes().size(), count(firstRequests, RequestLog.Entry::read) / n,
                        count(firstRequests, RequestLog.Entry::watch) / n, count(firstRequests, RequestLog.Entry::dryRun) / n,
                        count(firstRequests, RequestLog.Entry::write) / n, count(noop, RequestLog.Entry::read) / n,
                        count(noop, RequestLog.Entry::watch) / n, count(noop, RequestLog.Entry::dryRun) / n,
                        count(noop, RequestLog.Entry::write) / n));
                long bound = criticalPath(graph).toMillis();
                // Brent's lower bound on P processors: no schedule ends before the critical path, nor before
                // the work done spread over P. The work is all the machine's cores were busy with during the
                // run (/proc/stat): meshfed, the simulated operators, and the API servers and etcds in their
                // own processes (this JVM's CPU time alone leaves those out)
                int cores = Runtime.getRuntime().availableProcessors();
                double workSpan = Math.max(bound, Math.max(cpu, busy) / 1e6 / cores);
                table.append(String.format("%-12s %7d %7d %9d %9d %6.2f %11d %8.2f %8.1f %9d %10d %12d %9.2f %9.2f %14.2f%n", c[0],
                        graph.nodes().size(), graph.edges().size(), bound, wall / 1_000_000, wall / 1e6 / bound, actualPath,
                        wall / 1e6 / actualPath, lag[0] / 1e6, requests, gets, writes, (double) cpu / wall, (double) busy / wall,
                        wall / 1e6 / workSpan));
                assertThat(writes).isZero();
                System.out.println("[benchmark] " + c[0] + ": " + requests + " requests of meshfed's and " + controllerRequests
                        + " of the simulated operators during the first apply; the run's critical path" + pathReport(graph, first));
            }
        }
        System.out.println("[benchmark] apply with L=" + L.toMillis() + " ms per request, delays " + DELAYS + table);
        System.out.println("[benchmark] meshfed's requests per object (a dry run is a server-side apply with dryRun=All: "
                + "it changes nothing)" + perObject);
    }

    /**
     * The time this machine's cores have been busy (all processes: user, nice, system, irq, softirq,
     * steal) in nanoseconds, from /proc/stat; 0 where there is none (not Linux).
     */
    static long machineBusyNanos() {
        try {
            String[] f = java.nio.file.Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {   // user nice system (idle iowait) irq softirq steal
                busy += Long.parseLong(f[i]);
            }
            return busy * 10_000_000L;   // USER_HZ is 100 on Linux
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long count(List<RequestLog.Entry> entries, java.util.function.Predicate<RequestLog.Entry> kind) {
        return entries.stream().filter(kind).count();
    }

    /**
     * One apply of blue-green, not measured: the JVM's class loading and compilation of the client and
     * simulation code paths is a one-off cost of the process, not of the graph (a CLI run pays it once;
     * see the start-up figures in BENCHMARKS.md).
     */
    private static void warmUp() throws IOException {
        Inventory inventory = InventoryLoader.load(Repo.example("blue-green"));
        try (Simulation simulation = SimulatedInventory.start(inventory, DELAYS)) {
            simulation.clusters().forEach(s -> s.faults(Faults.latency(L)));
            assertThat(ConvergeTest.run(inventory, simulation, GraphExecutor.Mode.APPLY).failures()).isEmpty();
        }
    }

    /**
     * The executor's own delay: for every node, how long after its last dependency was ready it
     * started; {max, mean} in nanoseconds.
     */
    static long[] startLag(ResourceGraph graph, RunResult run) {
        long max = 0;
        long sum = 0;
        for (DesiredObject node : graph.nodes()) {
            long ready = 0;
            for (Edge e : graph.dependencies(node.ref())) {
                var dep = run.result(e.dependency());
                ready = Math.max(ready, dep.started() + dep.duration().toNanos());
            }
            long lag = ready == 0 ? 0 : Math.max(0, run.result(node.ref()).started() - ready);
            max = Math.max(max, lag);
            sum += lag;
        }
        return new long[] {max, sum / graph.nodes().size()};
    }

    /** The nodes of the run's critical path, each with its actual duration, its wait before starting, and its bound cost. */
    static String pathReport(ResourceGraph graph, RunResult run) {
        Map<ObjectRef, Long> finish = new HashMap<>();
        Map<ObjectRef, ObjectRef> via = new HashMap<>();
        ObjectRef last = null;
        for (DesiredObject node : graph.inDependencyOrder()) {
            var r = run.result(node.ref());
            long done = r.started() + r.duration().toNanos();
            finish.put(node.ref(), done);
            long ready = 0;
            for (Edge e : graph.dependencies(node.ref())) {
                if (finish.get(e.dependency()) > ready) {
                    ready = finish.get(e.dependency());
                    via.put(node.ref(), e.dependency());
                }
            }
            if (last == null || done > finish.get(last)) {
                last = node.ref();
            }
        }
        List<ObjectRef> path = new java.util.ArrayList<>();
        for (ObjectRef at = last; at != null; at = via.get(at)) {
            path.add(0, at);
        }
        long origin = path.isEmpty() ? 0 : run.result(path.get(0)).started();
        StringBuilder out = new StringBuilder(String.format("%n  %8s %8s %8s  %s%n", "start ms", "took ms", "bound ms", "node"));
        for (ObjectRef ref : path) {
            var r = run.result(ref);
            out.append(String.format("  %8d %8d %8d  %s (%s)%n", (r.started() - origin) / 1_000_000, r.duration().toMillis(),
                    cost(graph.node(ref)).toMillis(), ref.describe(), r.action()));
        }
        return out.toString();
    }

    /** The longest chain of the run's actual node durations: what the clusters made it. */
    static long actualCriticalPath(ResourceGraph graph, RunResult run) {
        return longestPath(graph, node -> run.result(node.ref()).duration().toNanos());
    }

    private static List<RequestLog.Entry> clientRequests(Simulation simulation) {
        return simulation.clusters().stream().flatMap(s -> s.requests().entries().stream()).filter(e -> !e.controller())
                .toList();
    }

    /** The longest path through the graph, each node costing its least possible time (see the class comment). */
    static Duration criticalPath(ResourceGraph graph) {
        return Duration.ofNanos(longestPath(graph, node -> cost(node).toNanos()));
    }

    /** The longest path through the graph with the given cost of each node, in nanoseconds. */
    static long longestPath(ResourceGraph graph, java.util.function.ToLongFunction<DesiredObject> costNanos) {
        Map<ObjectRef, Long> finish = new HashMap<>();
        long longest = 0;
        for (DesiredObject node : graph.inDependencyOrder()) {
            long ready = 0;
            for (Edge e : graph.dependencies(node.ref())) {
                ready = Math.max(ready, finish.get(e.dependency()));
            }
            long done = ready + costNanos.applyAsLong(node);
            finish.put(node.ref(), done);
            longest = Math.max(longest, done);
        }
        return longest;
    }

    static Duration cost(DesiredObject node) {
        Duration base = node.managed() ? L.multipliedBy(2) : L;
        return switch (node.readiness()) {
            case CSV_SUCCEEDED -> base.plus(DELAYS.operatorInstall()).plus(L.multipliedBy(2));
            case READY_CONDITION -> base.plus(DELAYS.controlPlaneStart()).plus(L);
            case PEER_CONNECTED -> base.plus(DELAYS.peerConnect()).plus(L);
            case SERVICES_EXPORTED, SERVICES_IMPORTED -> base.plus(L);
            default -> base;
        };
    }
}
