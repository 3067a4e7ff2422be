package io.meshfed.provisioner.apply;

import io.meshfed.model.graph.GraphBuilder;
import io.meshfed.model.graph.ResourceGraph;
import io.meshfed.model.resource.DesiredObject;
import io.meshfed.model.resource.ObjectRef;
import io.meshfed.model.resource.Ownership;
import io.meshfed.model.resource.Readiness;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class GraphExecutorTest {

    @Test
    @DisplayName("a node whose task fails outside its own error handling (no connection to its cluster) fails at once, its dependents are skipped, the run ends")
    void escapingFailureEndsTheNode() {
        ObjectRef ns = new ObjectRef("ghost", "v1", "Namespace", null, "apps");
        ObjectRef cm = new ObjectRef("ghost", "v1", "ConfigMap", "apps", "settings");
        ResourceGraph graph = GraphBuilder.withDefaultRules().build(List.of(
                new DesiredObject(ns, Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", "apps")),
                        Readiness.NAMESPACE_ACTIVE, Ownership.MANAGED, Set.of()),
                new DesiredObject(cm, Map.of("apiVersion", "v1", "kind", "ConfigMap", "metadata",
                        Map.of("name", "settings", "namespace", "apps")), Readiness.EXISTS, Ownership.MANAGED, Set.of())));
        // the run's own timeout is far away: ending by it would say "timed out", not why the node failed
        RunOptions options = new RunOptions(Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofSeconds(2),
                Duration.ofSeconds(30));

        RunResult result = new GraphExecutor(Map.of(), options, ProgressListener.NONE, new InventoryRecords(Map.of(), "test", Map.of())).run(graph,
                GraphExecutor.Mode.APPLY);

        assertThat(result.result(ns).outcome()).isEqualTo(NodeResult.Outcome.FAILED);
        assertThat(result.result(ns).message()).contains("no connection to cluster ghost");
        assertThat(result.result(cm).outcome()).isEqualTo(NodeResult.Outcome.SKIPPED);
        assertThat(result.succeeded()).isFalse();
    }
}
