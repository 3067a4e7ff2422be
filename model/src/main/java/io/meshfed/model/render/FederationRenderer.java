package io.meshfed.model.render;

import io.meshfed.model.inventory.MigrationPhase;
import io.meshfed.model.migration.ManualDiscovery;
import io.meshfed.model.graph.GraphBuilder;
import io.meshfed.model.graph.GraphException;
import io.meshfed.model.graph.ResourceGraph;
import io.meshfed.model.inventory.ClusterSpec;
import io.meshfed.model.inventory.Location;
import io.meshfed.model.inventory.Manifest;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.model.inventory.Route;
import io.meshfed.model.resource.DesiredObject;
import io.meshfed.model.resource.ObjectRef;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders every object of the seed's procedure, for every OSSM 2 cluster of an inventory: operators,
 * MetalLB, the control plane with a gateway pair per peer, CA ConfigMaps and ServiceMeshPeers,
 * member roll and applications, service sets and routes; and for its OSSM 3 clusters, one
 * multi-primary, multi-network mesh ({@link MultiClusterRenderer}). Pure: the same inventory always gives the
 * same objects in the same order.
 */
public final class FederationRenderer {

    /**
     * Whether {@code object} is one the migration adds at {@code phase} (what {@code migrate status} looks for on
     * each cluster): discovery's Gateways, ServiceEntries and WorkloadEntries; ossm3's operator, IstioCNI, Istio and
     * member namespaces on its revision.
     */
    public static boolean addedAt(MigrationPhase phase, DesiredObject object) {
        Set<String> tags = object.tags();
        return switch (phase) {
            case DISCOVERY -> tags.contains(Tags.DISCOVERY);
            case OSSM3 -> tags.contains(Tags.OSSM3) || tags.contains(Tags.OSSM3_MEMBER) || tags.contains(Tags.operator("servicemesh3"));
            default -> false;
        };
    }

    private FederationRenderer() {
    }

    /**
     * The inventory's objects in their graph, by the default ordering rules; a cycle names where each of
     * the user's objects on it is written.
     */
    public static ResourceGraph graph(Inventory inventory) {
        try {
            return GraphBuilder.withDefaultRules().build(render(inventory));
        } catch (GraphException e) {
            Map<ObjectRef, Location> written = new HashMap<>();
            for (ClusterSpec cluster : inventory.clusters()) {
                for (Manifest m : cluster.manifests()) {
                    written.put(Rendering.refOf(cluster.name(), m.object()), m.location());
                }
            }
            throw e.locatedBy(written);
        }
    }

    public static List<DesiredObject> render(Inventory inventory) {
        Rendering out = new Rendering(inventory.name());
        ServiceSetRenderer serviceSets = new ServiceSetRenderer(inventory.topology());
        for (ClusterSpec cluster : inventory.clusters()) {
            if (cluster.multiCluster()) {
                List<ClusterSpec> others = inventory.clusters().stream()
                        .filter(c -> c.multiCluster() && !c.name().equals(cluster.name())).toList();
                OperatorRenderer.render(cluster, false, out);
                LoadBalancerRenderer.render(cluster, out);
                MultiClusterRenderer.render(cluster, others, inventory.multiCluster(), out);
                MembershipRenderer.applications(cluster, out);
                continue;
            }
            List<ClusterSpec> peers = new ArrayList<>();
            for (String peer : inventory.topology().peersOf(cluster.name())) {
                peers.add(inventory.requireCluster(peer));
            }
            MigrationPhase phase = inventory.topology().migration();
            OperatorRenderer.render(cluster, phase.atLeast(MigrationPhase.CLEANUP), out);
            LoadBalancerRenderer.render(cluster, out);
            ControlPlaneRenderer.render(cluster, peers, phase, out);
            boolean federating = !inventory.topology().migration().atLeast(MigrationPhase.CUT_OVER);
            for (ClusterSpec peer : peers) {
                PeeringRenderer.render(cluster, peer, federating, out);
            }
            MembershipRenderer.render(cluster, !phase.atLeast(MigrationPhase.CLEANUP), out);
            for (ClusterSpec peer : federating ? peers : List.<ClusterSpec>of()) {
                serviceSets.render(cluster, peer, out);
            }
            if (inventory.topology().migration().atLeast(MigrationPhase.OSSM3) && !peers.isEmpty()) {
                Ossm3BesideRenderer.render(cluster, peers, inventory.topology(), out);
            }
        }
        if (inventory.topology().migration().atLeast(MigrationPhase.DISCOVERY)) {
            DiscoveryRenderer.render(ManualDiscovery.of(inventory), Ossm3BesideRenderer.gatewayLabels(inventory.topology()), out);
        }
        for (Route route : inventory.topology().routes()) {
            RouteRenderer.render(route, inventory, out);
        }
        return out.objects();
    }
}
