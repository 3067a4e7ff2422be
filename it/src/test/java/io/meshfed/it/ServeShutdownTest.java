package io.meshfed.it;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code meshfed serve} as a Job runs it: the packaged application in its own process, stopped with
 * SIGTERM after its first run. It stops cleanly: the run's recap, then "stopped", and the simulated
 * clusters closed.
 */
class ServeShutdownTest {

    @Test
    @DisplayName("serve stops cleanly on SIGTERM after a run")
    void sigterm(@TempDir Path tmp) throws Exception {
        Path jar = Repo.root().resolve("native/target/quarkus-app/quarkus-run.jar");
        assumeTrue(Files.exists(jar), "the application is packaged by the native module's build first");
        Path out = tmp.resolve("serve.out");
        Process serve = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar.toString(), "serve", "-i", Repo.example("blue-green").toString(), "--simulate", "--interval", "10m")
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!Files.readString(out).contains(" changed in ") && System.nanoTime() < deadline && serve.isAlive()) {
                Thread.sleep(200);
            }
            assertThat(Files.readString(out)).contains("PLAY RECAP", " changed in ");
            serve.destroy(); // SIGTERM
            assertThat(serve.waitFor(60, TimeUnit.SECONDS)).as("stopped within a minute").isTrue();
            String text = Files.readString(out);
            assertThat(text.substring(text.indexOf(" changed in "))).contains("stopped");
            assertThat(text).doesNotContain("Exception");
        } finally {
            serve.destroyForcibly();
        }
    }
}
