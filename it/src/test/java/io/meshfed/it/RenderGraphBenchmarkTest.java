package io.meshfed.it;

import io.meshfed.inventory.InventoryLoader;
import io.meshfed.model.graph.GraphBuilder;
import io.meshfed.model.graph.ResourceGraph;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.model.render.FederationRenderer;
import io.meshfed.model.resource.DesiredObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Benchmark, not a timed test: loads, renders and builds the graph of full-mesh inventories of 10, 25
 * and 50 clusters (every cluster exporting a service to all its peers and importing all of theirs),
 * and prints median times over repeated runs after a warm-up. The assertions are on what was built,
 * never on time; the figures go to BENCHMARKS.md.
 */
@org.junit.jupiter.api.Tag("benchmark")
class RenderGraphBenchmarkTest {

    private static final int[] SIZES = {10, 25, 50, 100};
    private static final int RUNS = 5;

    @Test
    @DisplayName("benchmark: inventory load + render + graph for 10, 25 and 50 clusters in full mesh")
    void fullMeshScaling(@TempDir Path tmp) throws IOException {
        for (int n : SIZES) {
            writeInventory(tmp.resolve("mesh" + n), n);
        }
        for (int i = 0; i < 2; i++) {       // warm-up: JIT and class loading, every size
            for (int n : SIZES) {
                measure(tmp.resolve("mesh" + n));
            }
        }
        StringBuilder table = new StringBuilder(String.format("%n%-9s %8s %8s %7s %9s %9s %9s %9s %10s%n",
                "clusters", "objects", "edges", "peers", "load ms", "render ms", "graph ms", "total ms", "us/object"));
        double firstPerObject = 0;
        double lastPerObject = 0;
        for (int n : SIZES) {
            long[][] samples = new long[RUNS][];
            Result result = null;
            for (int r = 0; r < RUNS; r++) {
                result = measure(tmp.resolve("mesh" + n));
                samples[r] = result.nanos;
            }
            long load = median(samples, 0);
            long render = median(samples, 1);
            long graph = median(samples, 2);
            long total = load + render + graph;
            double perObject = total / 1000.0 / result.objects;
            firstPerObject = firstPerObject == 0 ? perObject : firstPerObject;
            lastPerObject = perObject;
            table.append(String.format("%-9d %8d %8d %7d %9.1f %9.1f %9.1f %9.1f %10.2f%n", n, result.objects, result.edges,
                    result.peers, load / 1e6, render / 1e6, graph / 1e6, total / 1e6, perObject));

            assertThat(result.peers).isEqualTo(n * (n - 1));
        }
        table.append(String.format("time per object at %d clusters / at %d clusters: %.2f (1.0 = linear)%n",
                SIZES[SIZES.length - 1], SIZES[0], lastPerObject / firstPerObject));
        System.out.println("[benchmark] render+graph, full mesh, median of " + RUNS + " runs" + table);
    }

    private record Result(int objects, int edges, int peers, long[] nanos) {
    }

    private static Result measure(Path inventoryDir) {
        long t0 = System.nanoTime();
        Inventory inventory = InventoryLoader.load(inventoryDir);
        long t1 = System.nanoTime();
        List<DesiredObject> objects = FederationRenderer.render(inventory);
        long t2 = System.nanoTime();
        ResourceGraph graph = GraphBuilder.withDefaultRules().build(objects);
        long t3 = System.nanoTime();
        int peers = (int) objects.stream().filter(o -> o.ref().kind().equals("ServiceMeshPeer")).count();
        return new Result(objects.size(), graph.edges().size(), peers, new long[] {t1 - t0, t2 - t1, t3 - t2});
    }

    private static long median(long[][] samples, int column) {
        long[] values = Arrays.stream(samples).mapToLong(s -> s[column]).sorted().toArray();
        return values[values.length / 2];
    }

    /** n clusters c00.. in full mesh; each exports svc-cNN in apps to all peers and imports all of theirs. */
    static void writeInventory(Path dir, int n) throws IOException {
        writeInventory(dir, n, false);
    }

    /** With {@code services}, each cluster also ships the Service it exports (so that exports become ready). */
    static void writeInventory(Path dir, int n, boolean services) throws IOException {
        Files.createDirectories(dir.resolve("group_vars/all"));
        Files.createDirectories(dir.resolve("apps"));
        StringBuilder hosts = new StringBuilder("all:\n  children:\n    meshes:\n      hosts:\n");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = String.format("c%02d", i);
            names.add(name);
            hosts.append("        ").append(name).append(":\n          kube_context: ").append(name)
                    .append("\n          metallb_addresses: [10.").append(i).append(".0.0/24]\n");
            if (services) {
                hosts.append("          mesh_manifests: [apps/").append(name).append(".yaml]\n");
                Files.writeString(dir.resolve("apps/" + name + ".yaml"), "apiVersion: v1\nkind: Service\nmetadata:\n"
                        + "  name: svc-" + name + "\n  namespace: apps\nspec:\n  ports: [{port: 8080, name: http}]\n");
            }
        }
        Files.writeString(dir.resolve("hosts.yaml"), hosts);
        Files.writeString(dir.resolve("group_vars/all/mesh.yaml"), "meshfed_inventory_name: mesh-" + n + "\nmesh_members: [apps]\n");
        StringBuilder fed = new StringBuilder("federation:\n  peering: full-mesh\n  exports:\n");
        for (String name : names) {
            fed.append("    - from: ").append(name).append("\n      services: [{namespace: apps, name: svc-").append(name)
                    .append("}]\n");
        }
        fed.append("  imports:\n");
        for (String into : names) {
            for (String from : names) {
                if (!into.equals(from)) {
                    fed.append("    - {into: ").append(into).append(", from: ").append(from)
                            .append(", services: [{namespace: apps, name: svc-").append(from).append("}]}\n");
                }
            }
        }
        Files.writeString(dir.resolve("group_vars/all/federation.yaml"), fed);
    }
}
