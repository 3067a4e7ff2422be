package io.meshfed.model.doctor;

import io.meshfed.model.resource.Tree;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.meshfed.model.doctor.MeshObjects.where;

/**
 * Checks of one cluster, before its peers: its control plane, the Service Mesh operator's version
 * against the known federation defects, and MetalLB where the cluster uses it.
 */
final class ClusterChecks {

    static final String OPERATOR_PACKAGE = "servicemeshoperator";
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");

    private ClusterChecks() {
    }

    static List<Finding> check(ClusterSnapshot mesh) {
        List<Finding> findings = new ArrayList<>();
        findings.add(controlPlane(mesh));
        findings.add(operator(mesh));
        LoadBalancerCheck.check(mesh).ifPresent(findings::add);
        return findings;
    }

    /** The control plane is Ready, at a version with federation (v2.1+). */
    private static Finding controlPlane(ClusterSnapshot mesh) {
        Optional<Map<String, Object>> smcp = mesh.controlPlane();
        String check = "control plane";
        if (smcp.isEmpty()) {
            return Finding.fail(mesh.cluster(), null, check, "no ServiceMeshControlPlane on " + mesh.cluster(),
                    "install the Service Mesh operator and create a ServiceMeshControlPlane (meshfed apply)");
        }
        String where = where(mesh.cluster(), smcp.get());
        String version = Objects.toString(Tree.get(smcp.get(), "spec", "version"), "");
        if (!version.matches("v2\\.([1-9]|\\d{2,})")) {
            return Finding.fail(mesh.cluster(), null, check, where + " has spec.version '" + version
                    + "'; federation needs v2.1 or later", "set spec.version of " + where + " to v2.3 or later");
        }
        String ready = MeshObjects.condition(smcp.get(), "Ready", "status");
        if (!"True".equals(ready)) {
            return Finding.fail(mesh.cluster(), null, check, where + " is not Ready (Ready=" + ready + ": "
                    + MeshObjects.condition(smcp.get(), "Ready", "message") + ")", "see the operator's status on " + where);
        }
        return Finding.ok(mesh.cluster(), null, check, where + " Ready, " + version);
    }

    /**
     * FEDERATION.md causes 1 and 6: the installed Service Mesh operator against OSSM-3599 (2.3.0–2.3.2:
     * egress gateways get the local ingress addresses as the peer's endpoints, so imported services
     * fail while the peers show connected) and OSSM-2376 (before 2.2.5 and 2.3.1: the CA ConfigMap read
     * before the informer synced, so a peer fails after istiod restarts).
     */
    private static Finding operator(ClusterSnapshot mesh) {
        String check = "operator";
        Optional<Map<String, Object>> subscription = mesh.all("Subscription").stream()
                .filter(s -> OPERATOR_PACKAGE.equals(Tree.get(s, "spec", "name"))).findFirst();
        if (subscription.isEmpty()) {
            return Finding.unknown(mesh.cluster(), null, check, "no Subscription of " + OPERATOR_PACKAGE + " on "
                    + mesh.cluster() + " (installed another way?): its version is not checked");
        }
        Object installed = Tree.get(subscription.get(), "status", "installedCSV");
        Optional<Map<String, Object>> csv = mesh.find("ClusterServiceVersion", ClusterSnapshot.namespace(subscription.get()),
                Objects.toString(installed, ""));
        String version = csv.map(c -> Objects.toString(Tree.get(c, "spec", "version"), null)).orElse(Objects.toString(installed, ""));
        Matcher m = VERSION.matcher(version);
        if (installed == null || !m.find()) {
            return Finding.unknown(mesh.cluster(), null, check, where(mesh.cluster(), subscription.get())
                    + " has no installed ClusterServiceVersion yet");
        }
        int[] v = {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))};
        String what = mesh.cluster() + "/ClusterServiceVersion " + ClusterSnapshot.namespace(subscription.get()) + "/" + installed
                + " (" + v[0] + "." + v[1] + "." + v[2] + ")";
        boolean ossm3599 = v[0] == 2 && v[1] == 3 && v[2] <= 2;
        boolean ossm2376 = v[0] < 2 || v[0] == 2 && (v[1] < 2 || v[1] == 2 && v[2] < 5 || v[1] == 3 && v[2] < 1);
        String upgrade = "upgrade the Service Mesh operator (its Subscription " + MeshObjects.ref(subscription.get())
                + ") to 2.3.3 or later";
        if (ossm3599) {
            return Finding.fail(mesh.cluster(), null, check, what + " has OSSM-3599: egress gateways get the local ingress "
                    + "addresses as the peer's endpoints, so imported services fail while the peers show connected"
                    + (ossm2376 ? "; and OSSM-2376" : ""), upgrade);
        }
        if (ossm2376) {
            return new Finding(mesh.cluster(), null, check, Finding.Status.WARN, what + " has OSSM-2376: istiod may read a "
                    + "peer's CA ConfigMap before its cache synced, and the peer then fails until istiod restarts",
                    upgrade.replace("2.3.3", "2.2.5 or 2.3.3"));
        }
        return Finding.ok(mesh.cluster(), null, check, what + ": no known federation defect");
    }
}
