package io.meshfed.model.readiness;

import io.meshfed.model.resource.DesiredObject;
import io.meshfed.model.resource.ObjectRef;
import io.meshfed.model.resource.Ownership;
import io.meshfed.model.resource.Readiness;
import io.meshfed.model.resource.Tree;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Readiness on real-shaped status documents: ready, not yet, and failed shapes. */
class ReadinessCheckTest {

    private static DesiredObject node(Readiness readiness, String kind, String name, Map<String, Object> content) {
        return new DesiredObject(new ObjectRef("c", "v1", kind, "ns", name), content, readiness, Ownership.MANAGED, Set.of());
    }

    private static Map<String, Object> withStatus(Object status) {
        return Tree.map("metadata", Tree.map("name", "x"), "status", status);
    }

    @Test
    @DisplayName("missing object: never ready")
    void missing() {
        assertThat(ReadinessCheck.evaluate(node(Readiness.EXISTS, "ConfigMap", "x", Map.of()), null, null))
                .isEqualTo(ConditionResult.notMet("does not exist yet"));
    }

    @Test
    @DisplayName("an updated control plane whose controller has not seen the new generation: not ready, though Ready=True")
    void observedGeneration() {
        DesiredObject smcp = node(Readiness.READY_CONDITION, "ServiceMeshControlPlane", "blue-mesh", Map.of());
        Map<String, Object> stale = Tree.map("metadata", Tree.map("name", "blue-mesh", "generation", 3),
                "status", Map.of("observedGeneration", 2, "conditions", List.of(Map.of("type", "Ready", "status", "True"))));
        assertThat(ReadinessCheck.evaluate(smcp, stale, null))
                .isEqualTo(ConditionResult.notMet("generation 3 not observed by its controller yet (it reports 2)"));
        Map<String, Object> current = Tree.map("metadata", Tree.map("name", "blue-mesh", "generation", 3),
                "status", Map.of("observedGeneration", 3, "conditions", List.of(Map.of("type", "Ready", "status", "True"))));
        assertThat(ReadinessCheck.evaluate(smcp, current, null).met()).isTrue();
    }

    @Test
    @DisplayName("Subscription with installPlanApproval Manual: names the InstallPlan that awaits approval, and how to approve it")
    void manualApproval() {
        DesiredObject sub = node(Readiness.CSV_SUCCEEDED, "Subscription", "kiali-ossm", Map.of());
        Map<String, Object> waiting = Tree.map("metadata", Tree.map("name", "kiali-ossm", "namespace", "openshift-operators"),
                "status", Map.of("state", "UpgradePending", "currentCSV", "kiali-operator.v1.73.4",
                        "installPlanRef", Map.of("name", "install-k7x2p", "namespace", "openshift-operators"),
                        "conditions", List.of(Map.of("type", "InstallPlanPending", "status", "True", "reason", "RequiresApproval"))));
        assertThat(ReadinessCheck.evaluate(sub, waiting, null).reason()).isEqualTo("InstallPlan install-k7x2p awaits manual "
                + "approval (installPlanApproval: Manual); approve it: oc patch installplan install-k7x2p -n openshift-operators "
                + "--type merge -p '{\"spec\":{\"approved\":true}}'");
    }

    @Test
    @DisplayName("Subscription: pending with OLM's reason, installing, succeeded")
    void subscription() {
        DesiredObject sub = node(Readiness.CSV_SUCCEEDED, "Subscription", "servicemeshoperator", Map.of());
        Map<String, Object> pending = withStatus(Map.of("state", "UpgradePending", "conditions", List.of(Map.of(
                "type", "ResolutionFailed", "status", "True", "message", "requires kiali-ossm"))));
        assertThat(ReadinessCheck.evaluate(sub, pending, null)).isEqualTo(ConditionResult.notMet("pending: requires kiali-ossm"));

        Map<String, Object> installed = withStatus(Map.of("installedCSV", "servicemeshoperator.v2.3.11"));
        Map<String, Object> installing = withStatus(Map.of("phase", "Installing", "message", "waiting for deployment"));
        assertThat(ReadinessCheck.evaluate(sub, installed, installing).met()).isFalse();
        assertThat(ReadinessCheck.evaluate(sub, installed, installing).reason()).contains("Installing: waiting for deployment");
        Map<String, Object> failed = withStatus(Map.of("phase", "Failed", "message", "install strategy failed"));
        assertThat(ReadinessCheck.evaluate(sub, installed, failed).reason()).contains("Failed: install strategy failed");
        assertThat(ReadinessCheck.evaluate(sub, installed, withStatus(Map.of("phase", "Succeeded"))).met()).isTrue();
    }

