package io.meshfed.model.doctor;

import io.meshfed.model.resource.Tree;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.meshfed.model.doctor.MultiClusterDoctor.GUIDE;
import static io.meshfed.model.doctor.MultiClusterDoctor.annotation;
import static io.meshfed.model.doctor.MultiClusterDoctor.clusterNameOf;
import static io.meshfed.model.doctor.MultiClusterDoctor.label;
import static io.meshfed.model.doctor.MultiClusterDoctor.loopback;
import static io.meshfed.model.doctor.MultiClusterDoctor.namespaceOf;

/**
 * An OSSM 3 cluster's link to one peer: the remote secret istiod looks for (labelled
 * {@code istio/multiCluster=true}, annotated and keyed with the peer's cluster name: Sail operator guide,
 * "Install a remote secret"), and what its kubeconfig did when the doctor used it as istiod does
 * ({@link RemoteAccess}): its server is the peer's (not a loopback address, unless the peer is on this
 * machine), its token authenticates, and that identity may list Services; then whether istiod itself synced
 * the peer ({@link IstiodView}, its {@code /debug/clusterz}).
 */
final class RemoteSecretChecks {

    private static final Pattern SERVER = Pattern.compile("(?m)^\\s*server:\\s*(\\S+)");

    private RemoteSecretChecks() {
    }

    /** The remote secret for {@code peer} on {@code c}, and what its kubeconfig did. */
    static List<Finding> check(ClusterSnapshot c, ClusterSnapshot peer) {
        String ns = namespaceOf(c.istio().orElseThrow());
        String peerName = clusterNameOf(peer);
        Optional<Map<String, Object>> secret = c.all("Secret", ns).stream()
                .filter(s -> "true".equals(label(s, "istio/multiCluster")))
                .filter(s -> Objects.equals(annotation(s, "networking.istio.io/cluster"), peerName)
                        || Objects.equals(Tree.get(s, "metadata", "name"), "istio-remote-secret-" + peerName))
                .findFirst();
        if (secret.isEmpty()) {
            return List.of(Finding.fail(c.cluster(), peer.cluster(), "remote secret", "no Secret in " + ns + " labelled "
                    + "istio/multiCluster=true for cluster " + peerName + ": istiod does not see " + peer.cluster()
                    + "'s endpoints (" + GUIDE + ": \"Install a remote secret\")", "meshfed apply"));
        }
        String name = (String) Tree.get(secret.get(), "metadata", "name");
        String annotated = annotation(secret.get(), "networking.istio.io/cluster");
        Map<?, ?> data = Tree.get(secret.get(), "data") instanceof Map<?, ?> m ? m : Map.of();
        if (!Objects.equals(annotated, peerName) || !data.containsKey(peerName)) {
            return List.of(Finding.fail(c.cluster(), peer.cluster(), "remote secret", ns + "/" + name + " is annotated "
                    + "networking.istio.io/cluster=" + annotated + " with keys " + data.keySet() + "; " + peer.cluster()
                    + " calls itself " + peerName + " (global.multiCluster.clusterName): istiod files its endpoints under "
                    + "another cluster", "meshfed apply writes it as the peer names itself"));
        }
        List<Finding> findings = new ArrayList<>();
        findings.add(Finding.ok(c.cluster(), peer.cluster(), "remote secret", ns + "/" + name + " for cluster " + peerName));
        Finding access = access(c, peer, ns, name, (String) data.get(peerName));
        findings.add(access);
        if (access.status() == Finding.Status.OK || access.status() == Finding.Status.WARN) {
            findings.add(synced(c, peer, ns, name, peerName));   // else: why istiod cannot sync is already said
        }
        return findings;
    }

