package io.meshfed.model.migration;

import io.meshfed.model.resource.Tree;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WorkloadMoveTest {

    private static final String OSSM3 = "default-v1-30-latest";

    private static Map<String, Object> pod(String name, String app, String revision) {
        Map<String, Object> metadata = Tree.map("name", name, "namespace", "app", "labels", Tree.map("app", app));
        if (revision != null) {
            metadata.put("annotations", Tree.map("sidecar.istio.io/status",
                    "{\"initContainers\":[\"istio-init\"],\"containers\":[\"istio-proxy\"],\"revision\":\"" + revision + "\"}"));
        }
        return Tree.map("metadata", metadata);
    }

    private static Map<String, Object> deployment(String name, Map<String, Object> annotations, long generation, long observed) {
        return Tree.map("kind", "Deployment", "metadata", Tree.map("name", name, "namespace", "app", "generation", generation),
                "spec", Tree.map("replicas", 2, "selector", Tree.map("matchLabels", Tree.map("app", name)),
                        "template", Tree.map("metadata", Tree.map("annotations", annotations))),
                "status", Tree.map("observedGeneration", observed, "replicas", 2, "updatedReplicas", 2));
    }

    @Test
    @DisplayName("forward: each workload with a Pod on another proxy is restarted, not one without a proxy nor one on the revision")
    void forward() {
        List<Map<String, Object>> pods = List.of(pod("web-1", "web", "basic"), pod("web-2", "web", OSSM3),
                pod("db-1", "db", null), pod("api-1", "api", OSSM3));
        List<Map<String, Object>> workloads = List.of(deployment("web", Tree.map(), 1, 1), deployment("db", Tree.map(), 1, 1),
                deployment("api", Tree.map(), 1, 1));
        List<WorkloadMove.Restart> restarts = WorkloadMove.plan(workloads, pods, OSSM3, null);
        assertThat(restarts).containsExactly(new WorkloadMove.Restart("Deployment", "app", "web", List.of("web-1"), "basic", OSSM3));
        assertThat(restarts.get(0).describe()).isEqualTo("Deployment app/web (1 Pod on revision basic)");
        assertThat(WorkloadMove.offRevision(pods, OSSM3)).containsExactly(Map.entry("web-1", "basic"));
    }

    @Test
    @DisplayName("restarted for the revision: not again while its rollout is under way; again once rolled out with Pods still off")
    void restartedOnce() {
        List<Map<String, Object>> pods = List.of(pod("web-1", "web", "basic"));
        Map<String, Object> stamped = Tree.map(WorkloadMove.RESTARTED_FOR, OSSM3);
        assertThat(WorkloadMove.plan(List.of(deployment("web", stamped, 3, 2)), pods, OSSM3, null)).isEmpty();
        assertThat(WorkloadMove.plan(List.of(deployment("web", stamped, 3, 3)), pods, OSSM3, null)).hasSize(1);
        assertThat(WorkloadMove.plan(List.of(deployment("web", Tree.map(WorkloadMove.RESTARTED_FOR, "basic"), 3, 2)), pods, OSSM3, null))
                .as("restarted for another revision").hasSize(1);
    }

    @Test
    @DisplayName("back: only Pods on OSSM 3's revision move; a Pod of the user's own canary is left alone")
    void back() {
        List<Map<String, Object>> pods = List.of(pod("web-1", "web", OSSM3), pod("canary-1", "canary", "canary"));
        List<WorkloadMove.Restart> restarts = WorkloadMove.plan(List.of(deployment("web", Tree.map(), 1, 1),
                deployment("canary", Tree.map(), 1, 1)), pods, "basic", OSSM3);
        assertThat(restarts).extracting(WorkloadMove.Restart::name).containsExactly("web");
    }

    @Test
    @DisplayName("the restart patch: the template's annotations made when it has none, else two annotations added")
    void patch() {
        WorkloadMove.Restart r = new WorkloadMove.Restart("Deployment", "app", "web", List.of("web-1"), "basic", OSSM3);
        assertThat(r.patch(false, "2026-12-05T14:00:00Z")).containsExactly(Tree.map("op", "add",
                "path", "/spec/template/metadata/annotations", "value", Tree.map(WorkloadMove.RESTARTED_FOR, OSSM3,
                        WorkloadMove.RESTARTED_AT, "2026-12-05T14:00:00Z")));
        assertThat(r.patch(true, "2026-12-05T14:00:00Z")).extracting(o -> o.get("path")).containsExactly(
                "/spec/template/metadata/annotations/meshfed.io~1restarted-for-revision",
                "/spec/template/metadata/annotations/kubectl.kubernetes.io~1restartedAt");
    }

    @Test
    @DisplayName("a Pod's revision: its injection status's, else its istio.io/rev label; none without a proxy")
    void revisionOf() {
        assertThat(WorkloadMove.revisionOf(pod("a", "a", "basic"))).isEqualTo("basic");
        assertThat(WorkloadMove.revisionOf(pod("a", "a", null))).isNull();
        Map<String, Object> labelled = Tree.map("metadata", Tree.map("labels", Tree.map("istio.io/rev", "blue"),
                "annotations", Tree.map("sidecar.istio.io/status", "{\"containers\":[\"istio-proxy\"]}")));
        assertThat(WorkloadMove.revisionOf(labelled)).isEqualTo("blue");
    }
}
