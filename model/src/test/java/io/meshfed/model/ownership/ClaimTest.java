package io.meshfed.model.ownership;

import io.meshfed.model.resource.Tree;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

@SuppressWarnings("unchecked")
class ClaimTest {

    private static final Map<String, Object> DESIRED = Tree.map("apiVersion", "v1", "kind", "Namespace",
            "metadata", Tree.map("name", "apps", "labels", Tree.map("app.kubernetes.io/managed-by", "meshfed",
                    "meshfed.io/inventory", "blue-green", "maistra.io/member-of", "blue-mesh-system")));
    private static final Map<String, Object> MESHFED_LABELS = Tree.map("app.kubernetes.io/managed-by", "meshfed",
            "meshfed.io/inventory", "blue-green");
    /** What meshfed's field manager records when it applies the labels. */
    private static final Map<String, Object> LABEL_FIELDS = Tree.map("f:metadata", Tree.map("f:labels", Tree.map(
            ".", Map.of(), "f:app.kubernetes.io/managed-by", Map.of(), "f:meshfed.io/inventory", Map.of())));

    private static Map<String, Object> entry(String manager, String operation, Map<String, Object> fields) {
        return Tree.map("manager", manager, "operation", operation, "fieldsType", "FieldsV1", "fieldsV1", fields);
    }

    private static Map<String, Object> live(String uid, Map<String, Object> labels, Map<String, Object> annotations,
                                            Map<String, Object>... managedFields) {
        return Tree.map("apiVersion", "v1", "kind", "Namespace", "metadata", Tree.map("name", "apps", "uid", uid,
                "labels", labels, "annotations", annotations, "managedFields", List.of(managedFields)));
    }

    private static Set<String> recorded(String... uids) {
        return Set.of(uids);
    }

    @Test
    @DisplayName("created by this inventory (its UID in the record): applied as rendered, deletable")
    void created() {
        Map<String, Object> live = live("u1", MESHFED_LABELS, Map.of(), entry("meshfed/blue-green", "Apply", LABEL_FIELDS));
        Claim claim = Claim.of(live, "blue-green", recorded("u1")::contains);
        assertThat(claim.kind()).isEqualTo(Claim.Kind.CREATED);
        assertThat(claim.recorded()).as("already in the record").isFalse();
        assertThat(claim.configuration(DESIRED, "blue-green")).isEqualTo(DESIRED);
        assertThat(claim.deletable(live, "blue-green")).isTrue();
        assertThat(Claim.of(null, "blue-green", recorded()::contains).kind()).isEqualTo(Claim.Kind.NEW);
    }

    @Test
    @DisplayName("in the record, its labels removed by someone: still created by meshfed (the UID proves it), the next apply "
            + "puts them back")
    void labelsRemoved() {
        Map<String, Object> live = live("u1", Tree.map("team", "wiki"), Map.of(), entry("kubectl-edit", "Update",
                Tree.map("f:metadata", Tree.map("f:labels", Tree.map("f:team", Map.of())))));
        Claim claim = Claim.of(live, "blue-green", recorded("u1")::contains);
        assertThat(claim.kind()).isEqualTo(Claim.Kind.CREATED);
        assertThat(claim.configuration(DESIRED, "blue-green")).isEqualTo(DESIRED);
    }

    @Test
    @DisplayName("labelled, not in the record, meshfed's manager its only writer (a run killed before recording; meshfed "
            + "before UIDs): created, to be recorded — the platform's own fields (status, pull secrets) do not matter")
    void recoveredByProvenance() {
        Map<String, Object> live = live("u2", MESHFED_LABELS, Map.of("openshift.io/sa.scc.uid-range", "1000/1000"),
                entry("meshfed/blue-green", "Apply", LABEL_FIELDS),
                entry("cluster-policy-controller", "Update", Tree.map("f:metadata", Tree.map("f:annotations",
                        Tree.map("f:openshift.io/sa.scc.uid-range", Map.of())))),
                entry("kube-controller-manager", "Update", Tree.map("f:status", Tree.map("f:phase", Map.of()))));
        Claim claim = Claim.of(live, "blue-green", recorded()::contains);
        assertThat(claim.kind()).isEqualTo(Claim.Kind.CREATED);
        assertThat(claim.recorded()).isTrue();
        assertThat(Provenance.whyNotMeshfedAlone(live, "blue-green")).isNull();
    }

    @Test
    @DisplayName("a copy of meshfed's object (kubectl get -o yaml | kubectl create -f -): labelled, but its creator set the "
            + "labels — not created, never deletable, adopted without its labels")
    void copyIsNotCreated() {
        Map<String, Object> live = live("u3", MESHFED_LABELS, Map.of(), entry("kubectl-create", "Update",
                Tree.deepMerge(LABEL_FIELDS, Tree.map("f:metadata", Tree.map("f:labels", Tree.map("f:team", Map.of()))))));
        Claim claim = Claim.of(live, "blue-green", recorded("u1")::contains);
        assertThat(claim.kind()).isEqualTo(Claim.Kind.NOT_CREATED);
        assertThat(claim.deletable(live, "blue-green")).isFalse();
        assertThat(claim.why()).contains("kubectl-create wrote metadata.labels.app.kubernetes.io/managed-by");
        assertThat((Map<String, Object>) Tree.get(claim.configuration(DESIRED, "blue-green"), "metadata", "labels"))
                .containsOnlyKeys("maistra.io/member-of");
        assertThat(Claim.marks(live, "blue-green")).containsExactly("/metadata/labels/app.kubernetes.io~1managed-by",
                "/metadata/labels/meshfed.io~1inventory");
    }