    /**
     * Whether istiod itself reads the peer: its {@code /debug/clusterz} lists the peer's cluster name as
     * {@code synced} (Istio's multicluster "Verify the installation": {@code istioctl remote-clusters}).
     */
    private static Finding synced(ClusterSnapshot c, ClusterSnapshot peer, String ns, String secret, String peerName) {
        String check = "remote synced";
        if (c.istiods().isEmpty()) {
            return Finding.unknown(c.cluster(), peer.cluster(), check, "no Running istiod Pod (app=istiod) in " + ns + " to ask");
        }
        List<String> synced = new ArrayList<>();
        for (IstiodView view : c.istiods()) {
            if (view.error() != null) {
                return new Finding(c.cluster(), peer.cluster(), check, Finding.Status.UNKNOWN, "could not ask istiod "
                        + ns + "/" + view.pod() + " (/debug/clusterz through the pod proxy): " + view.error(),
                        "grant get on pods/proxy in " + ns + " (deploy/doctor-rbac.yaml), or run istioctl remote-clusters");
            }
            Optional<IstiodView.Cluster> read = view.clusters().stream().filter(k -> peerName.equals(k.id())).findFirst();
            if (read.isEmpty()) {
                return Finding.fail(c.cluster(), peer.cluster(), check, "istiod " + ns + "/" + view.pod() + " does not read "
                        + "cluster " + peerName + " (it reads " + view.clusters().stream().map(IstiodView.Cluster::id).toList()
                        + "): it has not loaded " + ns + "/" + secret + " — a kubeconfig it cannot parse, or a Secret it "
                        + "has not seen yet", "kubectl logs on istiod says why; meshfed apply writes the secret again");
            }
            if (!"synced".equals(read.get().syncStatus())) {
                return Finding.fail(c.cluster(), peer.cluster(), check, "istiod " + ns + "/" + view.pod() + " reads cluster "
                        + peerName + " from " + read.get().secretName() + " but it is " + read.get().syncStatus() + ": its "
                        + "watches there never synced, though the secret's identity may list Services — it lacks another "
                        + "right istiod needs (EndpointSlices, Pods, Namespaces, Nodes), or pods cannot reach that server",
                        "meshfed apply restores the reader role (meshfed-istio-reader) on " + peer.cluster()
                                + "; kubectl logs on istiod says which list failed");
            }
            synced.add(view.pod());
        }
        return Finding.ok(c.cluster(), peer.cluster(), check, "istiod " + String.join(", ", synced) + " reads cluster "
                + peerName + ": synced (its /debug/clusterz, as istioctl remote-clusters shows it)");
    }

    private static Finding access(ClusterSnapshot c, ClusterSnapshot peer, String ns, String name, String kubeconfig) {
        Optional<RemoteAccess> probe = c.remoteAccess().stream()
                .filter(a -> Objects.equals(a.namespace(), ns) && Objects.equals(a.secret(), name)).findFirst();
        String server = serverOf(kubeconfig);
        if (server != null && loopback(server) && !(peer.reachedAt() != null && loopback(peer.reachedAt()))) {
            return Finding.fail(c.cluster(), peer.cluster(), "remote access", ns + "/" + name + " names API server " + server
                    + ": a loopback address is the pod's own, never " + peer.cluster() + "'s (istioctl warns of it too)",
                    "set mesh_api_server of " + peer.cluster() + " to the URL its API server has from other clusters");
        }
        if (probe.isEmpty()) {
            return Finding.unknown(c.cluster(), peer.cluster(), "remote access", ns + "/" + name + " was not tried");
        }
        RemoteAccess a = probe.get();
        if (a.error() != null || a.user() == null) {
            return Finding.fail(c.cluster(), peer.cluster(), "remote access", ns + "/" + name + " cannot be used at " + a.server()
                    + ": " + a.error(), "meshfed apply renews the reader token and writes the server and CA the peer "
                    + "publishes (or mesh_api_server)");
        }
        if (!a.canList()) {
            return Finding.fail(c.cluster(), peer.cluster(), "remote access", ns + "/" + name + " authenticates as " + a.user()
                    + " at " + a.server() + ", who may not list Services: istiod cannot read " + peer.cluster(),
                    "meshfed apply binds the reader account to meshfed-istio-reader");
        }
        String reaches = "reaches " + a.server() + " as " + a.user()
                + ", who may list Services (SelfSubjectAccessReview through the secret's kubeconfig)";
        if (a.renewalDue()) {
            return new Finding(c.cluster(), peer.cluster(), "remote access", Finding.Status.WARN, reaches + "; its token "
                    + "expires at " + a.expires() + " with less than a third of its life left: when it expires, istiod "
                    + "on " + c.cluster() + " loses " + peer.cluster(), "meshfed apply issues a new token (run it "
                    + "regularly: deploy/cronjob.yaml)");
        }
        return Finding.ok(c.cluster(), peer.cluster(), "remote access", reaches + (a.expires() == null
                ? "; its token does not expire" : "; its token is good until " + a.expires()));
    }

    private static String serverOf(String base64Kubeconfig) {
        if (base64Kubeconfig == null) {
            return null;
        }
        try {
            Matcher m = SERVER.matcher(new String(Base64.getDecoder().decode(base64Kubeconfig), StandardCharsets.UTF_8));
            return m.find() ? m.group(1).replaceAll("^[\"']|[\"']$", "") : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

}
