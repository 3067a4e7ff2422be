package io.meshfed.provisioner.migrate;

import io.meshfed.model.inventory.ClusterSpec;
import io.meshfed.model.inventory.MigrationPhase;
import io.meshfed.model.inventory.Topology;
import io.meshfed.model.migration.WorkloadMove;
import io.meshfed.model.resource.ObjectRef;
import io.meshfed.model.resource.Tree;
import io.meshfed.provisioner.apply.ApiException;
import io.meshfed.provisioner.apply.ClusterClient;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The workloads of a cluster's member namespaces moved to the control plane a migration step leaves them on
 * ({@link WorkloadMove}): read (their Pods, Deployments, StatefulSets, DaemonSets), and restarted as
 * {@code kubectl rollout restart} does, by a change of the pod template.
 */
public final class WorkloadMover {

    /**
     * Where a step moves Pods.
     *
     * @param to       the revision whose proxy they are to run
     * @param onlyFrom the revision they leave; null: any other (forward, every proxy not of the new revision)
     */
    public record Direction(String to, String onlyFrom) {
    }

    private WorkloadMover() {
    }

    /**
     * Where converging to {@code step} moves Pods: onto OSSM 3's revision at the ossm3 phase; back onto 2.6's (the
     * control plane's name is its revision) when that phase is undone; null for the other steps (they leave Pods be).
     */
    public static Direction direction(ClusterSpec cluster, Topology topology, MigrationPhase step, boolean back) {
        if (!back && step == MigrationPhase.OSSM3) {
            return new Direction(topology.ossm3Revision(), null);
        }
        if (back && step == MigrationPhase.CUT_OVER) {
            return new Direction(cluster.mesh().name(), topology.ossm3Revision());
        }
        return null;
    }

    /** The restarts that move the cluster's member namespaces' workloads as {@code direction} says. */
    public static List<WorkloadMove.Restart> planned(ClusterClient client, ClusterSpec cluster, Direction direction) {
        List<WorkloadMove.Restart> restarts = new ArrayList<>();
        for (String member : cluster.members()) {
            List<Map<String, Object>> pods = client.listIn(member, "v1", "Pod");
            if (pods.isEmpty()) {
                continue;
            }
            List<Map<String, Object>> workloads = new ArrayList<>();
            for (String kind : WorkloadMove.KINDS) {
                for (Map<String, Object> w : client.listIn(member, "apps/v1", kind)) {
                    Map<String, Object> kinded = new LinkedHashMap<>(w);
                    kinded.put("kind", kind);
                    workloads.add(kinded);
                }
            }
            restarts.addAll(WorkloadMove.plan(workloads, pods, direction.to(), direction.onlyFrom()));
        }
        return restarts;
    }

    /** Each Pod of the member namespaces whose proxy is not of {@code revision}: {@code Pod ns/name still on revision R}. */
    public static List<String> offRevision(ClusterClient client, ClusterSpec cluster, String revision) {
        List<String> off = new ArrayList<>();
        for (String member : cluster.members()) {
            WorkloadMove.offRevision(client.listIn(member, "v1", "Pod"), revision)
                    .forEach((pod, has) -> off.add("Pod " + member + "/" + pod + " still on revision " + has));
        }
        return off;
    }

    /**
     * Restarts one workload, if it is still the version read (a concurrent change is a conflict the next run sees);
     * false when it is gone meanwhile.
     */
    public static boolean restart(ClusterClient client, String cluster, WorkloadMove.Restart restart) {
        ObjectRef ref = new ObjectRef(cluster, "apps/v1", restart.kind(), restart.namespace(), restart.name());
        Map<String, Object> live = client.freshRead(ref);
        if (live == null) {
            return false;
        }
        boolean annotated = Tree.get(live, "spec", "template", "metadata", "annotations") instanceof Map<?, ?>;
        try {
            client.patch(ref, String.valueOf(Tree.get(live, "metadata", "resourceVersion")), restart.patch(annotated,
                    java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()));
        } catch (ApiException e) {
            if (e.code() == 404) {
                return false;
            }
            throw e;
        }
        return true;
    }
}
