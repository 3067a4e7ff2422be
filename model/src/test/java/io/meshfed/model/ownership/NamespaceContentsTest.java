package io.meshfed.model.ownership;

import io.meshfed.model.resource.Tree;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class NamespaceContentsTest {

    private static NamespaceContents.Item item(String group, String kind, String name, Object... more) {
        Map<String, Object> metadata = Tree.map("name", name, "uid", name + "-uid");
        metadata.putAll(Tree.map(more));
        return new NamespaceContents.Item(group, kind, metadata);
    }

    @Test
    @DisplayName("what Kubernetes, OpenShift, the mesh and OLM put in every namespace, and what meshfed created, is nobody's "
            + "data; a team's ConfigMap and Deployment are, counted by kind with their names")
    void platformObjectsAreNotData() {
        List<NamespaceContents.Item> items = List.of(
                item("", "ServiceAccount", "default"), item("", "ServiceAccount", "builder"),
                item("", "ConfigMap", "kube-root-ca.crt"), item("", "ConfigMap", "openshift-service-ca.crt"),
                item("", "ConfigMap", "istio-ca-root-cert"),
                item("", "Secret", "default-dockercfg-x7k2q", "annotations", Map.of("kubernetes.io/service-account.name", "default")),
                item("rbac.authorization.k8s.io", "RoleBinding", "system:image-pullers"),
                item("networking.k8s.io", "NetworkPolicy", "istio-mesh", "labels", Map.of("maistra.io/member-of", "mesh-system")),
                item("operators.coreos.com", "ClusterServiceVersion", "jaeger.v1"),
                item("operators.coreos.com", "InstallPlan", "install-abc"),
                item("", "Event", "web.17a"), item("discovery.k8s.io", "EndpointSlice", "web-x"),
                item("apps", "ReplicaSet", "web-5d9", "ownerReferences", List.of(Map.of("kind", "Deployment", "name", "web"))),
                item("", "ConfigMap", "ours"));
        NamespaceContents.Foreign none = NamespaceContents.foreign(items, Set.of("ours-uid")::contains, List.of());
        assertThat(none.none()).as(none.describe()).isTrue();

        List<NamespaceContents.Item> withTeam = new java.util.ArrayList<>(items);
        withTeam.add(item("", "ConfigMap", "team-settings"));
        withTeam.add(item("apps", "Deployment", "web"));
        withTeam.add(item("", "Secret", "team-token", "annotations", Map.of("kubernetes.io/service-account.name", "team-bot")));
        withTeam.add(item("operators.coreos.com", "Subscription", "teams-operator"));
        NamespaceContents.Foreign foreign = NamespaceContents.foreign(withTeam, Set.of("ours-uid")::contains, List.of());
        assertThat(foreign.none()).isFalse();
        assertThat(foreign.counts()).containsExactly(Map.entry("ConfigMap", 1), Map.entry("Deployment", 1),
                Map.entry("Secret", 1), Map.entry("Subscription", 1));
        assertThat(foreign.describe()).isEqualTo("ConfigMap 1, Deployment 1, Secret 1, Subscription 1 (ConfigMap/team-settings, "
                + "Deployment/web, Secret/team-token, Subscription/teams-operator)");
    }

    @Test
    @DisplayName("a kind that could not be listed keeps the namespace: what it holds is unknown")
    void unreadKindsKeepTheNamespace() {
        NamespaceContents.Foreign unread = NamespaceContents.foreign(List.of(), uid -> false, List.of("Secret"));
        assertThat(unread.none()).isFalse();
        assertThat(unread.describe()).isEqualTo("could not list Secret (no permission): kept, since what is there is unknown");
    }
}
