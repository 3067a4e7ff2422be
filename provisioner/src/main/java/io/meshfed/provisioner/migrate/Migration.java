package io.meshfed.provisioner.migrate;

import io.meshfed.model.doctor.FederationDoctor;
import io.meshfed.model.doctor.Finding;
import io.meshfed.model.inventory.ClusterSpec;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.model.inventory.MigrationPhase;
import io.meshfed.model.inventory.OperatorRole;
import io.meshfed.model.render.FederationRenderer;
import io.meshfed.model.render.Ossm3BesideRenderer;
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
import java.util.Set;

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
        List<DesiredObject> last = lastPhase(inventory);
        Map<String, List<DesiredObject>> discovery = addedAt(last, MigrationPhase.DISCOVERY);
        Map<String, List<DesiredObject>> ossm3 = addedAt(last, MigrationPhase.OSSM3);
        for (ClusterSpec cluster : inventory.clusters()) {
            if (cluster.multiCluster() || !clients.containsKey(cluster.name())) {
                continue;
            }
            List<ClusterSpec> peers = inventory.topology().peersOf(cluster.name()).stream().map(inventory::requireCluster).toList();
            Map<String, Object> smcp = clients.get(cluster.name()).get(new ObjectRef(cluster.name(), "maistra.io/v2",
                    "ServiceMeshControlPlane", cluster.mesh().namespace(), cluster.mesh().name()));
            ClusterClient client = clients.get(cluster.name());
            String cannot = "objects: the inventory's imports cannot be discovered by hand (meshfed migrate plan --to discovery says why)";
            // without 2.6's control plane, its labels keeping namespaces out of its reach no longer matter
            Set<String> skipped = smcp == null ? Ossm3BesideRenderer.IGNORE_LABELS : Set.of();
            List<String> lacking = discovery == null ? List.of("discovery " + cannot) : lacking(client, discovery.get(cluster.name()), skipped);
            List<String> lackingOssm3 = ossm3 == null ? List.of("ossm3 " + cannot) : lacking(client, ossm3.get(cluster.name()), skipped);
            // the workloads move last: read only once everything else of the ossm3 phase is there; then what is left of 2.6
            List<String> offRevision = lackingOssm3.isEmpty()
                    ? WorkloadMover.offRevision(client, cluster, inventory.topology().ossm3Revision()) : List.of();
            List<String> left26 = lackingOssm3.isEmpty() && offRevision.isEmpty() ? left26(client, cluster, smcp) : List.of();
            PhaseReader.ClusterState state = new PhaseReader.ClusterState(smcp, lacking,
                    names(client.listIn(cluster.mesh().namespace(), "federation.maistra.io/v1", "ServiceMeshPeer")), lackingOssm3,
                    offRevision, left26);
            phases.add(PhaseReader.read(cluster, peers, state));
        }
        return phases;
    }

    /**
     * The last phase rendered (it holds every object an earlier phase adds, under the same names), so that what status
     * looks for is what apply writes; null where the federation's imports cannot be discovered by hand (a wildcard),
     * which rendering that phase explains.
     */
    private static List<DesiredObject> lastPhase(Inventory inventory) {
        try {
            return FederationRenderer.render(at(inventory, MigrationPhase.OSSM3));
        } catch (RenderException e) {
            return null;
        }
    }

    /** The objects the migration adds at {@code phase}, by cluster (null where {@code rendered} is). */
    private static Map<String, List<DesiredObject>> addedAt(List<DesiredObject> rendered, MigrationPhase phase) {
        if (rendered == null) {
            return null;
        }
        Map<String, List<DesiredObject>> byCluster = new java.util.HashMap<>();
        for (DesiredObject o : rendered) {
            if (o.managed() && FederationRenderer.addedAt(phase, o)) {
                byCluster.computeIfAbsent(o.ref().cluster(), c -> new ArrayList<>()).add(o);
            }
        }
        return byCluster;
    }

    /**
     * What the cluster still has of OSSM 2.6 that the migration's cleanup removes: its control plane, its member roll,
     * its operator's Subscription.
     */
    private static List<String> left26(ClusterClient client, ClusterSpec cluster, Map<String, Object> smcp) {
        List<String> left = new ArrayList<>();
        String ns = cluster.mesh().namespace();
        if (smcp != null) {
            left.add("ServiceMeshControlPlane " + ns + "/" + cluster.mesh().name());
        }
        List<ObjectRef> others = new ArrayList<>();
        others.add(new ObjectRef(cluster.name(), "maistra.io/v1", "ServiceMeshMemberRoll", ns, "default"));
        cluster.operators().stream().filter(o -> o.role() == OperatorRole.SERVICEMESH).forEach(o -> others.add(new ObjectRef(
                cluster.name(), "operators.coreos.com/v1alpha1", "Subscription", o.namespace(), o.packageName())));
        for (ObjectRef ref : others) {
            if (client.get(ref) != null) {
                left.add(ref.kind() + " " + ref.namespace() + "/" + ref.name());
            }
        }
        return left;
    }

    /**
     * What the cluster lacks of {@code wanted}: each object it does not have, and each label a Namespace lacks (but
     * those {@code skipped}).
     */
    @SuppressWarnings("unchecked")
    private static List<String> lacking(ClusterClient client, List<DesiredObject> wanted, Set<String> skipped) {
        List<String> lacking = new ArrayList<>();
        for (DesiredObject o : wanted == null ? List.<DesiredObject>of() : wanted) {
            ObjectRef ref = o.ref();
            Map<String, Object> live = client.get(ref);
            String name = ref.kind() + " " + (ref.namespace() == null ? "" : ref.namespace() + "/") + ref.name();
            if (live == null) {
                lacking.add(name);
            } else if (o.ref().kind().equals("Namespace")) {
                Map<String, Object> want = (Map<String, Object>) Tree.get(o.content(), "metadata", "labels");
                Object have = Tree.get(live, "metadata", "labels");
                want.forEach((k, v) -> {
                    if (!skipped.contains(k) && (!(have instanceof Map<?, ?> h) || !v.equals(h.get(k)))) {
                        lacking.add("label " + k + "=" + v + " on " + name);
                    }
                });
            }
        }
        return lacking;
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
     * {@code apply --prune}): going back undoes the phases after it, the cut-over removes the federation, and the
     * cleanup OSSM 2.6.
     */
    public static boolean prunes(MigrationPhase step, boolean back) {
        return back || step == MigrationPhase.CUT_OVER || step == MigrationPhase.CLEANUP;
    }

    /**
     * What going back to {@code step} cannot restore as it was (the guide allows undoing the phases before the
     * cut-over by removing what they added; past it, what was removed is made anew): said before that step; null
     * where undoing is removing.
     */
    public static String notAsItWas(MigrationPhase step) {
        return switch (step) {
            case DISCOVERY -> "undoing the cut-over makes the federation anew: its gateways get new load-balancer addresses "
                    + "(the old ones cannot be had again), which the peers read again, and the peers connect again";
            case CUT_OVER -> "undoing ossm3 restarts the workloads again, back onto 2.6's proxy";
            case OSSM3 -> "undoing the cleanup installs 2.6 anew: a new control plane and member roll (its istiod finds the "
                    + "CA that stayed) and the 2.6 operator's Subscription";
            default -> null;
        };
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
