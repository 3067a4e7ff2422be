package io.meshfed.it;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code serve} reads the inventory again every cycle, on the packaged application in its own
 * process: an edit that makes it invalid is reported and served through (not ready), and a cluster
 * added to it gets connected to and converged.
 */
class ServeReloadTest {

    private static void await(Process process, Path out, String text, int after) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (Files.readString(out).indexOf(text, after) < 0 && System.nanoTime() < deadline && process.isAlive()) {
            Thread.sleep(100);
        }
        assertThat(Files.readString(out).substring(after)).as("waited for '" + text + "'").contains(text);
    }

    @Test
    @DisplayName("serve: an invalid edit is reported and served through (not ready); an added cluster is connected and converged")
    void inventoryEditedWhileServing(@TempDir Path tmp) throws Exception {
        Path inventory = tmp.resolve("blue-green");
        Repo.copyTree(Repo.example("blue-green"), inventory);
        Path hosts = inventory.resolve("hosts.yaml");
        String original = Files.readString(hosts);
        Path out = tmp.resolve("serve.out");
        int port = ServeShutdownTest.freePort();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                Repo.packagedApplication().toString(), "serve", "-i", inventory.toString(), "--simulate", "--interval", "1s")
                .redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        Process serve = builder.start();
        try {
            await(serve, out, " changed in ", 0);
            Files.writeString(hosts, original.replace("metallb_addresses: [10.19.3.29-10.19.3.31]", "metallb_addresses: [nonsense]"));
            await(serve, out, "skipped: the inventory is not valid", 0);
            assertThat(Files.readString(out)).contains("hosts.yaml:").contains("nonsense");
            HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);
            // why not ready, in the probe's answer
            assertThat(ready.body()).contains("\"reason\"", "skipped: the inventory is not valid: ", "nonsense");
            assertThat(serve.isAlive()).as("still serving").isTrue();

            int mark = Files.readString(out).length();
            Files.writeString(hosts, original + "        yellow:\n          kube_context: yellow\n"
                    + "          metallb_addresses: [10.19.5.29-10.19.5.31]\n");
            await(serve, out, "the inventory's clusters changed: connecting again", mark);
            await(serve, out, " changed in ", mark);
            String grown = Files.readString(out).substring(mark);
            assertThat(grown).contains("PLAY RECAP", "yellow ", "failed=0");
            serve.destroy();
            assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(out).substring(mark)).contains("stopped");
        } finally {
            serve.destroyForcibly();
        }
    }
}
