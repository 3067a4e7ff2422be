package io.meshfed.it;

import io.meshfed.provisioner.simulate.Simulation;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The kubectl built with the simulated clusters' control plane, run as a person runs it, against a kubeconfig. */
record Kubectl(Path kubeconfig, Path dir) {

    record Result(int exit, String out) {
    }

    Result run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Simulation.kubectl().toString(), "--kubeconfig", kubeconfig.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "kubectl", ".out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("kubectl " + String.join(" ", args) + " finished").isTrue();
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    /** Runs kubectl and expects it to succeed; its output. */
    String ok(String... args) throws Exception {
        Result r = run(args);
        assertThat(r.exit()).as("kubectl " + String.join(" ", args) + ":\n" + r.out()).isZero();
        return r.out();
    }

    /** {@code kubectl <verb> -f} of a YAML text. */
    String withFile(String yaml, String... args) throws Exception {
        Path file = Files.writeString(Files.createTempFile(dir, "manifest", ".yaml"), yaml);
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-f", file.toString()));
        return ok(all.toArray(String[]::new));
    }
}
