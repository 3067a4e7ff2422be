package io.meshfed.model.doctor;

import io.meshfed.model.migration.WorkloadMove;
import io.meshfed.model.resource.Tree;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A federation migrating to OSSM 3 with its Istio beside the ServiceMeshControlPlane (the migration's {@code ossm3}
 * phase, the guide's "Migrate proxies and gateways"), or alone once 2.6 is removed (its namespaces then those on a
 * revision): the Istio is ready, and every namespace of the member roll and
 * the east-west gateway are on its active revision ({@code istio.io/rev}), out of 2.6's reach, and so is every
 * injected Pod in those namespaces (a Pod keeps the proxy it was made with until it is made again).
 */
final class RevisionChecks {

    static final String CHECK = "revision";
    private static final String REV_LABEL = "istio.io/rev";

    private RevisionChecks() {
    }

    static List<Finding> check(ClusterSnapshot mesh) {
        Optional<Map<String, Object>> istio = mesh.istio();
        Optional<Map<String, Object>> plane = mesh.controlPlane();
        if (istio.isEmpty() || plane.isEmpty() && !mesh.migratedFromFederation()) {
            return List.of();
        }
        String where = MeshObjects.where(mesh.cluster(), istio.get());
        Object revision = Tree.get(istio.get(), "status", "activeRevisionName");
        boolean ready = Tree.get(istio.get(), "status", "conditions") instanceof List<?> conditions && conditions.stream()
                .anyMatch(c -> c instanceof Map<?, ?> m && "Ready".equals(m.get("type")) && "True".equals(m.get("status")));
        if (!ready || revision == null) {
            return List.of(Finding.fail(mesh.cluster(), null, CHECK, where + " is not ready"
                    + (revision == null ? " (no active revision)" : ""), "see its status and istiod's Deployment in "
                    + Tree.get(istio.get(), "spec", "namespace")));
        }
        String ns = plane.map(ClusterSnapshot::namespace).orElseGet(() -> Objects.toString(Tree.get(istio.get(), "spec", "namespace"),
                "istio-system"));
        List<String> members = new ArrayList<>();
        for (Map<String, Object> roll : mesh.all("ServiceMeshMemberRoll", ns)) {
            if (Tree.get(roll, "spec", "members") instanceof List<?> listed) {
                listed.forEach(m -> members.add(String.valueOf(m)));
            }
        }
        if (plane.isEmpty()) {
            // 2.6 removed with its member roll: the mesh's namespaces are those on a revision
            mesh.all("Namespace").stream().filter(n -> Tree.get(n, "metadata", "labels", REV_LABEL) != null)
                    .map(ClusterSnapshot::name).filter(n -> !n.equals(ns)).sorted().forEach(members::add);
        }
        List<String> off = new ArrayList<>();
        for (String member : members) {
            Object label = mesh.all("Namespace").stream().filter(n -> member.equals(ClusterSnapshot.name(n))).findFirst()
                    .map(n -> Tree.get(n, "metadata", "labels", REV_LABEL)).orElse(null);
            if (!Objects.equals(revision, label)) {
                off.add(member + (label == null ? "" : " (on " + label + ")"));
            }
        }
        List<String> gateways = mesh.all(ClusterSnapshot.KUBE_GATEWAY, ns).stream()
                .filter(g -> "istio".equals(Tree.get(g, "spec", "gatewayClassName"))
                        && !Objects.equals(revision, Tree.get(g, "metadata", "labels", REV_LABEL)))
                .map(ClusterSnapshot::name).toList();
        if (off.isEmpty() && gateways.isEmpty()) {
            return pods(mesh, members, revision.toString(), where);
        }
        List<String> problems = new ArrayList<>();
        if (!off.isEmpty()) {
            problems.add("member namespace(s) " + String.join(", ", off) + " not on revision " + revision);
        }
        if (!gateways.isEmpty()) {
            problems.add("Gateway " + String.join(", ", gateways) + " in " + ns + " not on revision " + revision);
        }
        return List.of(Finding.fail(mesh.cluster(), null, CHECK, String.join("; ", problems) + " (" + where + ")",
                "label them " + REV_LABEL + "=" + revision + " (and maistra.io/ignore-namespace=true, maistra.io/ignore=true on a "
                        + "Gateway), then restart their workloads: meshfed migrate apply does both"));
    }

    /** The namespaces are on the revision: so must their injected Pods be. */
    private static List<Finding> pods(ClusterSnapshot mesh, List<String> members, String revision, String where) {
        List<String> off = new ArrayList<>();
        int on = 0;
        for (String member : members) {
            List<Map<String, Object>> pods = mesh.all("Pod", member);
            Map<String, String> old = WorkloadMove.offRevision(pods, revision);
            on += (int) pods.stream().filter(p -> revision.equals(WorkloadMove.revisionOf(p))).count();
            old.forEach((pod, rev) -> off.add(member + "/" + pod + " (" + rev + ")"));
        }
        if (off.isEmpty()) {
            return List.of(Finding.ok(mesh.cluster(), null, CHECK, members.size() + " member namespace(s), their " + on
                    + " injected Pod(s) and the east-west gateway on revision " + revision + " of " + where));
        }
        return List.of(Finding.fail(mesh.cluster(), null, CHECK, "Pod(s) " + String.join(", ", off) + " still run the proxy "
                        + "of another revision than " + revision + " (" + where + "): a Pod keeps its proxy until it is made again",
                "restart their workloads: meshfed migrate apply does (kubectl rollout restart deployment/NAME -n NAMESPACE "
                        + "by hand); a Pod no workload makes again must be deleted and re-created"));
    }
}
