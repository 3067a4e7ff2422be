package io.meshfed.model.render;

import io.meshfed.model.Fixtures;
import io.meshfed.model.inventory.ClusterSpec;
import io.meshfed.model.inventory.Location;
import io.meshfed.model.inventory.Manifest;
import io.meshfed.model.graph.ResourceGraph;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.model.resource.DesiredObject;
import io.meshfed.model.resource.LiveValue;
import io.meshfed.model.resource.ObjectRef;
import io.meshfed.model.resource.Ownership;
import io.meshfed.model.resource.Tree;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FederationRendererTest {

    @Test
    @DisplayName("N clusters in full mesh: N·(N−1) peers, CA ConfigMaps, and a gateway pair per peer in every SMCP")
    void fullMeshCounts() {
        List<DesiredObject> objects = FederationRenderer.render(Fixtures.fullMesh(5));

        assertThat(count(objects, "ServiceMeshPeer")).isEqualTo(20);
        assertThat(objects.stream().filter(o -> o.ref().kind().equals("ConfigMap") && o.managed())).hasSize(20);
        assertThat(count(objects, "ServiceMeshControlPlane")).isEqualTo(5);
        for (DesiredObject smcp : objects.stream().filter(o -> o.ref().kind().equals("ServiceMeshControlPlane")).toList()) {
            assertThat((Map<?, ?>) Tree.get(smcp.content(), "spec", "gateways", "additionalIngress")).hasSize(4);
            assertThat((Map<?, ?>) Tree.get(smcp.content(), "spec", "gateways", "additionalEgress")).hasSize(4);
        }
    }

    @Test
    @DisplayName("a peer reads its remote address and CA from the other cluster, as typed references")
    void peerReferencesOtherCluster() {
        List<DesiredObject> objects = FederationRenderer.render(Fixtures.fullMesh("blue", "green"));
        DesiredObject peer = find(objects, new ObjectRef("blue", "federation.maistra.io/v1", "ServiceMeshPeer",
                "blue-mesh-system", "green-mesh"));

        Object address = ((List<?>) Tree.get(peer.content(), "spec", "remote", "addresses")).get(0);
        assertThat(address).isEqualTo(LiveValue.of(new ObjectRef("green", "v1", "Service", "green-mesh-system",
                "ingress-blue-mesh"), "status", "loadBalancer", "ingress", 0, new LiveValue.OneOf(List.of("ip", "hostname"))));
        assertThat(Tree.get(peer.content(), "spec", "security", "clientID"))
                .isEqualTo("green-mesh.local/ns/green-mesh-system/sa/egress-blue-mesh-service-account");

        DesiredObject ca = find(objects, new ObjectRef("blue", "v1", "ConfigMap", "blue-mesh-system", "green-mesh-ca-root-cert"));
        assertThat(Tree.get(ca.content(), "data", "root-cert.pem")).isEqualTo(LiveValue.of(
                new ObjectRef("green", "v1", "ConfigMap", "green-mesh-system", "istio-ca-root-cert"), "data", "root-cert.pem"));
    }

    @Test
    @DisplayName("every managed object carries the ownership labels; observed ones have no content")
    void ownershipLabels() {
        for (DesiredObject o : FederationRenderer.render(Fixtures.fullMesh(3))) {
            if (o.ownership() == Ownership.MANAGED) {
                @SuppressWarnings("unchecked")
                Map<String, Object> labels = (Map<String, Object>) Tree.get(o.content(), "metadata", "labels");
                assertThat(labels)
                        .containsEntry("app.kubernetes.io/managed-by", "meshfed")
                        .containsEntry("meshfed.io/inventory", "test");
            } else {
                assertThat(o.content()).isEmpty();
            }
        }
    }

    @Test
    @DisplayName("rendering is deterministic and rendered objects cannot be changed")
    void deterministicAndFrozen() {
        Inventory inventory = Fixtures.fullMesh(4);
        List<DesiredObject> first = FederationRenderer.render(inventory);
        assertThat(FederationRenderer.render(inventory)).isEqualTo(first);
        assertThatThrownBy(() -> first.get(0).content().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    @DisplayName("a cluster without peers has no federation gateways, peers or observed objects")
    void lonelyCluster() {
        List<DesiredObject> objects = FederationRenderer.render(Fixtures.fullMesh("solo"));
        DesiredObject smcp = objects.stream().filter(o -> o.ref().kind().equals("ServiceMeshControlPlane")).findFirst().orElseThrow();
        assertThat(Tree.get(smcp.content(), "spec", "gateways")).isNull();
        assertThat(objects).noneMatch(o -> o.ownership() == Ownership.OBSERVED);
        assertThat(count(objects, "ServiceMeshPeer")).isZero();
    }

    private static long count(List<DesiredObject> objects, String kind) {
        return objects.stream().filter(o -> o.ref().kind().equals(kind)).count();
    }

    private static DesiredObject find(List<DesiredObject> objects, ObjectRef ref) {
        return objects.stream().filter(o -> o.ref().equals(ref)).findFirst()
                .orElseThrow(() -> new AssertionError("not rendered: " + ref));
    }

    @Test
    @DisplayName("the user's own Namespace for the control plane (with labels) takes meshfed's place without a cycle: "
            + "a Namespace does not wait for the member roll")
    void usersOwnMeshNamespace() {
        Inventory plain = Fixtures.fullMesh("blue", "green");
        ClusterSpec blue = plain.clusters().get(0);
        Manifest namespace = new Manifest(new Location("apps/ns.yaml", 3, 1), Tree.map("apiVersion", "v1", "kind", "Namespace",
                "metadata", Tree.map("name", "blue-mesh-system", "labels", Map.of("team", "mesh"))));
        ClusterSpec withNamespace = new ClusterSpec(blue.name(), blue.connection(), blue.mesh(), blue.loadBalancer(),
                blue.operators(), blue.members(), List.of(namespace));
        Inventory inventory = new Inventory(plain.name(), List.of(withNamespace, plain.clusters().get(1)), plain.topology());
        ResourceGraph graph = FederationRenderer.graph(inventory);
        ObjectRef ref = new ObjectRef("blue", "v1", "Namespace", null, "blue-mesh-system");
        assertThat(Tree.get(graph.node(ref).content(), "metadata", "labels", "team")).isEqualTo("mesh");
        assertThat(graph.dependencies(ref)).isEmpty();
    }
}
