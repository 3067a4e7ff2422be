package io.meshfed.model.ownership;

import io.meshfed.model.resource.Tree;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@SuppressWarnings("unchecked")
class ClaimTest {

    private static final Map<String, Object> DESIRED = Tree.map("apiVersion", "v1", "kind", "Namespace",
            "metadata", Tree.map("name", "apps", "labels", Tree.map("app.kubernetes.io/managed-by", "meshfed",
                    "meshfed.io/inventory", "blue-green", "maistra.io/member-of", "blue-mesh-system")));

    private static Map<String, Object> live(Map<String, Object> labels, Map<String, Object> annotations) {
        return Tree.map("apiVersion", "v1", "kind", "Namespace", "metadata", Tree.map("name", "apps", "labels", labels,
                "annotations", annotations, "managedFields", List.of(Tree.map("manager", "meshfed/blue-green",
                        "operation", "Apply"))));
    }

    @Test
    @DisplayName("created by this inventory: owned, applied as rendered, deletable")
    void owned() {
        Map<String, Object> live = live(Tree.map("app.kubernetes.io/managed-by", "meshfed", "meshfed.io/inventory", "blue-green"),
                Map.of());
        assertThat(Claim.of(live, "blue-green")).isEqualTo(Claim.Kind.OWNED);
        assertThat(Claim.configuration(DESIRED, live, "blue-green")).isEqualTo(DESIRED);
        assertThat(Claim.deletable(live, "blue-green")).isTrue();
        assertThat(Claim.of(null, "blue-green")).isEqualTo(Claim.Kind.NEW);
    }

    @Test
    @DisplayName("created by this inventory, its labels removed by someone: still its own (drift the next apply corrects)")
    void labelsRemoved() {
        Map<String, Object> live = live(Tree.map("team", "wiki"), Map.of());
        assertThat(Claim.of(live, "blue-green")).isEqualTo(Claim.Kind.OWNED);
        assertThat(Claim.configuration(DESIRED, live, "blue-green")).isEqualTo(DESIRED);
    }

    @Test
    @DisplayName("there before meshfed: adopted, applied without meshfed's labels and with the adoption annotation, never deletable")
    void adopted() {
        Map<String, Object> live = live(Tree.map("team", "wiki"), Map.of());
        ((Map<String, Object>) live.get("metadata")).put("managedFields", List.of(Tree.map("manager", "kubectl-create",
                "operation", "Update")));
        assertThat(Claim.of(live, "blue-green")).isEqualTo(Claim.Kind.ADOPTED);
        Map<String, Object> config = Claim.configuration(DESIRED, live, "blue-green");
        assertThat((Map<String, Object>) Tree.get(config, "metadata", "labels"))
                .containsOnlyKeys("maistra.io/member-of");
        assertThat((Map<String, Object>) Tree.get(config, "metadata", "annotations"))
                .containsExactly(Map.entry("adopted.meshfed.io/blue-green", "true"));
        assertThat(Claim.deletable(live, "blue-green")).isFalse();
        assertThat(Claim.managesFields(live, "blue-green")).isFalse();
        // once meshfed applied it, the annotation says it was adopted
        Map<String, Object> applied = live(Tree.map("team", "wiki"), Tree.map("adopted.meshfed.io/blue-green", "true"));
        assertThat(Claim.of(applied, "blue-green")).isEqualTo(Claim.Kind.ADOPTED);
        assertThat(Claim.managesFields(applied, "blue-green")).isTrue();
        assertThat(Claim.deletable(applied, "blue-green")).isFalse();
    }

    @Test
    @DisplayName("created by one inventory, adopted by another: the creator may not delete it, the other sees it adopted")
    void sharedBetweenInventories() {
        Map<String, Object> live = live(Tree.map("app.kubernetes.io/managed-by", "meshfed", "meshfed.io/inventory", "one"),
                Tree.map("adopted.meshfed.io/two", "true"));
        assertThat(Claim.of(live, "one")).isEqualTo(Claim.Kind.OWNED);
        assertThat(Claim.deletable(live, "one")).isFalse();
        assertThat(Claim.otherAdopters(live, "one")).containsExactly("two");
        assertThat(Claim.otherInventories(live, "two")).containsExactly("one");
        Claim.HandOver handOver = Claim.handOver(live, "one");
        assertThat(handOver.removed()).containsExactly("/metadata/labels/app.kubernetes.io~1managed-by",
                "/metadata/labels/meshfed.io~1inventory");
        assertThat(handOver.managedFields()).extracting(e -> e.get("manager")).as("other managers' entries stay")
                .containsExactly("meshfed/blue-green");
        assertThat(Claim.handOver(live, "blue-green").managedFields()).as("its own entry goes").isEmpty();
        assertThat(Claim.of(live, "two")).isEqualTo(Claim.Kind.ADOPTED);
        assertThat(Claim.release(live)).isEqualTo(Tree.map("apiVersion", "v1", "kind", "Namespace",
                "metadata", Tree.map("name", "apps")));
    }
}
