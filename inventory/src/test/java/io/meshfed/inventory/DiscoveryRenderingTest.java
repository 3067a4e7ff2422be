package io.meshfed.inventory;

import io.meshfed.model.graph.ResourceGraph;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.model.inventory.MigrationPhase;
import io.meshfed.model.migration.ManualDiscovery;
import io.meshfed.model.render.FederationRenderer;
import io.meshfed.model.render.RenderException;
import io.meshfed.model.resource.DesiredObject;
import io.meshfed.model.resource.LiveValue;
import io.meshfed.model.resource.ObjectRef;
import io.meshfed.model.resource.Tree;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The migration's discovery phase rendered from the triangle example, whose imports use every way Maistra names a
 * service: an exporter's alias (blue's reviews as reviews-blue), an importer's alias (red-ratings), importAsLocal
 * (blue's ratings), and a label-selected export (green's details).
 */
class DiscoveryRenderingTest {

    private static Inventory at(Inventory inventory, MigrationPhase phase) {
        return new Inventory(inventory.name(), inventory.clusters(), inventory.topology().in(phase), inventory.multiCluster());
    }

    private static Map<ObjectRef, DesiredObject> byRef(List<DesiredObject> objects) {
        Map<ObjectRef, DesiredObject> map = new java.util.LinkedHashMap<>();
        objects.forEach(o -> map.put(o.ref(), o));
        return map;
    }

    private static ObjectRef ref(String cluster, String apiVersion, String kind, String ns, String name) {
        return new ObjectRef(cluster, apiVersion, kind, ns, name);
    }

