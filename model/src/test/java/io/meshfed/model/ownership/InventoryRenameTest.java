package io.meshfed.model.ownership;

import io.meshfed.model.resource.Tree;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@SuppressWarnings("unchecked")
class InventoryRenameTest {

    @Test
    @DisplayName("a renamed inventory's label, adoption annotation and field manager move to the new name; nothing else")
    void movesMarksAndManager() {
        Map<String, Object> live = Tree.map("metadata", Tree.map("name", "x",
                "labels", Tree.map("meshfed.io/inventory", "prod-old", "team", "a"),
                "annotations", Tree.map("adopted.meshfed.io/prod-old", "true"),
                "managedFields", List.of(Tree.map("manager", "meshfed/prod-old", "operation", "Apply", "fieldsV1", Map.of()),
                        Tree.map("manager", "kubectl-edit", "operation", "Update", "fieldsV1", Map.of()))));
        List<Map<String, Object>> ops = InventoryRename.ops(live, "prod-old", "prod");
        assertThat(ops).extracting(o -> o.get("op") + " " + o.get("path")).containsExactly(
                "replace /metadata/labels/meshfed.io~1inventory", "remove /metadata/annotations/adopted.meshfed.io~1prod-old",
                "add /metadata/annotations/adopted.meshfed.io~1prod", "replace /metadata/managedFields");
        assertThat((List<Map<String, Object>>) ops.get(3).get("value")).extracting(e -> e.get("manager"))
                .containsExactly("meshfed/prod", "kubectl-edit");
        assertThat(InventoryRename.concerns(live, "other")).isFalse();
        assertThat(InventoryRename.concerns(live, "prod-old")).isTrue();
    }
}
