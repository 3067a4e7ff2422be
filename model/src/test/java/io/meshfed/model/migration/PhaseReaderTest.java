package io.meshfed.model.migration;

import io.meshfed.model.Fixtures;
import io.meshfed.model.inventory.ClusterSpec;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.model.inventory.MigrationPhase;
import io.meshfed.model.render.FederationRenderer;
import io.meshfed.model.resource.DesiredObject;
import io.meshfed.model.resource.Tree;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The migration's first phase as rendered and as read back: what the renderer adds to each SMCP at
 * {@code prepared} is exactly what the reader takes for that phase, and a federation is where its
 * slowest cluster is.
 */
class PhaseReaderTest {

    /** What a cluster without the ossm3 phase's objects lacks of it. */
    private static final List<String> OSSM3_LACKING = List.of("Istio default");

    private static Map<String, Object> smcp(Inventory inventory, String cluster) {
        DesiredObject smcp = FederationRenderer.render(inventory).stream()
                .filter(o -> o.ref().cluster().equals(cluster) && o.ref().kind().equals("ServiceMeshControlPlane"))
                .findFirst().orElseThrow();
        return smcp.content();
    }

    private static Inventory at(Inventory inventory, MigrationPhase phase) {
        return new Inventory(inventory.name(), inventory.clusters(), inventory.topology().in(phase), inventory.multiCluster());
    }

    @Test
    @DisplayName("prepared: each SMCP gets its peers' trust domains as aliases, the Gateway API discovery switch, network-<mesh>, "
            + "no managed NetworkPolicies; read back as prepared; the federated rendering lacks all four")
    void preparedAsRenderedAndRead() {
        Inventory federated = Fixtures.fullMesh("blue", "green", "red");
        Inventory prepared = at(federated, MigrationPhase.PREPARED);
        Map<String, Object> blue = smcp(prepared, "blue");
        assertThat(Tree.get(blue, "spec", "techPreview", "meshConfig", "trustDomainAliases"))
                .isEqualTo(List.of("green-mesh.local", "red-mesh.local"));
        assertThat(Tree.get(blue, "spec", "runtime", "components", "pilot", "container", "env"))
                .isEqualTo(Map.of("PILOT_MULTI_NETWORK_DISCOVER_GATEWAY_API", "true"));
        assertThat(Tree.get(blue, "spec", "cluster", "network")).isEqualTo("network-blue-mesh");
        assertThat(Tree.get(blue, "spec", "security", "manageNetworkPolicy")).isEqualTo(false);
        assertThat(Tree.get(blue, "spec", "security", "trust", "domain")).isEqualTo("blue-mesh.local");

        ClusterSpec blueSpec = federated.requireCluster("blue");
        List<ClusterSpec> peers = List.of(federated.requireCluster("green"), federated.requireCluster("red"));
        PhaseReader.ClusterPhase read = PhaseReader.read(blueSpec, peers, new PhaseReader.ClusterState(blue, List.of(), List.of(), OSSM3_LACKING, List.of(), List.of()));
        assertThat(read.phase()).isEqualTo(MigrationPhase.PREPARED);
        assertThat(read.missing()).containsExactly("techPreview.gatewayAPI.enabled is not true");

        PhaseReader.ClusterPhase before = PhaseReader.read(blueSpec, peers, new PhaseReader.ClusterState(smcp(federated, "blue"), List.of(), List.of(), OSSM3_LACKING, List.of(), List.of()));
        assertThat(before.phase()).isEqualTo(MigrationPhase.FEDERATED);
        assertThat(before.missing()).containsExactly("trustDomainAliases lacks green-mesh.local, red-mesh.local",
                "pilot env PILOT_MULTI_NETWORK_DISCOVER_GATEWAY_API is not set",
                "cluster.network is not set, not network-blue-mesh", "security.manageNetworkPolicy is not false");
        assertThat(PhaseReader.read(blueSpec, peers, new PhaseReader.ClusterState(null, List.of(), List.of(), OSSM3_LACKING, List.of(), List.of())).missing()).containsExactly("no ServiceMeshControlPlane "
                + "blue-mesh-system/blue-mesh");
        // one alias short (a peer added since): not prepared, and it says which
        assertThat(PhaseReader.read(blueSpec, peers, new PhaseReader.ClusterState(smcp(at(Fixtures.fullMesh("blue", "green"), MigrationPhase.PREPARED),
                "blue"), List.of(), List.of(), OSSM3_LACKING, List.of(), List.of())).missing()).containsExactly("trustDomainAliases lacks red-mesh.local");
    }

