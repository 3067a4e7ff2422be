package io.meshfed.it;

import io.meshfed.inventory.InventoryLoader;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.provisioner.simulate.RequestLog;
import io.meshfed.provisioner.simulate.SimulatedCluster;
import io.meshfed.provisioner.simulate.SimulatedInventory;
import io.meshfed.provisioner.simulate.Simulation;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * meshfed's own cost, apart from the clusters' (issue 14): the packaged application in its own process,
 * with the JVM options {@code ./meshfed} gives it, applies blue-green, triangle and a 10-cluster full mesh to simulated clusters (API servers and etcd in
 * their processes, the simulated operators in this JVM), then applies again with nothing to do. Prints
 * its CPU time (all of it, and after every cluster had answered, per object), peak RSS and its
 * requests per object as the API servers counted them. Asserts what cannot vary with timing: a first
 * apply sends at most 3 requests per object besides its waits (a read, a write, a share of the lists),
 * its waits open one watch per kind and namespace, and a no-op apply sends at most one request per
 * object (and two per cluster: its API groups' discovery, the inventory's record) and writes nothing.
 */
@org.junit.jupiter.api.Tag("benchmark")
class OwnCostBenchmarkTest {

    @Test
    @DisplayName("benchmark: meshfed's CPU and requests per object, first and no-op apply, blue-green, triangle, 10-cluster mesh, OSSM 3 three primaries")
    void ownCost(@TempDir Path tmp) throws Exception {
        RenderGraphBenchmarkTest.writeInventory(tmp.resolve("mesh10"), 10, true);
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%-10s %7s  %-9s %7s %7s %9s %11s %6s  %-8s %s", "inventory", "objects", "apply", "wall ms",
                "cpu ms", "cpu after", "cpu/object", "RSS MB", "req/obj", "requests"));
        for (Object[] c : new Object[][] {{"blue-green", Repo.example("blue-green")}, {"triangle", Repo.example("triangle")},
                {"mesh-10", tmp.resolve("mesh10")}, {"ossm3-3", Repo.example("ossm3-multi-primary")}}) {
            String name = (String) c[0];
            Path dir = (Path) c[1];
            Inventory inventory = InventoryLoader.load(dir);
            int objects = ConvergeTest.graph(inventory).nodes().size();
            int clusters = inventory.clusters().size();
            long statusJudged = ConvergeTest.statusJudged(ConvergeTest.graph(inventory));
            try (Simulation simulation = SimulatedInventory.start(inventory, ConvergeTest.FAST)) {
                Path kubeconfig = Files.writeString(tmp.resolve(name + ".kubeconfig"),
                        SimulatedInventory.kubeconfig(inventory, simulation));
                PackagedRun first = PackagedRun.run(tmp, kubeconfig, simulation, List.of(PackagedRun.CLI_JVM), "apply", "-i", dir.toString());
                Map<String, Long> watchesByPath = watchesByPath(simulation);
                PackagedRun noOp = PackagedRun.run(tmp, kubeconfig, simulation, List.of(PackagedRun.CLI_JVM), "apply", "-i", dir.toString());
                for (PackagedRun run : List.of(first, noOp)) {
                    long afterStart = run.cpuMs() - run.startupCpuMs();
                    lines.add(String.format("%-10s %7d  %-9s %7d %7d %9d %11.2f %6d  %8.2f %s", name, objects,
                            run == first ? "first" : "no-op", run.wallMs(), run.cpuMs(), afterStart,
                            (double) afterStart / objects, run.rssMb(), (double) run.objectRequests() / objects,
                            run.requests()));
                }
                long watches = first.requests().getOrDefault("watch", 0L);
                // each wait's kind and namespace: one informer, a list then one watch
                assertThat(watchesByPath).as(name + ": watches opened, by cluster and path")
                        .allSatisfy((path, n) -> assertThat(n).as(path).isEqualTo(1L));
                assertThat(first.objectRequests() - 2 * watches).as(name + ": first apply's requests besides its waits")
                        .isLessThanOrEqualTo(3L * objects);
                assertThat(noOp.requests().getOrDefault("write", 0L)).as(name + ": no-op writes").isZero();
                assertThat(noOp.requests().getOrDefault("watch", 0L)).as(name + ": no-op watches").isZero();
                // one per object at most, besides a fresh read of each object whose readiness is judged on its status
                // (issue 20: never on the listing's copy) and what each cluster costs once: the discovery of its groups
                // (/apis) and the inventory's record there
                assertThat(noOp.objectRequests()).as(name + ": no-op requests")
                        .isLessThanOrEqualTo(objects + statusJudged + 2L * clusters);
            }
        }
        System.out.println("\n== meshfed's own cost, packaged application in its own process (cpu after: after every "
                + "cluster answered; requests without the run lock's) ==");
        lines.forEach(System.out::println);
    }

    private static Map<String, Long> watchesByPath(Simulation simulation) {
        Map<String, Long> watches = new TreeMap<>();
        for (SimulatedCluster cluster : simulation.clusters()) {
            for (RequestLog.Entry e : cluster.requests().entries()) {
                if (!e.controller() && e.watch()) {
                    watches.merge(cluster.name() + " " + e.path(), 1L, Long::sum);
                }
            }
        }
        return watches;
    }
}