    @Test
    @DisplayName("triangle at discovery: hosts as the federation names them, the exporter's Service behind each (aliases undone), "
            + "each side's objects, and nothing of it before the phase")
    void triangle() {
        Inventory triangle = at(InventoryLoader.load(Path.of("triangle")), MigrationPhase.DISCOVERY);
        List<ManualDiscovery.Imported> imported = ManualDiscovery.of(triangle);
        assertThat(imported).extracting(i -> i.importer().name() + " <- " + i.exporter().name() + " " + i.host() + " = "
                + i.serviceNamespace() + "/" + i.serviceName()).containsExactly(
                "green <- red red-ratings.bookinfo.svc.red-mesh-imports.local = bookinfo/ratings",
                "green <- blue reviews-blue.bookinfo.svc.blue-mesh-imports.local = bookinfo/reviews",
                "blue <- red ratings.bookinfo.svc.cluster.local = bookinfo/ratings",
                "red <- blue reviews.bookinfo.svc.blue-mesh-imports.local = bookinfo/reviews",
                "red <- green details.bookinfo.svc.green-mesh-imports.local = bookinfo/details");

        Map<ObjectRef, DesiredObject> objects = byRef(FederationRenderer.render(triangle));
        Map<String, Object> exposed = objects.get(ref("red", "networking.istio.io/v1beta1", "Gateway", "red-mesh-system",
                "expose-services")).content();
        assertThat(Tree.get(exposed, "spec", "servers").toString()).contains("mode=AUTO_PASSTHROUGH",
                "hosts=[ratings.bookinfo.svc.cluster.local, red-ratings.bookinfo.svc.red-mesh-imports.local]");
        // red's own ratings answers to the importAsLocal host: a ServiceEntry only for the aliased one
        assertThat(objects.keySet()).filteredOn(r -> r.cluster().equals("red") && r.kind().equals("ServiceEntry") && r.namespace().equals("bookinfo"))
                .containsExactly(ref("red", "networking.istio.io/v1beta1", "ServiceEntry", "bookinfo",
                        "red-ratings-bookinfo-svc-red-mesh-imports-local"));
        Map<String, Object> exporterEntry = objects.get(ref("red", "networking.istio.io/v1beta1", "ServiceEntry", "bookinfo",
                "red-ratings-bookinfo-svc-red-mesh-imports-local")).content();
        LiveValue ports = (LiveValue) Tree.get(exporterEntry, "spec", "ports");
        assertThat(ports.source()).isEqualTo(ref("red", "v1", "Service", "bookinfo", "ratings"));
        assertThat(ports.readFrom(Map.of("spec", Map.of("ports", List.of(Map.of("name", "http", "port", 9080, "targetPort", 8080))))))
                .isEqualTo(List.of(Map.of("number", 9080, "name", "http", "protocol", "HTTP", "targetPort", 8080)));

        Map<String, Object> remote = objects.get(ref("green", "gateway.networking.k8s.io/v1", "Gateway", "green-mesh-system",
                "remote-gateway-blue-mesh")).content();
        assertThat(Tree.get(remote, "metadata", "labels").toString()).contains("topology.istio.io/network=eastwest-blue-mesh");
        Map<?, ?> address = (Map<?, ?>) ((List<?>) Tree.get(remote, "spec", "addresses")).get(0);
        LiveValue value = (LiveValue) address.get("value");
        LiveValue type = (LiveValue) address.get("type");
        assertThat(value.source()).isEqualTo(ref("blue", "v1", "Service", "blue-mesh-system", "eastwestgateway-istio"));
        Map<String, Object> cloud = Map.of("status", Map.of("loadBalancer", Map.of("ingress", List.of(Map.of("hostname", "a1.elb.example.com")))));
        Map<String, Object> metal = Map.of("status", Map.of("loadBalancer", Map.of("ingress", List.of(Map.of("ip", "10.19.3.30")))));
        assertThat(List.of(value.readFrom(cloud), type.readFrom(cloud), value.readFrom(metal), type.readFrom(metal)))
                .containsExactly("a1.elb.example.com", "Hostname", "10.19.3.30", "IPAddress");

        Map<String, Object> entry = objects.get(ref("green", "networking.istio.io/v1beta1", "ServiceEntry", "green-mesh-system",
                "reviews-blue-bookinfo-svc-blue-mesh-imports-local")).content();
        assertThat(Tree.get(entry, "spec", "subjectAltNames")).isEqualTo(List.of("spiffe://blue-mesh.local/ns/bookinfo/sa/default"));
        assertThat(((LiveValue) Tree.get(entry, "spec", "ports")).source()).isEqualTo(ref("blue", "v1", "Service", "bookinfo", "reviews"));
        Map<String, Object> workload = objects.get(ref("green", "networking.istio.io/v1beta1", "WorkloadEntry", "green-mesh-system",
                "reviews-blue-bookinfo-svc-blue-mesh-imports-local")).content();
        assertThat(Tree.get(workload, "spec", "network")).isEqualTo("eastwest-blue-mesh");
        assertThat(Tree.get(workload, "metadata", "labels").toString()).contains("security.istio.io/tlsMode=istio",
                "federation.meshfed.io/import=reviews-blue-bookinfo-svc-blue-mesh-imports-local");
        assertThat(Tree.get(objects.get(ref("green", "maistra.io/v2", "ServiceMeshControlPlane", "green-mesh-system", "green-mesh"))
                .content(), "spec", "techPreview", "gatewayAPI", "enabled")).isEqualTo(true);

        ResourceGraph graph = FederationRenderer.graph(triangle);
        assertThat(graph.dependencies(ref("green", "gateway.networking.k8s.io/v1", "Gateway", "green-mesh-system",
                "remote-gateway-blue-mesh")).stream().map(e -> e.dependency()).toList()).contains(ref("blue", "v1", "Service", "blue-mesh-system", "eastwestgateway-istio"));
        assertThat(graph.dependencies(ref("blue", "v1", "Service", "blue-mesh-system", "eastwestgateway-istio")).stream().map(e -> e.dependency()).toList())
                .contains(ref("blue", "gateway.networking.k8s.io/v1", "Gateway", "blue-mesh-system", "eastwestgateway"));

        List<DesiredObject> prepared = FederationRenderer.render(at(triangle, MigrationPhase.PREPARED));
        assertThat(prepared).noneMatch(o -> o.ref().kind().equals("WorkloadEntry") || o.ref().apiVersion().startsWith("gateway."));
    }