    @Test
    @DisplayName("cut-over: the rendered SMCP has no federation gateways and reads as cut over once no peer is left; the "
            + "discovery SMCP still has them, and a peer left behind holds the cluster at discovery")
    void cutOverAsRenderedAndRead() {
        Inventory federated = Fixtures.fullMesh("blue", "green", "red");
        ClusterSpec blueSpec = federated.requireCluster("blue");
        List<ClusterSpec> peers = List.of(federated.requireCluster("green"), federated.requireCluster("red"));
        Map<String, Object> cut = smcp(at(federated, MigrationPhase.CUT_OVER), "blue");
        assertThat(Tree.get(cut, "spec", "gateways")).isNull();
        assertThat(Tree.get(cut, "spec", "techPreview", "gatewayAPI", "enabled")).isEqualTo(true);
        assertThat(FederationRenderer.render(at(federated, MigrationPhase.CUT_OVER))).extracting(o -> o.ref().kind())
                .doesNotContain("ServiceMeshPeer", "ExportedServiceSet", "ImportedServiceSet").contains("ConfigMap");

        assertThat(PhaseReader.read(blueSpec, peers, new PhaseReader.ClusterState(cut, List.of(), List.of(), OSSM3_LACKING, List.of(), List.of())))
                .isEqualTo(new PhaseReader.ClusterPhase("blue", MigrationPhase.CUT_OVER, List.of("no Istio default")));
        assertThat(PhaseReader.read(blueSpec, peers, new PhaseReader.ClusterState(cut, List.of(), List.of(), List.of(), List.of(), List.of())).phase())
                .as("with the ossm3 phase's objects there").isEqualTo(MigrationPhase.OSSM3);
        assertThat(PhaseReader.read(blueSpec, peers, new PhaseReader.ClusterState(cut, List.of(), List.of(), List.of(), List.of(),
                List.of("ServiceMeshMemberRoll blue-mesh-system/default"))).missing())
                .containsExactly("ServiceMeshMemberRoll blue-mesh-system/default still there");
        // 2.6 removed: cleaned up once nothing of it is left
        assertThat(PhaseReader.read(blueSpec, peers, new PhaseReader.ClusterState(null, List.of(), List.of(), List.of(), List.of(),
                List.of("Subscription openshift-operators/servicemeshoperator")))).isEqualTo(new PhaseReader.ClusterPhase("blue",
                MigrationPhase.OSSM3, List.of("Subscription openshift-operators/servicemeshoperator still there")));
        assertThat(PhaseReader.read(blueSpec, peers, new PhaseReader.ClusterState(null, List.of(), List.of(), List.of(), List.of(),
                List.of())).phase()).isEqualTo(MigrationPhase.CLEANUP);
        // every object there, but a workload still on 2.6's proxy: not ossm3 yet (the next migrate apply restarts it)
        assertThat(PhaseReader.read(blueSpec, peers, new PhaseReader.ClusterState(cut, List.of(), List.of(), List.of(),
                List.of("Pod app/web-1 still on revision basic"), List.of()))).isEqualTo(new PhaseReader.ClusterPhase("blue", MigrationPhase.CUT_OVER,
                List.of("Pod app/web-1 still on revision basic")));
        assertThat(PhaseReader.read(blueSpec, peers, new PhaseReader.ClusterState(cut, List.of(), List.of("green-mesh"), OSSM3_LACKING, List.of(), List.of()))
                .missing()).containsExactly("ServiceMeshPeer green-mesh still there");
        PhaseReader.ClusterPhase discovery = PhaseReader.read(blueSpec, peers, new PhaseReader.ClusterState(smcp(at(federated, MigrationPhase.DISCOVERY), "blue"), List.of(), List.of(), OSSM3_LACKING, List.of(), List.of()));
        assertThat(discovery.phase()).isEqualTo(MigrationPhase.DISCOVERY);
        // a discovery left half done (an apply that failed midway) is not discovery: the next run does it again
        assertThat(PhaseReader.read(blueSpec, peers, new PhaseReader.ClusterState(cut, List.of("WorkloadEntry blue-mesh-system/x"),
                List.of(), OSSM3_LACKING, List.of(), List.of()))).isEqualTo(new PhaseReader.ClusterPhase("blue", MigrationPhase.PREPARED,
                List.of("no WorkloadEntry blue-mesh-system/x")));
        assertThat(discovery.missing()).containsExactly("gateways.additionalIngress still has ingress-green-mesh, ingress-red-mesh",
                "gateways.additionalEgress still has egress-green-mesh, egress-red-mesh");
    }

    @Test
    @DisplayName("the federation is in the phase of its slowest cluster")
    void slowestCluster() {
        assertThat(PhaseReader.federation(List.of(new PhaseReader.ClusterPhase("a", MigrationPhase.PREPARED, List.of()),
                new PhaseReader.ClusterPhase("b", MigrationPhase.FEDERATED, List.of("x"))))).isEqualTo(MigrationPhase.FEDERATED);
        assertThat(PhaseReader.federation(List.of(new PhaseReader.ClusterPhase("a", MigrationPhase.PREPARED, List.of()))))
                .isEqualTo(MigrationPhase.PREPARED);
    }
}
