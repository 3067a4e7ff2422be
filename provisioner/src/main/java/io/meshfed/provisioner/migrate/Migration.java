package io.meshfed.provisioner.migrate;

import io.meshfed.model.doctor.FederationDoctor;
import io.meshfed.model.doctor.Finding;
import io.meshfed.model.inventory.ClusterSpec;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.model.inventory.MigrationPhase;
import io.meshfed.model.render.FederationRenderer;
import io.meshfed.model.render.RenderException;
import io.meshfed.model.resource.DesiredObject;
import io.meshfed.model.migration.PhaseReader;
import io.meshfed.model.resource.Tree;
import io.meshfed.model.resource.ObjectRef;
import io.meshfed.provisioner.apply.Cancellation;
import io.meshfed.provisioner.apply.ClusterClient;
import io.meshfed.provisioner.doctor.SnapshotReader;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The migration of an OSSM 2 federation to OSSM 3, phase by phase ({@link MigrationPhase}): where the clusters
 * are, read from them ({@link PhaseReader}); the inventory as it renders at a phase; the phases a move takes
 * (never one skipped); and the doctor's verdict after each, waited for while the meshes settle.
 */
public final class Migration {

    private Migration() {
    }

    /** Each OSSM 2 cluster's phase, read from its control plane. */
    public static List<PhaseReader.ClusterPhase> status(Map<String, ClusterClient> clients, Inventory inventory) {
        List<PhaseReader.ClusterPhase> phases = new ArrayList<>();
        Map<String, List<ObjectRef>> discovery = discoveryObjects(inventory);
        for (ClusterSpec cluster : inventory.clusters()) {
            if (cluster.multiCluster() || !clients.containsKey(cluster.name())) {
                continue;
            }
            List<ClusterSpec> peers = inventory.topology().peersOf(cluster.name()).stream().map(inventory::requireCluster).toList();
            Map<String, Object> smcp = clients.get(cluster.name()).get(new ObjectRef(cluster.name(), "maistra.io/v2",
                    "ServiceMeshControlPlane", cluster.mesh().namespace(), cluster.mesh().name()));
            ClusterClient client = clients.get(cluster.name());
            List<String> lacking = discovery == null ? List.of("discovery objects: the inventory's imports cannot be discovered by "
                    + "hand (meshfed migrate plan --to discovery says why)")
                    : discovery.getOrDefault(cluster.name(), List.of()).stream().filter(ref -> client.get(ref) == null)
                    .map(ref -> ref.kind() + " " + ref.namespace() + "/" + ref.name()).toList();
            PhaseReader.ClusterState state = new PhaseReader.ClusterState(smcp, lacking,
                    names(client.listIn(cluster.mesh().namespace(), "federation.maistra.io/v1", "ServiceMeshPeer")));
            phases.add(PhaseReader.read(cluster, peers, state));
        }
        return phases;
    }

    /**
     * The objects meshfed writes at the discovery phase, by cluster: the phase rendered, so that what status looks
     * for is what apply writes. A federation whose imports cannot be discovered by hand (a wildcard) has none to
     * look for (null); rendering it says why.
     */
    private static Map<String, List<ObjectRef>> discoveryObjects(Inventory inventory) {
        Map<String, List<ObjectRef>> byCluster = new java.util.HashMap<>();
        try {
            for (DesiredObject o : FederationRenderer.render(at(inventory, MigrationPhase.DISCOVERY))) {
                if (o.managed() && o.tags().contains(FederationRenderer.DISCOVERY_TAG)) {
                    byCluster.computeIfAbsent(o.ref().cluster(), c -> new ArrayList<>()).add(o.ref());
                }
            }
        } catch (RenderException e) {
            return null;
        }
        return byCluster;
    }

    private static List<String> names(List<Map<String, Object>> objects) {
        return objects.stream().map(o -> (String) Tree.get(o, "metadata", "name")).toList();
    }

    /** The inventory as it renders at {@code phase}: the same clusters and federation, that phase's objects. */
    public static Inventory at(Inventory inventory, MigrationPhase phase) {
        return new Inventory(inventory.name(), inventory.clusters(), inventory.topology().in(phase), inventory.multiCluster());
    }

    /**
     * Whether converging to {@code step} deletes what meshfed created and the step no longer renders (as
     * {@code apply --prune}): going back undoes the phases after it, and the cut-over removes the federation.
     */
    public static boolean prunes(MigrationPhase step, boolean back) {
        return back || step == MigrationPhase.CUT_OVER;
    }

    /** The phases a move from {@code from} to {@code to} goes through, in order: forward, or back (each undone). */
    public static List<MigrationPhase> steps(MigrationPhase from, MigrationPhase to) {
        List<MigrationPhase> all = Arrays.asList(MigrationPhase.values());
        int a = all.indexOf(from);
        int b = all.indexOf(to);
        List<MigrationPhase> steps = new ArrayList<>();
        if (b > a) {
            steps.addAll(all.subList(a + 1, b + 1));
        } else {
            for (int i = a - 1; i >= b; i--) {
                steps.add(all.get(i));
            }
        }
        return steps;
    }

    /**
     * The doctor, run until it finds nothing failing or {@code timeout} passes (the meshes settle after a phase:
     * a control plane rolls out, peers reconnect); its last findings.
     */
    public static List<Finding> verify(Map<String, ClusterClient> clients, Duration timeout, Cancellation cancel)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Finding> findings = FederationDoctor.check(SnapshotReader.read(clients));
            if (failing(findings).isEmpty() || System.nanoTime() >= deadline || cancel.cancelled()) {
                return findings;
            }
            cancel.await(Math.min(2_000, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
        }
    }

    public static List<Finding> failing(List<Finding> findings) {
        return findings.stream().filter(f -> f.status() == Finding.Status.FAIL).toList();
    }
}
