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
 * machine), its token authenticates, and that identity may list Services.
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
        findings.add(access(c, peer, ns, name, (String) data.get(peerName)));
        return findings;
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
