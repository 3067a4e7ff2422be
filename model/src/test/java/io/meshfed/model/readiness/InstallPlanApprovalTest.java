package io.meshfed.model.readiness;

import io.meshfed.model.Fixtures;
import io.meshfed.model.inventory.ClusterSpec;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.model.inventory.OperatorSpec;
import io.meshfed.model.inventory.OperatorSpec.Approve;
import io.meshfed.model.inventory.Topology;
import io.meshfed.model.render.FederationRenderer;
import io.meshfed.model.resource.DesiredObject;
import io.meshfed.model.resource.ObjectRef;
import io.meshfed.model.resource.Tree;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class InstallPlanApprovalTest {

    private static final String STARTING = "servicemeshoperator.v2.5.2";

    /** The Service Mesh Subscription as rendered for a cluster whose operator has these settings. */
    private static DesiredObject subscription(String startingCsv, Approve approve) {
        ClusterSpec plain = Fixtures.cluster("blue");
        List<OperatorSpec> operators = plain.operators().stream()
                .map(o -> o.packageName().equals("servicemeshoperator") ? new OperatorSpec(o.role(), o.packageName(), o.channel(),
                        o.source(), o.sourceNamespace(), o.namespace(), "Manual", startingCsv, approve) : o)
                .toList();
        ClusterSpec cluster = new ClusterSpec("blue", plain.connection(), plain.mesh(), plain.loadBalancer(), operators,
                plain.members(), plain.manifests());
        return FederationRenderer.render(new Inventory("test", List.of(cluster), new Topology(List.of(), List.of(), List.of(),
                        List.of()))).stream()
                .filter(o -> o.ref().kind().equals("Subscription") && o.ref().name().equals("servicemeshoperator"))
                .findFirst().orElseThrow();
    }

    private static Map<String, Object> waiting(String plan) {
        return Tree.map("metadata", Tree.map("name", "servicemeshoperator", "namespace", "openshift-operators"),
                "status", Map.of("state", "UpgradePending",
                        "installPlanRef", Map.of("name", plan, "namespace", "openshift-operators"),
                        "conditions", List.of(Map.of("type", "InstallPlanPending", "status", "True", "reason", "RequiresApproval"))));
    }

    private static Map<String, Object> plan(String name, boolean approved, String... csvs) {
        return Tree.map("metadata", Tree.map("name", name, "namespace", "openshift-operators", "resourceVersion", "7"),
                "spec", Map.of("approval", "Manual", "approved", approved, "clusterServiceVersionNames", List.of(csvs)));
    }

    @Test
    @DisplayName("the rendered Subscription pins startingCSV and carries what meshfed approves; nothing when it approves nothing")
    @SuppressWarnings("unchecked")
    void rendered() {
        DesiredObject pinned = subscription(STARTING, Approve.STARTING_CSV);
        assertThat(Tree.get(pinned.content(), "spec", "startingCSV")).isEqualTo(STARTING);
        assertThat(Tree.get(pinned.content(), "spec", "installPlanApproval")).isEqualTo("Manual");
        assertThat(InstallPlanApproval.mode(pinned)).isEqualTo(Approve.STARTING_CSV);

        DesiredObject manual = subscription(null, Approve.NONE);
        assertThat((Map<String, Object>) Tree.get(manual.content(), "spec")).doesNotContainKey("startingCSV");
        assertThat(InstallPlanApproval.mode(manual)).isEqualTo(Approve.NONE);
        assertThat(manual.tags()).noneMatch(t -> t.startsWith("approve"));
        assertThat(InstallPlanApproval.mode(subscription(null, Approve.ALL))).isEqualTo(Approve.ALL);
    }

    @Test
    @DisplayName("the plan a Subscription waits on: named by installPlanRef under InstallPlanPending; none once a CSV is installed")
    void pendingPlan() {
        DesiredObject node = subscription(STARTING, Approve.STARTING_CSV);
        assertThat(InstallPlanApproval.pendingPlan(node, waiting("install-k7x2p"))).isEqualTo(new ObjectRef("blue",
                "operators.coreos.com/v1alpha1", "InstallPlan", "openshift-operators", "install-k7x2p"));
        Map<String, Object> installed = Tree.map("metadata", Tree.map("name", "servicemeshoperator"), "status", Map.of(
                "installedCSV", STARTING, "installPlanRef", Map.of("name", "install-k7x2p")));
        assertThat(InstallPlanApproval.pendingPlan(node, installed)).isNull();
        assertThat(InstallPlanApproval.pendingPlan(node, null)).isNull();
    }

    @Test
    @DisplayName("approve: starting_csv approves the plan that installs it and no other (an upgrade waits for a person)")
    void startingCsv() {
        DesiredObject node = subscription(STARTING, Approve.STARTING_CSV);
        InstallPlanApproval.Decision first = InstallPlanApproval.decide(node, plan("install-a", false, STARTING, "kiali-operator.v1.73.4"));
        assertThat(first).isEqualTo(new InstallPlanApproval.Decision(true, "approving InstallPlan install-a (installs "
                + STARTING + ", kiali-operator.v1.73.4): it installs starting_csv " + STARTING));

        InstallPlanApproval.Decision upgrade = InstallPlanApproval.decide(node, plan("install-b", false, "servicemeshoperator.v2.6.0"));
        assertThat(upgrade.approve()).isFalse();
        assertThat(upgrade.reason()).isEqualTo("InstallPlan install-b (installs servicemeshoperator.v2.6.0) awaits manual "
                + "approval: it does not install starting_csv " + STARTING + ", which is all meshfed approves (approve: "
                + "starting_csv); approve it: oc patch installplan install-b -n openshift-operators --type merge "
                + "-p '{\"spec\":{\"approved\":true}}'");
    }

    @Test
    @DisplayName("approve: all approves any waiting plan; an approved plan is not approved again; approve: none leaves it to a person")
    void allAndNone() {
        assertThat(InstallPlanApproval.decide(subscription(null, Approve.ALL), plan("install-b", false,
                "servicemeshoperator.v2.6.0")).approve()).isTrue();
        InstallPlanApproval.Decision approved = InstallPlanApproval.decide(subscription(null, Approve.ALL),
                plan("install-b", true, "servicemeshoperator.v2.6.0"));
        assertThat(approved).isEqualTo(new InstallPlanApproval.Decision(false,
                "InstallPlan install-b (installs servicemeshoperator.v2.6.0) is approved; OLM has not acted on it yet"));
        InstallPlanApproval.Decision none = InstallPlanApproval.decide(subscription(null, Approve.NONE), plan("install-c", false, STARTING));
        assertThat(none.approve()).isFalse();
        assertThat(none.reason()).endsWith("or let meshfed approve it (operators.<name>.approve in the inventory)");
    }
}
