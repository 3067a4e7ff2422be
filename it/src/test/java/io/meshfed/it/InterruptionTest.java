package io.meshfed.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run stopped by a signal, on the packaged application in its own process (as a Job's pod, a
 * cancelled pipeline or Ctrl-C stops it): it starts nothing more, ends well inside the 30 s a pod
 * gets, prints its recap naming the interruption, writes its reports and exits 143 (SIGTERM) or 130
 * (SIGINT).
 */
class InterruptionTest {

    private static Process start(Path out, String... args) throws Exception {
        return AppProcess.start(out, Map.of("QUARKUS_HTTP_PORT", "0"), List.of(), args);
    }

    /** Waits until the output shows that the run has written something (a first object changed). */
    private static void awaitFirstChange(Process process, Path out) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!Files.readString(out).contains("changed: ") && System.nanoTime() < deadline && process.isAlive()) {
            Thread.sleep(50);
        }
        assertThat(Files.readString(out)).as("the run started").contains("changed: ");
    }

    @Test
    @DisplayName("SIGTERM during apply: the recap names it, the reports are written, exit 143 within seconds")
    void sigtermDuringApply(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("apply.out");
        Path report = tmp.resolve("report.json");
        Path junit = tmp.resolve("junit.xml");
        Process apply = start(out, "apply", "-i", Repo.example("blue-green").toString(), "--simulate",
                "--report-json", report.toString(), "--junit", junit.toString());
        try {
            awaitFirstChange(apply, out);
            long signalled = System.nanoTime();
            AppProcess.signal(apply, "TERM");
            assertThat(apply.waitFor(30, TimeUnit.SECONDS)).as("ended within 30 s").isTrue();
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
            String text = Files.readString(out);
            System.out.printf("[benchmark] apply stopped by SIGTERM: ended %d ms after the signal%n", took);
            assertThat(apply.exitValue()).as(text).isEqualTo(143);
            assertThat(text).contains("SIGTERM: stopping the run", "PLAY RECAP", "interrupted (SIGTERM): ")
                    .doesNotContain("Exception");
            JsonNode json = new ObjectMapper().readTree(report.toFile());
            assertThat(json.get("interruption").asText()).isEqualTo("SIGTERM");
            assertThat(json.get("succeeded").asBoolean()).isFalse();
            List<String> actions = new ArrayList<>();
            json.get("nodes").forEach(n -> actions.add(n.get("action").asText()));
            assertThat(actions).as("some objects were applied before, some not run after").contains("not run")
                    .containsAnyOf("create", "adopt");
            // an object written and then stopped while it waited for readiness is a change, not a failure
            json.get("nodes").forEach(n -> {
                if (n.get("action").asText().equals("interrupted")) {
                    assertThat(n.get("result").asText()).as(n.toString())
                            .isEqualTo(n.get("message").asText().contains(" written, then ") ? "changed" : "failed");
                }
            });
            assertThat(Files.readString(junit)).contains("<testsuites");
        } finally {
            apply.destroyForcibly();
        }
    }

    @Test
    @DisplayName("SIGINT (Ctrl-C) during apply: exit 130 with the recap; a second signal exits at once")
    void sigintDuringApply(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("apply.out");
        Process apply = start(out, "apply", "-i", Repo.example("blue-green").toString(), "--simulate");
        try {
            awaitFirstChange(apply, out);
            AppProcess.signal(apply, "INT");
            assertThat(apply.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(apply.exitValue()).isEqualTo(130);
            assertThat(Files.readString(out)).contains("PLAY RECAP", "interrupted (SIGINT): ");
        } finally {
            apply.destroyForcibly();
        }
        Path again = tmp.resolve("again.out");
        Process twice = start(again, "apply", "-i", Repo.example("blue-green").toString(), "--simulate");
        try {
            awaitFirstChange(twice, again);
            List<ProcessHandle> controlPlanes = twice.descendants().toList();
            assertThat(controlPlanes).as("the simulated clusters' processes").isNotEmpty();
            AppProcess.signal(twice, "TERM");
            AppProcess.signal(twice, "TERM");
            assertThat(twice.waitFor(10, TimeUnit.SECONDS)).as("exited at once").isTrue();
            assertThat(Files.readString(again)).contains("SIGTERM again: exiting now");
            for (ProcessHandle p : controlPlanes) {
                p.onExit().get(10, TimeUnit.SECONDS);
                assertThat(p.isAlive()).as("left running: " + p.info().command().orElse("?")).isFalse();
            }
        } finally {
            twice.destroyForcibly();
        }
    }

    @Test
    @DisplayName("SIGTERM during serve's first run: the run's recap, 'stopped', exit 143, well inside 30 s")
    void sigtermDuringServe(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("serve.out");
        Process serve = start(out, "serve", "-i", Repo.example("blue-green").toString(), "--simulate", "--interval", "10m");
        try {
            awaitFirstChange(serve, out);
            long signalled = System.nanoTime();
            serve.destroy();   // SIGTERM
            assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
            System.out.printf("[benchmark] serve stopped by SIGTERM mid-run: ended %d ms after the signal%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled));
            String text = Files.readString(out);
            assertThat(serve.exitValue()).as(text).isEqualTo(143);
            assertThat(text).contains("interrupted (SIGTERM): ", "stopped");
        } finally {
            serve.destroyForcibly();
        }
    }

    @Test
    @DisplayName("Ctrl-C at a terminal on simulate up (SIGINT to the whole process group, the control planes included): "
            + "it stops without calling their end unexpected, and leaves no process behind")
    void simulateUpCtrlC(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("up.out");
        List<String> command = new ArrayList<>(List.of("setsid", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Repo.packagedApplication().toString(), "simulate", "up", "-i", Repo.example("blue-green").toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().put("QUARKUS_HTTP_PORT", "0");
        Process up = builder.start();   // setsid: a process group of its own, as a terminal's foreground job
        try {
            AppProcess.await(up, out, "running; Ctrl-C stops");
            List<ProcessHandle> controlPlanes = up.descendants().toList();
            assertThat(controlPlanes).as("etcd and kube-apiserver of both clusters").hasSizeGreaterThanOrEqualTo(4);
            assertThat(new ProcessBuilder("kill", "-INT", "--", "-" + up.pid()).start().waitFor()).isZero();
            assertThat(up.waitFor(30, TimeUnit.SECONDS)).as("stopped").isTrue();
            String text = Files.readString(out);
            assertThat(text).contains("stopped").doesNotContain("unexpectedly").doesNotContain("ERROR");
            Thread.sleep(1000);   // a late message of the processes' ends would come within the half second they wait
            assertThat(Files.readString(out)).doesNotContain("unexpectedly");
            assertThat(controlPlanes).noneMatch(ProcessHandle::isAlive);
        } finally {
            up.destroyForcibly();
        }
    }
}
