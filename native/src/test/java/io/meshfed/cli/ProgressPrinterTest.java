package io.meshfed.cli;

import io.meshfed.model.resource.ObjectRef;
import io.meshfed.provisioner.apply.NodeResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressPrinterTest {

    private static final NodeResult CHANGED = new NodeResult(new ObjectRef("blue", "v1", "Namespace", null, "apps"),
            NodeResult.Outcome.CHANGED, "create", Duration.ofMillis(1200), "namespace is Active", 0, 1);
    private static final NodeResult FAILED = new NodeResult(new ObjectRef("green", "v1", "ConfigMap", "ns", "ca"),
            NodeResult.Outcome.FAILED, "error", Duration.ofMillis(10), "403 forbidden", 0, 0);

    private static String print(boolean color, NodeResult... results) {
        StringWriter text = new StringWriter();
        ProgressPrinter printer = new ProgressPrinter(new PrintWriter(text), false, new RunState(new SimpleMeterRegistry()),
                color);
        for (NodeResult r : results) {
            printer.finished(r);
        }
        return text.toString();
    }

    @Test
    @DisplayName("a cluster left out (--skip-unreachable): one line for the cluster, not one per object")
    void unreachableOncePerCluster() {
        NodeResult[] left = java.util.stream.IntStream.range(0, 5).mapToObj(i -> new NodeResult(new ObjectRef("green", "v1",
                "ConfigMap", "ns", "c" + i), NodeResult.Outcome.UNREACHABLE, "unreachable", Duration.ZERO, "cluster unreachable",
                0, 0)).toArray(NodeResult[]::new);
        assertThat(print(false, left)).isEqualTo("unreachable: [green] the cluster could not be reached: its objects were "
                + "left out\n");
    }

    @Test
    @DisplayName("apply --diff: a change's diff right after its line; none without --diff")
    void diffAfterItsLine() {
        StringWriter text = new StringWriter();
        ProgressPrinter printer = new ProgressPrinter(new PrintWriter(text), false, new RunState(new SimpleMeterRegistry()),
                false).withDiffs(true);
        assertThat(printer.wantsDiffs()).isTrue();
        printer.changed(CHANGED.ref(), "--- live/blue/Namespace/apps\n+++ planned/blue/Namespace/apps\n+  name: apps\n");
        printer.finished(CHANGED);
        assertThat(text.toString()).isEqualTo("changed: [blue] Namespace apps (create, 1.2s)\n"
                + "--- live/blue/Namespace/apps\n+++ planned/blue/Namespace/apps\n+  name: apps\n");
        assertThat(new ProgressPrinter(new PrintWriter(new StringWriter()), false, new RunState(new SimpleMeterRegistry()),
                false).wantsDiffs()).isFalse();
    }

    @Test
    @DisplayName("plain lines when not on a terminal: status, cluster, object, action, time, and the reason of a failure")
    void plain() {
        assertThat(print(false, CHANGED, FAILED)).isEqualTo(
                "changed: [blue] Namespace apps (create, 1.2s)\n"
                        + "failed:  [green] ConfigMap ns/ca (error, 0.0s): 403 forbidden\n").doesNotContain("\u001b");
    }

    @Test
    @DisplayName("on a terminal, the status is colored as Ansible colors it")
    void colored() {
        assertThat(print(true, CHANGED, FAILED)).contains("\u001b[33mchanged:\u001b[0m [blue]")
                .contains("\u001b[31mfailed: \u001b[0m [green]");
    }
}