    @Test
    @DisplayName("a wildcard import cannot be discovered by hand: the error names the rule's line and what to write instead")
    void wildcardImport(@org.junit.jupiter.api.io.TempDir Path tmp) throws java.io.IOException {
        Path dir = tmp.resolve("wild");
        java.nio.file.Files.createDirectories(dir);
        java.nio.file.Files.writeString(dir.resolve("hosts.yaml"), """
                all:
                  vars:
                    meshfed_inventory_name: wild
                    mesh_members: [bookinfo]
                    federation:
                      exports:
                        - from: blue
                          services: [{namespace: bookinfo}]
                      imports:
                        - into: green
                          from: blue
                          services:
                            - {namespace: bookinfo, name: "*"}
                  hosts:
                    blue: {kube_context: blue, metallb_addresses: [10.0.1.1-10.0.1.3]}
                    green: {kube_context: green, metallb_addresses: [10.0.2.1-10.0.2.3]}
                """);
        Inventory wild = at(InventoryLoader.load(dir), MigrationPhase.DISCOVERY);
        assertThatThrownBy(() -> FederationRenderer.render(wild)).isInstanceOf(RenderException.class)
                .hasMessageContaining("green imports bookinfo/* from blue").hasMessageContaining("name each service")
                .satisfies(e -> assertThat(((RenderException) e).location().toString()).endsWith("hosts.yaml:13:15"));
    }

    @Test
    @DisplayName("mesh_migration_version: the Istio and IstioCNI the migration installs, and the revision namespaces and the "
            + "east-west gateway move to, named after it; at cleanup no 2.6 control plane, member roll, operator or ignore label")
    void migrationVersion(@org.junit.jupiter.api.io.TempDir Path tmp) throws java.io.IOException {
        Path copy = tmp.resolve("triangle");
        try (var files = java.nio.file.Files.walk(Path.of("triangle"))) {
            for (Path p : files.toList()) {
                Path target = copy.resolve(Path.of("triangle").relativize(p).toString());
                if (java.nio.file.Files.isDirectory(p)) {
                    java.nio.file.Files.createDirectories(target);
                } else {
                    java.nio.file.Files.copy(p, target);
                }
            }
        }
        java.nio.file.Files.writeString(copy.resolve("group_vars/all/migration.yaml"),
                "mesh_version: v2.6\nmesh_migration: ossm3\nmesh_migration_version: v1.28.2\n");
        Inventory inventory = InventoryLoader.load(copy);
        assertThat(inventory.topology().ossm3Revision()).isEqualTo("default-v1-28-2");
        Map<ObjectRef, DesiredObject> objects = byRef(FederationRenderer.render(inventory));
        assertThat(io.meshfed.model.resource.Tree.get(objects.get(ref("blue", "sailoperator.io/v1", "Istio", null, "default")).content(),
                "spec", "version")).isEqualTo("v1.28.2");
        assertThat(io.meshfed.model.resource.Tree.get(objects.get(ref("blue", "sailoperator.io/v1", "IstioCNI", null, "default"))
                .content(), "spec", "version")).isEqualTo("v1.28.2");
        assertThat(io.meshfed.model.resource.Tree.get(objects.get(ref("blue", "v1", "Namespace", null, "bookinfo")).content(),
                "metadata", "labels")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("istio.io/rev", "default-v1-28-2").containsEntry("maistra.io/ignore-namespace", "true");

        Map<ObjectRef, DesiredObject> cleaned = byRef(FederationRenderer.render(at(inventory, MigrationPhase.CLEANUP)));
        assertThat(cleaned.keySet()).extracting(ObjectRef::kind).doesNotContain("ServiceMeshControlPlane", "ServiceMeshMemberRoll")
                .contains("Istio", "ServiceEntry");
        assertThat(cleaned.keySet()).noneMatch(r -> r.kind().equals("Subscription") && r.name().equals("servicemeshoperator"));
        assertThat(io.meshfed.model.resource.Tree.get(cleaned.get(ref("blue", "v1", "Namespace", null, "bookinfo")).content(),
                "metadata", "labels")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("istio.io/rev", "default-v1-28-2").doesNotContainKey("maistra.io/ignore-namespace");
        assertThat(io.meshfed.model.resource.Tree.get(cleaned.get(ref("blue", "gateway.networking.k8s.io/v1", "Gateway",
                "blue-mesh-system", "eastwestgateway")).content(), "metadata", "labels", "maistra.io/ignore")).isNull();
    }
}
