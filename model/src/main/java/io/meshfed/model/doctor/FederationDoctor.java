package io.meshfed.model.doctor;

import io.meshfed.model.resource.Tree;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Why a federation does not work (and, for OSSM 3 clusters, a multi-cluster mesh: {@link MultiClusterDoctor}):
 * pure checks over one snapshot per cluster — each cluster's control
 * plane, operator and load balancer, then, for every ServiceMeshPeer, the chain traffic needs in its
 * order: the link ({@link PeerChecks}), what the mesh exports to the peer and imports from it
 * ({@link ServiceSetChecks}), and its routes to the peer's services ({@link RouteChecks}). Each check
 * names the FEDERATION.md rule it comes from.
 */
public final class FederationDoctor {

    private final List<ClusterSnapshot> clusters;

    private FederationDoctor(List<ClusterSnapshot> clusters) {
        this.clusters = clusters;
    }

    /** Every finding, cluster by cluster, each peer's chain in the order traffic needs it. */
    public static List<Finding> check(List<ClusterSnapshot> clusters) {
        return check(clusters, Map.of());
    }

    /**
     * @param first a finding per cluster to put before its own (the inventory comparison, {@link InventoryComparison})
     */
    public static List<Finding> check(List<ClusterSnapshot> clusters, Map<String, Finding> first) {
        FederationDoctor doctor = new FederationDoctor(clusters);
        List<Finding> findings = new ArrayList<>();
        for (ClusterSnapshot mesh : clusters) {
            if (first.containsKey(mesh.cluster())) {
                findings.add(first.get(mesh.cluster()));
            }
            if (mesh.migratedFromFederation()) {
                // a federation's mesh on OSSM 3 alone (the migration's cleanup): services discovered by hand
                findings.addAll(DiscoveryChecks.check(mesh, clusters));
                findings.addAll(RevisionChecks.check(mesh));
                continue;
            }
            if (mesh.istio().isPresent() && mesh.controlPlane().isEmpty()) {
                findings.addAll(MultiClusterDoctor.check(mesh, clusters));   // OSSM 3: one mesh over clusters, no peers
                continue;
            }
            findings.addAll(ClusterChecks.check(mesh));
            if (mesh.controlPlane().isEmpty()) {
                continue;
            }
            findings.addAll(DiscoveryChecks.check(mesh, clusters));
            findings.addAll(RevisionChecks.check(mesh));
            for (Map<String, Object> peer : mesh.peers()) {
                findings.addAll(doctor.peer(mesh, peer));
            }
        }
        return explainedAcross(findings);
    }

    /** The checks of a link, which a connection needs on both sides. */
    private static final List<String> LINK = List.of("gateways", "trust domain", "CA certificate", "client ID", "peer address");

    /**
     * A connection that fails because of the other side's peer (what it admits, where it points) is that
     * failure, said once: a WARN naming it.
     */
    private static List<Finding> explainedAcross(List<Finding> findings) {
        List<Finding> out = new ArrayList<>(findings.size());
        for (Finding f : findings) {
            Optional<Finding> cause = f.check().equals("connection") && f.status() == Finding.Status.FAIL
                    ? findings.stream().filter(c -> Objects.equals(c.cluster(), f.peer()) && Objects.equals(c.peer(), f.cluster())
                            && LINK.contains(c.check()) && c.status() == Finding.Status.FAIL).findFirst()
                    : Optional.empty();
            out.add(cause.map(c -> f.following("the " + c.cluster() + " -> " + c.peer() + " " + c.check() + " failure"))
                    .orElse(f));
        }
        return out;
    }

    private List<Finding> peer(ClusterSnapshot mesh, Map<String, Object> peer) {
        Optional<ClusterSnapshot> remote = remoteOf(mesh, peer);
        if (remote.isEmpty()) {
            return List.of(Finding.unknown(mesh.cluster(), null, "peer's cluster", MeshObjects.where(mesh.cluster(), peer)
                    + " names trust domain '" + Tree.get(peer, "spec", "security", "trustDomain")
                    + "', which no control plane of the clusters checked has"));
        }
        ClusterSnapshot other = remote.get();
        String localTrust = MeshObjects.trustDomain(mesh.controlPlane().orElseThrow());
        // the other side's peer for this mesh: the one trusting its trust domain, else the one named like its
        // control plane (a misspelt trust domain is then that peer's failure, not a missing peer)
        String localName = ClusterSnapshot.name(mesh.controlPlane().orElseThrow());
        Optional<Map<String, Object>> back = other.peers().stream()
                .filter(p -> Objects.equals(Tree.get(p, "spec", "security", "trustDomain"), localTrust)).findFirst()
                .or(() -> other.peers().stream().filter(p -> Objects.equals(ClusterSnapshot.name(p), localName)).findFirst());
        Direction direction = new Direction(mesh, other, peer, back);
        List<Finding> findings = new ArrayList<>(PeerChecks.check(direction));
        findings.add(ServiceSetChecks.exports(direction));
        Finding imports = ServiceSetChecks.imports(direction);
        Finding routes = RouteChecks.routes(direction);
        findings.add(imports);
        // routes to services that are not imported follow from an import that failed or has nothing to import
        boolean importsBroken = imports.status() == Finding.Status.FAIL || imports.status() == Finding.Status.WARN;
        findings.add(importsBroken && routes.status() == Finding.Status.FAIL
                ? routes.following("the imports finding above") : routes);
        return findings;
    }

    /** The other cluster whose mesh the peer trusts (by trust domain, else by its control plane's name). */
    private Optional<ClusterSnapshot> remoteOf(ClusterSnapshot mesh, Map<String, Object> peer) {
        Object trusted = Tree.get(peer, "spec", "security", "trustDomain");
        List<ClusterSnapshot> others = clusters.stream().filter(c -> c != mesh && c.controlPlane().isPresent()).toList();
        Optional<ClusterSnapshot> byTrust = others.stream()
                .filter(c -> Objects.equals(MeshObjects.trustDomain(c.controlPlane().get()), trusted)).findFirst();
        return byTrust.isPresent() ? byTrust : others.stream()
                .filter(c -> Objects.equals(ClusterSnapshot.name(c.controlPlane().get()), ClusterSnapshot.name(peer))).findFirst();
    }
}
