package io.meshfed.model.ownership;

import io.meshfed.model.resource.Tree;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ManagedFieldsMigrationTest {

    private static Map<String, Object> entry(String manager, String operation, Map<String, Object> fields) {
        return Tree.map("manager", manager, "operation", operation, "apiVersion", "v1", "time", "2026-01-01T00:00:00Z",
                "fieldsType", "FieldsV1", "fieldsV1", fields);
    }

    /** An object meshfed 0.1 wrote: its record holds data.old and data.new. */
    private static final Map<String, Object> LIVE = Tree.map("metadata", Tree.map("annotations", Tree.map(
            "meshfed.io/last-applied", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"data\":{\"old\":\"1\",\"new\":\"2\"}}")));

    @Test
    @DisplayName("the fields meshfed 0.1's record holds (and its labels and record) move from the former client-side writes "
            + "into meshfed's Apply entry; other managers keep theirs")
    void legacyEntriesMove() {
        List<Map<String, Object>> entries = List.of(
                entry("fabric8-kubernetes-client", "Update", Tree.map("f:data", Tree.map("f:old", Map.of()),
                        "f:metadata", Tree.map("f:annotations", Tree.map("f:meshfed.io/last-applied", Map.of()),
                                "f:labels", Tree.map("f:meshfed.io/inventory", Map.of())))),
                entry("kubectl-edit", "Update", Tree.map("f:data", Tree.map("f:theirs", Map.of()))),
                entry("fabric8-kubernetes-client", "Update", Tree.map("f:data", Tree.map("f:new", Map.of()))));
        List<Map<String, Object>> migrated = ManagedFieldsMigration.migrate(entries, LIVE, Set.of("fabric8-kubernetes-client"),
                "meshfed/apps", "2026-11-30T20:00:00Z");
        assertThat(migrated).extracting(e -> e.get("manager")).containsExactly("kubectl-edit", "meshfed/apps");
        Map<String, Object> applied = migrated.get(1);
        assertThat(applied).containsEntry("operation", "Apply").containsEntry("time", "2026-11-30T20:00:00Z");
        assertThat(applied.get("fieldsV1")).isEqualTo(Tree.map("f:data", Tree.map("f:old", Map.of(), "f:new", Map.of()),
                "f:metadata", Tree.map("f:annotations", Tree.map("f:meshfed.io/last-applied", Map.of()),
                        "f:labels", Tree.map("f:meshfed.io/inventory", Map.of()))));
    }

    @Test
    @DisplayName("another fabric8-based operator's fields under the same manager name stay its own: only what meshfed 0.1's "
            + "record holds moves")
    void otherFabric8WritersKeepTheirFields() {
        List<Map<String, Object>> entries = List.of(entry("fabric8-kubernetes-client", "Update", Tree.map(
                "f:data", Tree.map(".", Map.of(), "f:old", Map.of(), "f:operator-key", Map.of()),
                "f:spec", Tree.map("f:replicas", Map.of()))));
        List<Map<String, Object>> migrated = ManagedFieldsMigration.migrate(entries, LIVE, Set.of("fabric8-kubernetes-client"),
                "meshfed/apps", "t");
        assertThat(migrated).extracting(e -> e.get("manager")).containsExactly("fabric8-kubernetes-client", "meshfed/apps");
        assertThat(migrated.get(0).get("fieldsV1")).isEqualTo(Tree.map("f:data", Tree.map(".", Map.of(), "f:operator-key",
                Map.of()), "f:spec", Tree.map("f:replicas", Map.of())));
        assertThat(migrated.get(1).get("fieldsV1")).isEqualTo(Tree.map("f:data", Tree.map("f:old", Map.of())));
    }

    @Test
    @DisplayName("nothing of a former writer: nothing to migrate")
    void nothingToMigrate() {
        assertThat(ManagedFieldsMigration.migrate(List.of(entry("meshfed/apps", "Apply", Map.of())), LIVE,
                Set.of("fabric8-kubernetes-client"), "meshfed/apps", "t")).isNull();
    }

    @Test
    @DisplayName("needed for an object that carries meshfed 0.1's record, not for one without")
    void neededOnlyWithTheRecord() {
        assertThat(ManagedFieldsMigration.needed(Tree.map("metadata", Tree.map("annotations",
                Tree.map("meshfed.io/last-applied", "{}"))))).isTrue();
        assertThat(ManagedFieldsMigration.needed(Tree.map("metadata", Tree.map("name", "x")))).isFalse();
        assertThat(Tree.pointer("metadata", "annotations", "meshfed.io/last-applied"))
                .isEqualTo("/metadata/annotations/meshfed.io~1last-applied");
    }
}
