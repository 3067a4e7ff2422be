package io.meshfed.it;

import io.meshfed.inventory.InventoryLoader;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.provisioner.apply.GraphExecutor;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a pipeline waits for when nothing needs doing (issue 14): the packaged application, in its own
 * process as {@code ./meshfed} runs it, against converged simulated clusters running in this JVM —
 * three no-op {@code apply} and three {@code plan} runs per inventory, with the JVM's default options, with
 * those {@code ./meshfed} gives a command that runs and ends (C1 alone, the serial GC:
 * scripts/jvm-cli.args), and with those and a JDK AOT cache recorded by one training run (the ratios
 * in one run: these machines are noisy).
 * Prints the medians of wall time, time to the first API answer, CPU time, peak RSS, and the requests
 * per object counted at the API servers by kind of request (the run lock's Lease apart). Asserts what
 * cannot vary: a no-op apply and a plan write nothing, and send at most one request per object besides
 * the run lock (one list per owned kind, a read of what the inventory does not own, a dry run only
 * where managedFields cannot tell), and an apply a fresh read of each object whose readiness is judged on
 * its status.
 */
@org.junit.jupiter.api.Tag("benchmark")
class NoOpBenchmarkTest {

    private static final int RUNS = 3;

    private static long median(List<PackagedRun> runs, java.util.function.ToLongFunction<PackagedRun> value) {
        return runs.stream().mapToLong(value).sorted().toArray()[runs.size() / 2];
    }

    @Test
    @DisplayName("no-op apply and plan of the packaged application, plain JVM and AOT cache: wall, first answer, CPU, RSS, "
            + "requests per object; nothing written")
    void noOp(@TempDir Path tmp) throws Exception {
        List<String> lines = new ArrayList<>();
        // one inventory, the larger of the two federations (blue-green's figures, in BENCHMARKS.md, were alike per object):
        // the ratios between the JVM's modes are what this measures, and each run of three modes costs a minute of CI
        for (String example : List.of("triangle")) {
            Inventory inventory = InventoryLoader.load(Repo.example(example));
            try (Simulation simulation = SimulatedInventory.start(inventory, ConvergeTest.FAST)) {
                Path kubeconfig = Files.writeString(tmp.resolve(example + ".kubeconfig"),
                        SimulatedInventory.kubeconfig(inventory, simulation));
                int objects = ConvergeTest.graph(inventory).nodes().size();
                long statusJudged = ConvergeTest.statusJudged(ConvergeTest.graph(inventory));
                assertThat(ConvergeTest.run(inventory, simulation, GraphExecutor.Mode.APPLY).failures()).isEmpty();
                String inv = Repo.example(example).toString();
                Path aot = tmp.resolve(example + ".aot");
                long training = System.nanoTime();
                PackagedRun.run(tmp, kubeconfig, simulation, List.of(PackagedRun.CLI_JVM, "-XX:AOTCacheOutput=" + aot),
                        "apply", "-i", inv);
                long trainingMs = (System.nanoTime() - training) / 1_000_000;
                for (String mode : List.of("JVM default", "CLI flags", "CLI + AOT")) {
                    List<String> jvm = switch (mode) {
                        case "JVM default" -> List.of();
                        case "CLI flags" -> List.of(PackagedRun.CLI_JVM);
                        default -> List.of(PackagedRun.CLI_JVM, "-XX:AOTCache=" + aot);
                    };
                    for (String verb : List.of("apply", "plan")) {
                        List<PackagedRun> runs = new ArrayList<>();
                        for (int i = 0; i < RUNS; i++) {
                            runs.add(PackagedRun.run(tmp, kubeconfig, simulation, jvm, verb, "-i", inv));
                        }
                        runs.forEach(r -> assertThat(r.requests().getOrDefault("write", 0L)).as(verb + " of a converged "
                                + example + " writes nothing").isZero());
                        Map<String, Long> requests = runs.get(RUNS / 2).requests();
                        long total = runs.get(RUNS / 2).objectRequests();
                        // issue 14: live state read by listing, a dry run only where managedFields cannot tell; issue 20:
                        // an apply reads again each object whose readiness is judged on its status (plan waits for none)
                        assertThat(total).as(verb + " of " + example + ": requests besides the run lock, at most one per "
                                + "object and, for apply, a fresh read of each whose status is judged")
                                .isLessThanOrEqualTo(objects + (verb.equals("apply") ? statusJudged : 0));
                        lines.add(String.format("%-10s %3d objects  %-11s %-5s wall %5d ms  first answer %5d ms  cpu %5d ms  "
                                        + "RSS %4d MB  requests %.2f/object %s", example, objects, mode, verb,
                                median(runs, PackagedRun::wallMs), median(runs, PackagedRun::firstMs), median(runs, PackagedRun::cpuMs),
                                median(runs, PackagedRun::rssMb), (double) total / objects, requests));
                    }
                }
                lines.add(String.format("%-10s AOT cache recorded by one no-op apply in %d ms (%d MB)", example, trainingMs,
                        Files.size(aot) / 1_000_000));
            }
        }
        System.out.println("\n== no-op runs of the packaged application (medians of " + RUNS + ") ==");
        lines.forEach(System.out::println);
    }
}