    @Test
    @DisplayName("SMCP: the Ready condition, with its reason when False")
    void smcp() {
        DesiredObject smcp = node(Readiness.READY_CONDITION, "ServiceMeshControlPlane", "blue-mesh", Map.of());
        Map<String, Object> notReady = withStatus(Map.of("conditions", List.of(
                Map.of("type", "Reconciled", "status", "True"),
                Map.of("type", "Ready", "status", "False", "reason", "ComponentsNotReady", "message", "istiod pending"))));
        assertThat(ReadinessCheck.evaluate(smcp, notReady, null))
                .isEqualTo(ConditionResult.notMet("Ready=False (ComponentsNotReady: istiod pending)"));
        Map<String, Object> ready = withStatus(Map.of("conditions", List.of(Map.of("type", "Ready", "status", "True",
                "reason", "ComponentsReady"))));
        assertThat(ReadinessCheck.evaluate(smcp, ready, null).met()).isTrue();
        assertThat(ReadinessCheck.evaluate(smcp, withStatus(Map.of()), null).reason()).isEqualTo("no Ready condition yet");
    }

    @Test
    @DisplayName("LoadBalancer Service: an IP (MetalLB) or a hostname (cloud)")
    void loadBalancer() {
        DesiredObject svc = node(Readiness.LOAD_BALANCER_ADDRESS, "Service", "ingress-green-mesh", Map.of());
        assertThat(ReadinessCheck.evaluate(svc, withStatus(Map.of("loadBalancer", Map.of())), null).met()).isFalse();
        assertThat(ReadinessCheck.evaluate(svc, withStatus(Map.of("loadBalancer", Map.of("ingress",
                List.of(Map.of("ip", "10.19.3.29"))))), null).reason()).isEqualTo("load-balancer address 10.19.3.29");
        assertThat(ReadinessCheck.evaluate(svc, withStatus(Map.of("loadBalancer", Map.of("ingress",
                List.of(Map.of("hostname", "a.elb.amazonaws.com"))))), null).met()).isTrue();
    }

    @Test
    @DisplayName("ServiceMeshPeer: connected both ways; watch only; disconnected with lastDisconnectStatus")
    void peer() {
        DesiredObject peer = node(Readiness.PEER_CONNECTED, "ServiceMeshPeer", "green-mesh", Map.of());
        Map<String, Object> both = withStatus(Map.of("discoveryStatus", Map.of("active", List.of(Map.of(
                "pod", "istiod-blue-mesh-ff6fdf966-qk8md",
                "remotes", List.of(Map.of("connected", true, "source", "10.134.1.10")),
                "watch", Map.of("connected", true, "lastDisconnectStatus", "503 Service Unavailable"))))));
        assertThat(ReadinessCheck.evaluate(peer, both, null).met()).isTrue();
        Map<String, Object> watchOnly = withStatus(Map.of("discoveryStatus", Map.of("active", List.of(Map.of(
                "pod", "istiod-x", "remotes", List.of(), "watch", Map.of("connected", true))))));
        assertThat(ReadinessCheck.evaluate(peer, watchOnly, null).reason()).contains("has not connected back");
        Map<String, Object> down = withStatus(Map.of("discoveryStatus", Map.of("inactive", List.of(Map.of(
                "pod", "istiod-x", "watch", Map.of("connected", false, "lastDisconnectStatus", "403 RBAC: access denied"))))));
        assertThat(ReadinessCheck.evaluate(peer, down, null))
                .isEqualTo(ConditionResult.notMet("disconnected: 403 RBAC: access denied"));
    }

    @Test
    @DisplayName("service sets: the expected exported and imported names must be in status")
    void serviceSets() {
        DesiredObject exports = node(Readiness.SERVICES_EXPORTED, "ExportedServiceSet", "green-mesh", Tree.map("spec",
                Tree.map("exportRules", List.of(Tree.map("type", "NameSelector", "nameSelector",
                        Tree.map("namespace", "nfs-app-istio", "name", "dokuwiki"))))));
        assertThat(ReadinessCheck.evaluate(exports, withStatus(Map.of()), null).reason())
                .contains("dokuwiki.nfs-app-istio.svc.green-mesh-exports.local");
        assertThat(ReadinessCheck.evaluate(exports, withStatus(Map.of("exportedServices", List.of(Map.of(
                "exportedName", "dokuwiki.nfs-app-istio.svc.green-mesh-exports.local")))), null).met()).isTrue();

        DesiredObject imports = node(Readiness.SERVICES_IMPORTED, "ImportedServiceSet", "blue-mesh", Tree.map("spec",
                Tree.map("importRules", List.of(Tree.map("type", "NameSelector", "nameSelector", Tree.map(
                        "namespace", "nfs-app-istio", "name", "dokuwiki",
                        "alias", Tree.map("namespace", "nfs-app-istio", "name", "blue-dokuwiki")))))));
        Map<String, Object> unmatched = withStatus(Map.of("importedServices", List.of(Map.of(
                "exportedName", "dokuwiki.nfs-app-istio.svc.green-mesh-exports.local", "localService", Map.of()))));
        assertThat(ReadinessCheck.evaluate(imports, unmatched, null).met()).isFalse();
        Map<String, Object> matched = withStatus(Map.of("importedServices", List.of(Map.of(
                "exportedName", "dokuwiki.nfs-app-istio.svc.green-mesh-exports.local",
                "localService", Map.of("name", "blue-dokuwiki", "namespace", "nfs-app-istio",
                        "hostname", "blue-dokuwiki.nfs-app-istio.svc.blue-mesh-imports.local")))));
        assertThat(ReadinessCheck.evaluate(imports, matched, null).met()).isTrue();
    }
}
