package io.meshfed.it;

import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.meshfed.inventory.InventoryLoader;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.provisioner.simulate.RequestLog;
import io.meshfed.provisioner.simulate.SimulatedInventory;
import io.meshfed.provisioner.simulate.Simulation;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The run lock seen from the packaged application's processes (issue 20): a run paused (SIGSTOP)
 * past its Lease's duration while another run takes over writes nothing after it resumes and exits 7;
 * SIGTERM while a run waits for another's lock ends it at once with its recap and reports, exit 143.
 */
class LockedRunTest {

    private static Process start(Path out, Path kubeconfig, String lockDuration, String... args) throws Exception {
        return AppProcess.start(out, Map.of("KUBECONFIG", kubeconfig.toString(), "MESHFED_LOCK_DURATION", lockDuration),
                List.of("@" + Repo.root().resolve("scripts/jvm-cli.args")), args);
    }

    /** meshfed's successful writes the API servers answered since their logs were cleared, the run lock's aside. */
    private static List<String> writes(Simulation simulation) {
        List<String> writes = new ArrayList<>();
        for (var cluster : simulation.clusters()) {
            for (RequestLog.Entry e : cluster.requests().entries()) {
                if (!e.controller() && e.write() && e.status() < 300 && !e.path().contains("/leases/")) {
                    writes.add(cluster.name() + " " + e.method() + " " + e.path());
                }
            }
        }
        return writes;
    }

    @Test
    @DisplayName("a run paused (SIGSTOP) past its Lease while another run takes the lock and converges: resumed, it writes "
            + "nothing, says it lost the lock and exits 7")
    void pausedRunWritesNothingAfterResuming(@TempDir Path tmp) throws Exception {
        Inventory inventory = InventoryLoader.load(Repo.example("blue-green"));
        // control planes that take 8 s to start: the run is paused while it waits for one, not in the middle of a write
        // (a write checked just before the pause is sent after it, as with any lock without fencing: README)
        var timing = new io.meshfed.provisioner.simulate.SimulationTiming(java.time.Duration.ofMillis(30),
                java.time.Duration.ofSeconds(8), java.time.Duration.ofMillis(30));
        try (Simulation simulation = SimulatedInventory.start(inventory, timing)) {
            Path kubeconfig = Files.writeString(tmp.resolve("kubeconfig"), SimulatedInventory.kubeconfig(inventory, simulation));
            String inv = Repo.example("blue-green").toString();
            Path pausedOut = tmp.resolve("paused.out");
            // a 5 s Lease, renewed every second or so: a busy CI machine once let a 3 s one lapse before the pause
            Process paused = start(pausedOut, kubeconfig, "5s", "apply", "-i", inv);
            try {
                AppProcess.await(paused, pausedOut, "ServiceMeshControlPlane blue-mesh-system/blue-mesh: ");
                AppProcess.signal(paused, "STOP");
                Thread.sleep(5500);
                Path otherOut = tmp.resolve("other.out");
                // the other run keeps the default Lease (renewed every 5 s, lost after 10 s without): a 3 s Lease
                // renewed every second was lost by a busy machine's scheduling (it is the paused run's that must lapse;
                // the other takes it when the paused run's own 5 s have passed)
                Process other = start(otherOut, kubeconfig, "15s", "apply", "-i", inv);
                assertThat(other.waitFor(120, TimeUnit.SECONDS)).isTrue();
                String otherText = Files.readString(otherOut);
                assertThat(other.exitValue()).as(otherText).isZero();
                assertThat(otherText).contains("waiting for the lock ");

                simulation.clusters().forEach(c -> c.requests().clear());
                AppProcess.signal(paused, "CONT");
                assertThat(paused.waitFor(60, TimeUnit.SECONDS)).isTrue();
                String pausedText = Files.readString(pausedOut);
                assertThat(paused.exitValue()).as(pausedText).isEqualTo(7);
                assertThat(pausedText).contains("was not renewed for 3.3s", "PLAY RECAP", "writes nothing more");
                assertThat(writes(simulation)).as("writes of the resumed run").isEmpty();
            } finally {
                paused.destroyForcibly();
            }
        }
    }

    @Test
    @DisplayName("SIGTERM while waiting for another run's lock: recap (nothing run), reports, exit 143 within 5 s")
    void sigtermWhileWaiting(@TempDir Path tmp) throws Exception {
        Inventory inventory = InventoryLoader.load(Repo.example("blue-green"));
        try (Simulation simulation = SimulatedInventory.start(inventory, ConvergeTest.FAST)) {
            Path kubeconfig = Files.writeString(tmp.resolve("kubeconfig"), SimulatedInventory.kubeconfig(inventory, simulation));
            var green = simulation.require("green").controllerClient();
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
            green.leases().inNamespace("default").resource(new LeaseBuilder().withNewMetadata().withName("meshfed-blue-green")
                    .endMetadata().withNewSpec().withHolderIdentity("pipeline-9/1").withLeaseDurationSeconds(15)
                    .withAcquireTime(now).withRenewTime(now).endSpec().build()).create();
            ScheduledExecutorService holder = Executors.newSingleThreadScheduledExecutor();
            holder.scheduleAtFixedRate(() -> green.leases().inNamespace("default").withName("meshfed-blue-green").edit(l -> {
                l.getSpec().setRenewTime(ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS));
                return l;
            }), 1, 1, TimeUnit.SECONDS);
            Path out = tmp.resolve("waiting.out");
            Path report = tmp.resolve("report.json");
            Path junit = tmp.resolve("junit.xml");
            Process waiting = start(out, kubeconfig, "15s", "apply", "-i", Repo.example("blue-green").toString(),
                    "--report-json", report.toString(), "--junit", junit.toString());
            try {
                AppProcess.await(waiting, out, "waiting for the lock default/meshfed-blue-green, held by pipeline-9/1");
                long sent = System.nanoTime();
                waiting.destroy();   // SIGTERM
                assertThat(waiting.waitFor(5, TimeUnit.SECONDS)).as("ended within 5 s of SIGTERM").isTrue();
                System.out.printf("[benchmark] SIGTERM while waiting for the lock: exit after %d ms%n",
                        (System.nanoTime() - sent) / 1_000_000);
                String text = Files.readString(out);
                assertThat(waiting.exitValue()).as(text).isEqualTo(143);
                assertThat(text).contains("PLAY RECAP", "not run");
                assertThat(Files.readString(report)).contains("\"interruption\" : \"SIGTERM\"");
                assertThat(Files.readString(junit)).contains("<testsuite name=\"blue\"");
            } finally {
                holder.shutdownNow();
                waiting.destroyForcibly();
            }
        }
    }
}
