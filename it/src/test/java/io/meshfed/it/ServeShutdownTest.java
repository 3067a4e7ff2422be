package io.meshfed.it;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code meshfed serve} as a Job runs it: the packaged application in its own process, stopped with
 * SIGTERM after its first run. Health and metrics are served without being asked for (only the port
 * is set). It stops cleanly: the run's recap, then "stopped", and the simulated clusters closed.
 */
class ServeShutdownTest {

    @Test
    @DisplayName("serve stops cleanly on SIGTERM after a run")
    void sigterm(@TempDir Path tmp) throws Exception {
        Path jar = Repo.packagedApplication();
        Path out = tmp.resolve("serve.out");
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar.toString(), "serve", "-i", Repo.example("blue-green").toString(), "--simulate", "--interval", "10m")
                .redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().remove("QUARKUS_HTTP_HOST_ENABLED");
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        Process serve = builder.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!Files.readString(out).contains(" changed in ") && System.nanoTime() < deadline && serve.isAlive()) {
                Thread.sleep(200);
            }
            assertThat(Files.readString(out)).contains("PLAY RECAP", " changed in ");
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> live = get(http, port, "/q/health/live");
            HttpResponse<String> ready = get(http, port, "/q/health/ready");
            HttpResponse<String> metrics = get(http, port, "/q/metrics");
            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(ready.body()).contains("\"phase\"", "\"changed\"");
            assertThat(metrics.body()).contains("meshfed_nodes{", "meshfed_api_requests_seconds_count{",
                    "jvm_memory_used_bytes{", "process_cpu_usage");
            serve.destroy(); // SIGTERM
            assertThat(serve.waitFor(60, TimeUnit.SECONDS)).as("stopped within a minute").isTrue();
            String text = Files.readString(out);
            assertThat(text.substring(text.indexOf(" changed in "))).contains("stopped");
            assertThat(text).doesNotContain("Exception");
        } finally {
            serve.destroyForcibly();
        }
    }

    @Test
    @DisplayName("simulate up, stopped by SIGTERM, leaves no etcd or kube-apiserver running")
    void simulateUpStopsItsControlPlanes(@TempDir Path tmp) throws Exception {
        Path jar = Repo.packagedApplication();
        Path out = tmp.resolve("up.out");
        Process up = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar.toString(), "simulate", "up", "-i", Repo.example("blue-green").toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!Files.readString(out).contains("Ctrl-C stops") && System.nanoTime() < deadline && up.isAlive()) {
                Thread.sleep(200);
            }
            assertThat(Files.readString(out)).contains("Ctrl-C stops");
            List<ProcessHandle> controlPlanes = up.descendants().filter(p -> p.info().command()
                    .map(c -> c.endsWith("/etcd") || c.endsWith("/kube-apiserver")).orElse(false)).toList();
            assertThat(controlPlanes).as("an etcd and a kube-apiserver per cluster").hasSize(4);
            up.destroy(); // SIGTERM: no close() on the main thread; the JVM's shutdown hooks must stop them
            assertThat(up.waitFor(60, TimeUnit.SECONDS)).isTrue();
            for (ProcessHandle p : controlPlanes) {
                assertThat(p.onExit().get(30, TimeUnit.SECONDS).isAlive()).as(p.info().command().orElse("?")).isFalse();
            }
        } finally {
            up.destroyForcibly();
        }
    }

    private static HttpResponse<String> get(HttpClient http, int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