    @Test
    @DisplayName("a team's object meshfed once labelled (adopted, then kubectl replace dropped the annotation): the team's "
            + "manager wrote its data — not created, never deletable")
    void replacedAdoptedObjectIsNotCreated() {
        Map<String, Object> live = Tree.map("apiVersion", "v1", "kind", "ConfigMap", "metadata", Tree.map("name", "settings",
                "uid", "u4", "labels", MESHFED_LABELS, "managedFields", List.of(
                        entry("kubectl-replace", "Update", Tree.map("f:data", Tree.map(".", Map.of(), "f:team-key", Map.of()))),
                        entry("meshfed/blue-green", "Apply", Tree.deepMerge(LABEL_FIELDS, Tree.map("f:data", Tree.map("f:mode",
                                Map.of())))))));
        Claim claim = Claim.of(live, "blue-green", recorded()::contains);
        assertThat(claim.kind()).isEqualTo(Claim.Kind.NOT_CREATED);
        assertThat(claim.why()).contains("kubectl-replace wrote data");
        assertThat(claim.deletable(live, "blue-green")).isFalse();
    }

    @Test
    @DisplayName("there before meshfed: not created, applied without meshfed's labels and with the adoption annotation, "
            + "never deletable")
    void adopted() {
        Map<String, Object> live = live("u5", Tree.map("team", "wiki"), Map.of(), entry("kubectl-create", "Update", Map.of()));
        Claim claim = Claim.of(live, "blue-green", recorded()::contains);
        assertThat(claim.kind()).isEqualTo(Claim.Kind.NOT_CREATED);
        assertThat(claim.why()).as("no labels of the inventory: nothing to explain").isNull();
        Map<String, Object> config = claim.configuration(DESIRED, "blue-green");
        assertThat((Map<String, Object>) Tree.get(config, "metadata", "labels")).containsOnlyKeys("maistra.io/member-of");
        assertThat((Map<String, Object>) Tree.get(config, "metadata", "annotations"))
                .containsExactly(Map.entry("adopted.meshfed.io/blue-green", "true"));
        assertThat(claim.deletable(live, "blue-green")).isFalse();
        assertThat(claim.adopting(live, "blue-green")).isTrue();
        // once meshfed applied it: still not deletable, no longer adopting
        Map<String, Object> applied = live("u5", Tree.map("team", "wiki"), Tree.map("adopted.meshfed.io/blue-green", "true"),
                entry("meshfed/blue-green", "Apply", Map.of()));
        Claim again = Claim.of(applied, "blue-green", recorded()::contains);
        assertThat(again.kind()).isEqualTo(Claim.Kind.NOT_CREATED);
        assertThat(again.adopting(applied, "blue-green")).isFalse();
        assertThat(Claim.managesFields(applied, "blue-green")).isTrue();
    }

    @Test
    @DisplayName("created by one inventory, adopted by another: the creator may not delete it and hands it over")
    void sharedBetweenInventories() {
        Map<String, Object> live = live("u6", Tree.map("app.kubernetes.io/managed-by", "meshfed", "meshfed.io/inventory", "one"),
                Tree.map("adopted.meshfed.io/two", "true"), entry("meshfed/blue-green", "Apply", Map.of()));
        Claim one = Claim.of(live, "one", recorded("u6")::contains);
        assertThat(one.kind()).isEqualTo(Claim.Kind.CREATED);
        assertThat(one.deletable(live, "one")).isFalse();
        assertThat(Claim.otherAdopters(live, "one")).containsExactly("two");
        assertThat(Claim.otherInventories(live, "two")).containsExactly("one");
        Claim.HandOver handOver = Claim.handOver(live, "one");
        assertThat(handOver.removed()).containsExactly("/metadata/labels/app.kubernetes.io~1managed-by",
                "/metadata/labels/meshfed.io~1inventory");
        assertThat(handOver.managedFields()).extracting(e -> e.get("manager")).as("other managers' entries stay")
                .containsExactly("meshfed/blue-green");
        assertThat(Claim.handOver(live, "blue-green").managedFields()).as("its own entry goes").isEmpty();
        assertThat(Claim.of(live, "two", recorded()::contains).kind()).as("two's record does not hold it")
                .isEqualTo(Claim.Kind.NOT_CREATED);
        assertThat(Claim.release(live)).isEqualTo(Tree.map("apiVersion", "v1", "kind", "Namespace",
                "metadata", Tree.map("name", "apps")));
    }

    @Test
    @DisplayName("the record keeps UIDs, kinds and clusters as ConfigMap data, and reads a record from before UIDs")
    void recordRoundTrip() {
        InventoryRecord record = new InventoryRecord(Set.of("v1 ConfigMap", "networking.istio.io/v1beta1 Gateway"),
                Set.of("blue", "green"), Map.of("u1", new InventoryRecord.Created("u1", "", "Namespace", null, "apps"),
                "u2", new InventoryRecord.Created("u2", "networking.istio.io", "Gateway", "apps", "web")), true);
        Map<String, Object> data = record.toData();
        assertThat(data.get("created")).isEqualTo("u1 Namespace apps\nu2 Gateway.networking.istio.io apps/web\n");
        assertThat(InventoryRecord.fromData(data)).isEqualTo(record);
        InventoryRecord old = InventoryRecord.fromData(Map.of("group-kinds", "v1 ConfigMap\n", "clusters", "blue\n"));
        assertThat(old.keepsUids()).isFalse();
        assertThat(old.created()).isEmpty();
        assertThat(old.kinds()).containsExactly("v1 ConfigMap");
    }
}
