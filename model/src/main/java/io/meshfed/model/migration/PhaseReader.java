package io.meshfed.model.migration;

import io.meshfed.model.inventory.ClusterSpec;
import io.meshfed.model.inventory.MigrationPhase;
import io.meshfed.model.render.FederationNames;
import io.meshfed.model.resource.Tree;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which migration phase one cluster is in, read from what it has (no record of meshfed's own: a phase
 * done by hand counts as done), and what it lacks for the next one. Pure: the caller reads the objects.
 */
public final class PhaseReader {

    /**
     * One cluster's phase.
     *
     * @param cluster the inventory's host
     * @param phase   the last phase whose every setting the cluster has
     * @param missing what it lacks for the phase after (empty at the last built phase)
     */
    public record ClusterPhase(String cluster, MigrationPhase phase, List<String> missing) {
    }

    private PhaseReader() {
    }

    /**
     * What one cluster has that tells its phase.
     *
     * @param controlPlane      its ServiceMeshControlPlane, or null
     * @param lackingDiscovery  the objects of the discovery phase it does not have ({@code Kind ns/name}), as the
     *                          caller found them by rendering that phase and reading each
     * @param peers             the names of the ServiceMeshPeers in its mesh namespace
     * @param lackingOssm3      what it lacks of the ossm3 phase (objects, member namespaces' revision labels), found
     *                          as {@code lackingDiscovery} is
     * @param offRevision       the Pods of its member namespaces whose proxy is not of OSSM 3's revision
     *                          ({@code Pod ns/name still on revision R}), read where it lacks nothing else of the ossm3 phase
     * @param left26            what it still has of OSSM 2.6 ({@code Kind ns/name}: its control plane, member roll,
     *                          operator Subscription), read where it has everything of the ossm3 phase
     */
    public record ClusterState(Map<String, Object> controlPlane, List<String> lackingDiscovery, Collection<String> peers,
                               List<String> lackingOssm3, List<String> offRevision, List<String> left26) {
    }

    /**
     * @param cluster the host, as the inventory has it
     * @param peers   its peers in the federation
     * @param state   what it has
     */
    public static ClusterPhase read(ClusterSpec cluster, Collection<ClusterSpec> peers, ClusterState state) {
        boolean onOssm3 = state.lackingOssm3().isEmpty() && state.offRevision().isEmpty();
        if (state.controlPlane() == null && onOssm3) {
            // 2.6's control plane gone with OSSM 3 complete: cleaned up, or on its way there
            return state.left26().isEmpty() ? new ClusterPhase(cluster.name(), MigrationPhase.CLEANUP, List.of())
                    : new ClusterPhase(cluster.name(), MigrationPhase.OSSM3, stillThere(state.left26()));
        }
        List<String> prepare = missingForPrepared(cluster, peers, state.controlPlane());
        if (!prepare.isEmpty()) {
            return new ClusterPhase(cluster.name(), MigrationPhase.FEDERATED, prepare);
        }
        List<String> discovery = missingForDiscovery(peers, state);
        if (!discovery.isEmpty()) {
            return new ClusterPhase(cluster.name(), MigrationPhase.PREPARED, discovery);
        }
        List<String> cutOver = missingForCutOver(state);
        if (!cutOver.isEmpty()) {
            return new ClusterPhase(cluster.name(), MigrationPhase.DISCOVERY, cutOver);
        }
        if (!state.lackingOssm3().isEmpty()) {
            return new ClusterPhase(cluster.name(), MigrationPhase.CUT_OVER, state.lackingOssm3().stream().map(l -> "no " + l).toList());
        }
        return state.offRevision().isEmpty()
                ? new ClusterPhase(cluster.name(), MigrationPhase.OSSM3, stillThere(state.left26()))
                : new ClusterPhase(cluster.name(), MigrationPhase.CUT_OVER, state.offRevision());
    }

    private static List<String> stillThere(List<String> left26) {
        return left26.stream().map(o -> o + " still there").toList();
    }

    /** The cut-over: no ServiceMeshPeer left, no federation gateway in the control plane. */
    private static List<String> missingForCutOver(ClusterState state) {
        List<String> missing = new ArrayList<>();
        if (!state.peers().isEmpty()) {
            missing.add("ServiceMeshPeer " + String.join(", ", state.peers().stream().sorted().toList()) + " still there");
        }
        for (String section : List.of("additionalIngress", "additionalEgress")) {
            if (Tree.get(state.controlPlane(), "spec", "gateways", section) instanceof Map<?, ?> m && !m.isEmpty()) {
                missing.add("gateways." + section + " still has " + String.join(", ", m.keySet().stream().map(String::valueOf).sorted().toList()));
            }
        }
        return missing;
    }

    /** The furthest phase every cluster has reached: the federation is where its slowest cluster is. */
    public static MigrationPhase federation(Collection<ClusterPhase> clusters) {
        return clusters.stream().map(ClusterPhase::phase).min(Enum::compareTo).orElse(MigrationPhase.FEDERATED);
    }

    /** Manual discovery: Gateway API on in the control plane, and every object of the phase there. */
    private static List<String> missingForDiscovery(Collection<ClusterSpec> peers, ClusterState state) {
        List<String> missing = new ArrayList<>();
        if (!peers.isEmpty() && !Boolean.TRUE.equals(Tree.get(state.controlPlane(), "spec", "techPreview", "gatewayAPI", "enabled"))) {
            missing.add("techPreview.gatewayAPI.enabled is not true");
        }
        if (!state.lackingDiscovery().isEmpty()) {
            missing.add("no " + String.join(", ", state.lackingDiscovery()));
        }
        return missing;
    }

    /** The guide's first step: what the control plane lacks of it. */
    private static List<String> missingForPrepared(ClusterSpec cluster, Collection<ClusterSpec> peers,
                                                   Map<String, Object> smcp) {
        List<String> missing = new ArrayList<>();
        String where = cluster.mesh().namespace() + "/" + cluster.mesh().name();
        if (smcp == null) {
            missing.add("no ServiceMeshControlPlane " + where);
            return missing;
        }
        Object aliases = Tree.get(smcp, "spec", "techPreview", "meshConfig", "trustDomainAliases");
        List<?> have = aliases instanceof List<?> l ? l : List.of();
        List<String> lacking = peers.stream().map(p -> p.mesh().trustDomain()).filter(d -> !have.contains(d)).sorted().toList();
        if (!lacking.isEmpty()) {
            missing.add("trustDomainAliases lacks " + String.join(", ", lacking));
        }
        Object discover = Tree.get(smcp, "spec", "runtime", "components", "pilot", "container", "env",
                FederationNames.DISCOVER_GATEWAY_API);
        if (!"true".equals(discover)) {
            missing.add("pilot env " + FederationNames.DISCOVER_GATEWAY_API + " is " + (discover == null ? "not set" : discover));
        }
        String network = FederationNames.meshNetwork(cluster.mesh().name());
        Object has = Tree.get(smcp, "spec", "cluster", "network");
        if (!Objects.equals(network, has)) {
            missing.add("cluster.network is " + (has == null ? "not set" : has) + ", not " + network);
        }
        if (!Boolean.FALSE.equals(Tree.get(smcp, "spec", "security", "manageNetworkPolicy"))) {
            missing.add("security.manageNetworkPolicy is not false");
        }
        return missing;
    }
}
