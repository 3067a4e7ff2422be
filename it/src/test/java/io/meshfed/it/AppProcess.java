package io.meshfed.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged application in a process of its own, as a pipeline or a Job runs it: started, watched, signalled. */
final class AppProcess {

    private AppProcess() {
    }

    /** Starts it with {@code args}, stdout and stderr into {@code out}, with {@code env} added to this process's environment. */
    static Process start(Path out, Map<String, String> env, List<String> jvm, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvm);
        command.addAll(List.of("-jar", Repo.packagedApplication().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    /** Waits (up to 120 s, or until the process ends) for {@code text} in its output, and asserts it came. */
    static void await(Process process, Path out, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.readString(out).contains(text) && System.nanoTime() < deadline && process.isAlive()) {
            Thread.sleep(10);
        }
        assertThat(Files.readString(out)).as("waited for '" + text + "'").contains(text);
    }

    /** {@code kill -NAME pid}. */
    static void signal(Process process, String name) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start().waitFor()).isZero();
    }
}
