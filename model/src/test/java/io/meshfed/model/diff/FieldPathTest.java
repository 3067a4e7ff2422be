package io.meshfed.model.diff;

import io.meshfed.model.resource.Tree;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@SuppressWarnings("unchecked")
class FieldPathTest {

    private static final Map<String, Object> DEPLOYMENT = Tree.map("spec", Tree.map(
            "ports", List.of(Tree.map("port", 80, "protocol", "TCP", "targetPort", 8080)),
            "template", Tree.map("spec", Tree.map("containers", List.of(
                    Tree.map("name", "sidecar", "image", "proxy:1"),
                    Tree.map("name", "web", "image", "web:1", "resources", Tree.map("limits", Tree.map("memory", "1Gi"))))))),
            "metadata", Tree.map("finalizers", List.of("a.example/x"), "labels", Tree.map("app.kubernetes.io/name", "web")));

    @Test
    @DisplayName("the paths server-side apply names in a conflict: keyed list items, sets, dotted label keys")
    void valuesAtConflictPaths() {
        assertThat(FieldPath.valueAt(DEPLOYMENT, ".spec.template.spec.containers[name=\"web\"].image")).isEqualTo("web:1");
        assertThat(FieldPath.valueAt(DEPLOYMENT, ".spec.template.spec.containers[name=\"web\"].resources.limits.memory"))
                .isEqualTo("1Gi");
        assertThat(FieldPath.valueAt(DEPLOYMENT, ".spec.ports[port=80,protocol=\"TCP\"].targetPort")).isEqualTo(8080);
        assertThat(FieldPath.valueAt(DEPLOYMENT, ".metadata.finalizers[=\"a.example/x\"]")).isEqualTo("a.example/x");
        assertThat(FieldPath.valueAt(DEPLOYMENT, ".spec.template.spec.containers[name=\"db\"].image")).isSameAs(FieldPath.ABSENT);
        assertThat(FieldPath.sameAt(DEPLOYMENT, Tree.copy(DEPLOYMENT), ".spec.ports[port=80,protocol=\"TCP\"].targetPort")).isTrue();
        Map<String, Object> other = Tree.copy(DEPLOYMENT);
        ((Map<String, Object>) ((List<Map<String, Object>>) Tree.get(other, "spec", "template", "spec", "containers")).get(1))
                .put("image", "web:2");
        assertThat(FieldPath.sameAt(DEPLOYMENT, other, ".spec.template.spec.containers[name=\"web\"].image")).isFalse();
        assertThat(FieldPath.sameAt(DEPLOYMENT, other, ".spec.template.spec.containers[name=\"sidecar\"].image")).isTrue();
    }
}
