package io.meshfed.model.diff;

import io.meshfed.model.resource.Tree;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ObjectDiffTest {

    private static final Map<String, Object> DESIRED = Tree.map(
            "apiVersion", "v1", "kind", "Service",
            "metadata", Tree.map("name", "web", "namespace", "apps", "labels", Tree.map("app", "web")),
            "spec", Tree.map("ports", List.of(Tree.map("port", 8080, "name", "http"))));

    private static Map<String, Object> live() {
        return Tree.map(
                "apiVersion", "v1", "kind", "Service",
                "metadata", Tree.map("name", "web", "namespace", "apps", "uid", "1234", "resourceVersion", "7",
                        "labels", Tree.map("app", "web", "other-writer", "x"),
                        "annotations", Tree.map(ObjectDiff.LAST_APPLIED, "R1")),
                "spec", Tree.map("type", "ClusterIP", "clusterIP", "10.0.0.7",
                        "ports", List.of(Tree.map("port", 8080L, "name", "http", "protocol", "TCP", "targetPort", 8080))),
                "status", Tree.map("loadBalancer", Map.of()));
    }

    @Test
    @DisplayName("server defaults, status, other writers' labels and long-vs-int numbers are not differences")
    void unchanged() {
        ObjectDiff.Result r = ObjectDiff.compute(DESIRED, "R1", live(), Tree.copy(DESIRED));
        assertThat(r.action()).isEqualTo(ObjectDiff.Action.UNCHANGED);
        assertThat(r.target()).isNull();
    }

    @Test
    @DisplayName("a missing object is created with its last-applied record")
    void create() {
        ObjectDiff.Result r = ObjectDiff.compute(DESIRED, "R1", null, null);
        assertThat(r.action()).isEqualTo(ObjectDiff.Action.CREATE);
        assertThat(Tree.get(r.target(), "metadata", "annotations")).isEqualTo(Map.of(ObjectDiff.LAST_APPLIED, "R1"));
    }

    @Test
    @DisplayName("a changed field is written over the live object, keeping everything else")
    void update() {
        Map<String, Object> desired = Tree.copy(DESIRED);
        ((Map<String, Object>) ((List<?>) Tree.get(desired, "spec", "ports")).get(0)).put("port", 9090);
        ObjectDiff.Result r = ObjectDiff.compute(desired, "R2", live(), Tree.copy(DESIRED));
        assertThat(r.action()).isEqualTo(ObjectDiff.Action.UPDATE);
        assertThat(r.changed()).contains("spec.ports", "metadata.annotations." + ObjectDiff.LAST_APPLIED);
        assertThat(Tree.get(r.target(), "spec", "clusterIP")).isEqualTo("10.0.0.7");
        assertThat(Tree.get(r.target(), "metadata", "labels")).isEqualTo(Map.of("app", "web", "other-writer", "x"));
        assertThat(Tree.get(r.target(), "metadata", "resourceVersion")).isEqualTo("7");
        assertThat(((Map<?, ?>) ((List<?>) Tree.get(r.target(), "spec", "ports")).get(0)).get("port")).isEqualTo(9090);
    }

    @Test
    @DisplayName("a field meshfed applied before and no longer wants is removed; other writers' fields stay")
    void removeDropped() {
        Map<String, Object> before = Tree.copy(DESIRED);
        ((Map<String, Object>) Tree.get(before, "metadata", "labels")).put("tier", "front");
        Map<String, Object> live = live();
        ((Map<String, Object>) Tree.get(live, "metadata", "labels")).put("tier", "front");

        ObjectDiff.Result r = ObjectDiff.compute(DESIRED, "R1", live, before);

        assertThat(r.action()).isEqualTo(ObjectDiff.Action.UPDATE);
        assertThat(r.changed()).containsExactly("metadata.labels.tier (removed)");
        assertThat(Tree.get(r.target(), "metadata", "labels")).isEqualTo(Map.of("app", "web", "other-writer", "x"));
    }

    @Test
    @DisplayName("a list with another number of items is replaced whole")
    void listReplaced() {
        Map<String, Object> desired = Tree.copy(DESIRED);
        ((Map<String, Object>) desired.get("spec")).put("ports", List.of(Tree.map("port", 8080, "name", "http"),
                Tree.map("port", 8443, "name", "https")));
        ObjectDiff.Result r = ObjectDiff.compute(desired, "R1", live(), Tree.copy(DESIRED));
        assertThat((List<?>) Tree.get(r.target(), "spec", "ports")).hasSize(2);
    }
}
