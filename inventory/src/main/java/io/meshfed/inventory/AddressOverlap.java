package io.meshfed.inventory;

import io.meshfed.inventory.yaml.Located;
import io.meshfed.model.inventory.ClusterSpec;
import io.meshfed.model.inventory.LoadBalancerSpec;
import io.meshfed.model.inventory.Topology;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * MetalLB ranges that overlap between clusters a mesh must tell apart. A peer is reached at its
 * federation gateway's load-balancer address: two clusters that peer with each other, or with the
 * same cluster, must not hand out the same addresses, or that cluster's ServiceMeshPeers point at an
 * address it cannot tell apart (and reach only one of them). Clusters in separate networks that
 * never meet in a peering may reuse ranges.
 */
final class AddressOverlap {

    private AddressOverlap() {
    }

    static void check(List<ClusterSpec> clusters, Topology topology, Map<String, Map<String, Located>> vars,
                      Problems problems) {
        for (int i = 0; i < clusters.size(); i++) {
            for (int j = i + 1; j < clusters.size(); j++) {
                ClusterSpec a = clusters.get(i);
                ClusterSpec b = clusters.get(j);
                if (a.loadBalancer().type() != LoadBalancerSpec.Type.METALLB
                        || b.loadBalancer().type() != LoadBalancerSpec.Type.METALLB) {
                    continue;
                }
                // ranges first: cheap, and only overlapping ones need the peerings (O(N^2) pairs, O(N^2) peerings)
                String shared = overlap(a, b);
                String seenBy = shared == null ? null : seenBy(topology, a.name(), b.name());
                if (seenBy != null) {
                    Located where = vars.get(b.name()).get(HostKeys.METALLB_ADDRESSES);
                    problems.add(where.location(), "host '" + b.name() + "': metallb_addresses " + shared.formatted(a.name())
                            + "; " + seenBy + " could not tell their federation gateways apart: give each cluster its own range");
                }
            }
        }
    }

    /** Who must tell {@code a} and {@code b} apart: they themselves when they peer, else a peer of both; null if none. */
    private static String seenBy(Topology topology, String a, String b) {
        List<String> peersOfA = topology.peersOf(a);
        if (peersOfA.contains(b)) {
            return a + " and " + b + " peer, so they";
        }
        Set<String> common = new HashSet<>(peersOfA);
        common.retainAll(topology.peersOf(b));
        return common.isEmpty() ? null : "both peer with " + common.stream().sorted().findFirst().orElseThrow() + ", which";
    }

    /** The first entry of {@code b} that overlaps one of {@code a}'s, described with %s for a's name, or null. */
    private static String overlap(ClusterSpec a, ClusterSpec b) {
        for (String entryB : b.loadBalancer().addresses()) {
            Addresses.Span spanB = Addresses.span(entryB);
            for (String entryA : a.loadBalancer().addresses()) {
                Addresses.Span spanA = Addresses.span(entryA);
                if (spanA != null && spanB != null && spanA.overlaps(spanB)) {
                    return "entry '" + entryB + "' overlaps %s's '" + entryA + "'";
                }
            }
        }
        return null;
    }
}
