package io.meshfed.it;

import io.meshfed.inventory.InventoryLoader;
import io.meshfed.model.inventory.ClusterSpec;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.model.render.FederationRenderer;
import io.meshfed.model.ownership.OwnershipLabels;
import io.meshfed.model.resource.DesiredObject;
import io.meshfed.model.resource.Tree;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden test: {@code inventory/blue-green} renders every object of the seed, field for field, with
 * the seed's {@code <OUTPUT FROM STEP k>} placeholders compared as references to what step k reads.
 * The expected objects are read from the seed's own text.
 */
class SeedGoldenTest {

    /** MetalLB kinds whose seed example is shown once, "from our environment": blue's. */
    private static final Set<String> SHOWN_FOR_BLUE = Set.of("MetalLB", "IPAddressPool", "L2Advertisement");

    /**
     * The one place meshfed departs from the seed on purpose: the seed puts IPAddressPool and
     * L2Advertisement in openshift-operators while its MetalLB operand is in openshift-metallb; MetalLB
     * reads pools only from its own namespace, so meshfed puts all three in metallb_namespace.
     */
    private static final Set<String> POOL_KINDS = Set.of("IPAddressPool", "L2Advertisement");

    private static Inventory inventory;
    private static Map<String, String> clusterOfNamespace;
    private static List<SeedDocument.SeedObject> seed;
    private static List<DesiredObject> rendered;

    @BeforeAll
    static void load() throws IOException {
        inventory = InventoryLoader.load(Repo.example("blue-green"));
        clusterOfNamespace = new HashMap<>();
        for (ClusterSpec c : inventory.clusters()) {
            clusterOfNamespace.put(c.mesh().namespace(), c.name());
        }
        seed = SeedDocument.objects(Files.readString(seedFile()), clusterOfNamespace::get);
        rendered = FederationRenderer.render(inventory);
    }

    static Path seedFile() {
        return Repo.testResource("seed/000_ec18b7ba1afe0562.txt");
    }

    @Test
    @DisplayName("the repository's copy of the seed is the shared one")
    void seedCopyIsCurrent() throws IOException {
        Path shared = Repo.shared();
        if (shared != null) {
            assertThat(Files.readString(seedFile()))
                    .isEqualTo(Files.readString(shared.resolve("seeds/000_ec18b7ba1afe0562.txt")));
        }
    }

    @Test
    @DisplayName("the seed yields all 18 objects it creates by hand")
    void seedParsed() {
        assertThat(seed).extracting(SeedDocument.SeedObject::kind).containsExactlyInAnyOrder(
                "MetalLB", "IPAddressPool", "L2Advertisement",
                "Namespace", "ServiceMeshControlPlane", "Namespace", "ServiceMeshControlPlane",
                "ConfigMap", "ConfigMap", "ServiceMeshPeer", "ServiceMeshPeer",
                "ServiceMeshMemberRoll", "ServiceMeshMemberRoll", "Namespace", "Namespace",
                "ExportedServiceSet", "ImportedServiceSet", "VirtualService");
    }

    @Test
    @SuppressWarnings("unchecked")
    @DisplayName("every object of the seed is rendered, equal field for field (references as references)")
    void everySeedObjectRendered() {
        List<String> compared = new ArrayList<>();
        for (SeedDocument.SeedObject expected : seed) {
            for (String cluster : clustersOf(expected)) {
                String namespace = POOL_KINDS.contains(expected.kind())
                        ? inventory.requireCluster(cluster).loadBalancer().namespace() : expected.namespace();
                DesiredObject actual = rendered.stream()
                        .filter(o -> o.managed() && o.ref().cluster().equals(cluster) && o.ref().kind().equals(expected.kind())
                                && o.ref().name().equals(expected.name())
                                && java.util.Objects.equals(o.ref().namespace(), namespace))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("seed line " + expected.line() + ": " + expected.kind() + " "
                                + namespace + "/" + expected.name() + " is not rendered for " + cluster));
                Map<String, Object> want = Tree.copy(expected.object());
                if (POOL_KINDS.contains(expected.kind())) {
                    assertThat(Tree.get(want, "metadata", "namespace")).isEqualTo("openshift-operators");
                    ((Map<String, Object>) want.get("metadata")).put("namespace", namespace);
                }
                assertThat(withoutOwnershipLabels(actual.content()))
                        .as("seed line %d: %s on %s", expected.line(), actual.ref().id(), cluster)
                        .isEqualTo(want);
                compared.add(actual.ref().id());
            }
        }
        assertThat(compared).hasSize(18).doesNotHaveDuplicates();
    }

    private List<String> clustersOf(SeedDocument.SeedObject object) {
        if (SHOWN_FOR_BLUE.contains(object.kind())) {
            return List.of("blue");
        }
        if (object.kind().equals("VirtualService")) {
            return List.of("green"); // "route the traffic to the imported dokuwiki service" in cluster2
        }
        String ns = object.kind().equals("Namespace") ? object.name() : object.namespace();
        String cluster = clusterOfNamespace.get(ns);
        if (cluster != null) {
            return List.of(cluster);
        }
        // the seed creates the application namespace twice: on cluster1 (blue), then on cluster2 (green)
        return List.of(object.line() == firstLineOf(object) ? "blue" : "green");
    }

    private int firstLineOf(SeedDocument.SeedObject object) {
        return seed.stream().filter(o -> o.kind().equals(object.kind()) && o.name().equals(object.name()))
                .mapToInt(SeedDocument.SeedObject::line).min().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> withoutOwnershipLabels(Map<String, Object> content) {
        Map<String, Object> copy = Tree.copy(content);
        Map<String, Object> metadata = (Map<String, Object>) copy.get("metadata");
        Map<String, Object> labels = (Map<String, Object>) metadata.get("labels");
        if (labels != null) {
            labels.remove(OwnershipLabels.MANAGED_BY);
            labels.remove(OwnershipLabels.INVENTORY);
            if (labels.isEmpty()) {
                metadata.remove("labels");
            }
        }
        return copy;
    }
}
