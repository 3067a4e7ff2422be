package io.meshfed.it;

import io.meshfed.inventory.InventoryLoader;
import io.meshfed.model.render.FederationRenderer;
import io.meshfed.model.resource.DesiredObject;
import io.meshfed.model.resource.ObjectRef;
import io.meshfed.model.resource.Tree;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Growing the triangle to four meshes by adding one host to the inventory changes every other
 * cluster's control plane (a gateway pair for the newcomer), adds a peer, a CA ConfigMap, an observed
 * ingress Service on each, and nothing else: exports without {@code to} go to the peers that import
 * from the exporter, and the newcomer imports nothing yet (so no ExportedServiceSet is offered to it,
 * which the doctor would fail as exported and never imported).
 */
class TopologyGrowthTest {

    @Test
    @DisplayName("adding a fourth cluster to triangle changes exactly the expected objects")
    void fourthCluster(@TempDir Path tmp) throws IOException {
        Path triangle = Repo.example("triangle");
        Path grown = tmp.resolve("triangle");
        Repo.copyTree(triangle, grown);
        Files.writeString(grown.resolve("hosts.yaml"), Files.readString(grown.resolve("hosts.yaml"))
                + "        yellow:\n          kube_context: yellow\n          metallb_addresses: [192.168.30.240/29]\n");

        Map<ObjectRef, DesiredObject> before = byRef(FederationRenderer.render(InventoryLoader.load(triangle)));
        Map<ObjectRef, DesiredObject> after = byRef(FederationRenderer.render(InventoryLoader.load(grown)));

        assertThat(before.keySet()).allMatch(after::containsKey);
        Set<String> changed = new TreeSet<>();
        for (ObjectRef ref : before.keySet()) {
            if (!before.get(ref).equals(after.get(ref))) {
                changed.add(ref.id());
            }
        }
        assertThat(changed).containsExactlyInAnyOrder(
                "red/ServiceMeshControlPlane/red-mesh-system/red-mesh",
                "green/ServiceMeshControlPlane/green-mesh-system/green-mesh",
                "blue/ServiceMeshControlPlane/blue-mesh-system/blue-mesh");
        for (String cluster : List.of("red", "green", "blue")) {
            DesiredObject old = before.get(smcp(cluster));
            DesiredObject now = after.get(smcp(cluster));
            assertThat(gatewayNames(now, "additionalIngress")).containsExactlyInAnyOrderElementsOf(
                    plus(gatewayNames(old, "additionalIngress"), "ingress-yellow-mesh"));
            assertThat(gatewayNames(now, "additionalEgress")).containsExactlyInAnyOrderElementsOf(
                    plus(gatewayNames(old, "additionalEgress"), "egress-yellow-mesh"));
            Map<String, Object> oldSpec = Tree.copy(old.content());
            Map<String, Object> newSpec = Tree.copy(now.content());
            ((Map<?, ?>) Tree.get(newSpec, "spec", "gateways", "additionalIngress")).remove("ingress-yellow-mesh");
            ((Map<?, ?>) Tree.get(newSpec, "spec", "gateways", "additionalEgress")).remove("egress-yellow-mesh");
            assertThat(newSpec).as("nothing but the new gateways changes in %s's SMCP", cluster).isEqualTo(oldSpec);
        }

        Set<String> addedElsewhere = after.keySet().stream().filter(r -> !before.containsKey(r) && !r.cluster().equals("yellow"))
                .map(ObjectRef::id).collect(Collectors.toCollection(TreeSet::new));
        Set<String> expected = new TreeSet<>();
        for (String cluster : List.of("red", "green", "blue")) {
            expected.add(cluster + "/ConfigMap/" + cluster + "-mesh-system/yellow-mesh-ca-root-cert");
            expected.add(cluster + "/ServiceMeshPeer/" + cluster + "-mesh-system/yellow-mesh");
            expected.add(cluster + "/Service/" + cluster + "-mesh-system/ingress-yellow-mesh");
        }
        // red and blue export to the peers that import from them: yellow imports nothing yet
        assertThat(addedElsewhere).containsExactlyInAnyOrderElementsOf(expected);

        List<String> yellow = after.keySet().stream().filter(r -> r.cluster().equals("yellow")).map(ObjectRef::id).toList();
        assertThat(yellow).contains("yellow/ServiceMeshControlPlane/yellow-mesh-system/yellow-mesh",
                "yellow/ServiceMeshPeer/yellow-mesh-system/red-mesh", "yellow/ServiceMeshPeer/yellow-mesh-system/green-mesh",
                "yellow/ServiceMeshPeer/yellow-mesh-system/blue-mesh");
        assertThat(gatewayNames(after.get(smcp("yellow")), "additionalIngress"))
                .containsExactlyInAnyOrder("ingress-red-mesh", "ingress-green-mesh", "ingress-blue-mesh");
    }

    private static ObjectRef smcp(String cluster) {
        return new ObjectRef(cluster, "maistra.io/v2", "ServiceMeshControlPlane", cluster + "-mesh-system", cluster + "-mesh");
    }

    private static Set<String> gatewayNames(DesiredObject smcp, String kind) {
        return ((Map<?, ?>) Tree.get(smcp.content(), "spec", "gateways", kind)).keySet().stream()
                .map(String::valueOf).collect(Collectors.toSet());
    }

    private static Set<String> plus(Set<String> set, String extra) {
        Set<String> out = new HashSet<>(set);
        out.add(extra);
        return out;
    }

    private static Map<ObjectRef, DesiredObject> byRef(List<DesiredObject> objects) {
        Map<ObjectRef, DesiredObject> map = new LinkedHashMap<>();
        objects.forEach(o -> map.put(o.ref(), o));
        return map;
    }

}
