package io.meshfed.it;

import io.meshfed.provisioner.simulate.Simulation;
import io.meshfed.provisioner.simulate.SimulationTiming;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What simulated clusters cost to start: wall time until every cluster is seeded and its
 * controllers run, and the memory (RSS) of the etcd and kube-apiserver processes, for one and for
 * three clusters. Prints figures; asserts only that the processes are there and go away.
 */
@org.junit.jupiter.api.Tag("benchmark")
class SimulationStartBenchmarkTest {

    @Test
    @DisplayName("start-up of one and of three simulated clusters: wall time and RSS of their etcd and kube-apiserver")
    void startUp() throws IOException {
        for (int n : new int[] {1, 3}) {
            List<Simulation.ClusterSpec> specs = IntStream.rangeClosed(1, n)
                    .mapToObj(i -> new Simulation.ClusterSpec("c" + i, false)).toList();
            long start = System.nanoTime();
            long etcd;
            long apiserver;
            try (Simulation simulation = Simulation.start(specs, SimulationTiming.DEFAULT)) {
                long wall = (System.nanoTime() - start) / 1_000_000;
                etcd = rss("etcd");
                apiserver = rss("kube-apiserver");
                System.out.printf("[benchmark] %d simulated cluster(s) started in %,d ms; RSS: etcd %,d MB, kube-apiserver %,d MB "
                        + "(%,d MB per cluster)%n", n, wall, etcd / 1024, apiserver / 1024, (etcd + apiserver) / 1024 / n);
                assertThat(simulation.clusters()).hasSize(n);
                assertThat(processes("kube-apiserver")).hasSize(n);
                assertThat(processes("etcd")).hasSize(n);
            }
            assertThat(processes("kube-apiserver")).as("stopped with the simulation").isEmpty();
        }
    }

    private static List<ProcessHandle> processes(String command) {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("/" + command)).orElse(false)).toList();
    }

    /** The summed resident set of this process's children running {@code command}, in KiB. */
    private static long rss(String command) throws IOException {
        long kib = 0;
        for (ProcessHandle p : processes(command)) {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(p.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    kib += Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        }
        return kib;
    }
}
