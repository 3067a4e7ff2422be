package io.meshfed.it;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./meshfed} as a pipeline runs it (no terminal): its first run after a build trains the JDK's
 * AOT cache without a word of the JVM's in the command's output, the cache is made in the background,
 * and the next run starts with it.
 */
class LauncherTest {

    private record Run(int exit, String out, String err) {
    }

    private static Run launch(Path tmp, String name, String... env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Repo.root().resolve("meshfed").toString(), "plan", "--simulate", "-i",
                Repo.example("blue-green").toString())
                .redirectOutput(tmp.resolve(name + ".out").toFile()).redirectError(tmp.resolve(name + ".err").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        for (int i = 0; i < env.length; i += 2) {
            builder.environment().put(env[i], env[i + 1]);
        }
        Process p = builder.start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as(name + " ended").isTrue();
        return new Run(p.exitValue(), Files.readString(tmp.resolve(name + ".out")), Files.readString(tmp.resolve(name + ".err")));
    }

    private static String summary(String out) {
        return out.lines().filter(l -> l.startsWith("Plan: ")).findFirst().orElse("");
    }

    @Test
    @DisplayName("no terminal: the first run trains the AOT cache with nothing of the JVM's in stdout or stderr, the next run opens the cache; both print the same plan")
    void aotCacheInPipelines(@TempDir Path tmp) throws Exception {
        Path cache = tmp.resolve("meshfed.aot");
        Run first = launch(tmp, "first", "MESHFED_AOT_CACHE", cache.toString());
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).contains("Plan: ").doesNotContainIgnoringCase("aot");
        assertThat(first.err()).doesNotContainIgnoringCase("aot");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(cache) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(cache).as("made in the background after the first run").exists();

        Path log = tmp.resolve("aot.log");
        Run second = launch(tmp, "second", "MESHFED_AOT_CACHE", cache.toString(), "MESHFED_JAVA_OPTS", "-Xlog:aot:file=" + log);
        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(Files.readString(log)).contains("Opened AOT cache " + cache);
        assertThat(summary(second.out())).isEqualTo(summary(first.out())).startsWith("Plan: 50 to create");
    }
}
