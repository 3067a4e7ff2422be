package io.meshfed.model.doctor;

import io.meshfed.model.resource.Tree;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OSSM 3 doctor's rules that the simulated clusters cannot show (they all listen on loopback): a remote
 * secret naming a loopback API server is the reading pod's own address unless the peer really is on this
 * machine; a remote secret whose kubeconfig was not tried is unknown, not ok.
 */
@SuppressWarnings("unchecked")
class MultiClusterDoctorTest {

    private static Map<String, Object> istio(String cluster) {
        return Tree.map("apiVersion", "sailoperator.io/v1", "kind", "Istio", "metadata", Tree.map("name", "default"),
                "spec", Tree.map("namespace", "istio-system", "version", "v1.30.3", "values", Tree.map("global", Tree.map(
                        "meshID", "mesh1", "network", cluster, "multiCluster", Tree.map("clusterName", cluster)))),
                "status", Tree.map("conditions", List.of(Map.of("type", "Ready", "status", "True"))));
    }

    private static Map<String, Object> remoteSecret(String peer, String server) {
        String kubeconfig = "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: " + server + "\n  name: " + peer + "\n";
        return Tree.map("apiVersion", "v1", "kind", "Secret", "metadata", Tree.map("name", "istio-remote-secret-" + peer,
                        "namespace", "istio-system", "labels", Map.of("istio/multiCluster", "true"),
                        "annotations", Map.of("networking.istio.io/cluster", peer)),
                "data", Map.of(peer, Base64.getEncoder().encodeToString(kubeconfig.getBytes(StandardCharsets.UTF_8))));
    }

    private static ClusterSnapshot snapshot(String cluster, String reachedAt, String peer, String peerServer,
                                            List<RemoteAccess> access) {
        List<Map<String, Object>> objects = new ArrayList<>(List.of(istio(cluster), remoteSecret(peer, peerServer)));
        return new ClusterSnapshot(cluster, objects, Set.of(), reachedAt, access);
    }

    private static Finding remoteAccess(List<Finding> findings, String cluster) {
        return findings.stream().filter(f -> f.cluster().equals(cluster) && "remote access".equals(f.check())).findFirst()
                .orElseThrow();
    }

    @Test
    @DisplayName("a remote secret naming a loopback API server fails, unless the peer is itself reached on loopback")
    void loopbackServer() {
        RemoteAccess tried = new RemoteAccess("istio-system", "istio-remote-secret-west", "https://127.0.0.1:6443",
                "system:serviceaccount:istio-system:meshfed-reader-east", true, null);
        // real clusters: the doctor reaches west at its API URL, the secret says 127.0.0.1
        List<ClusterSnapshot> real = List.of(
                snapshot("east", "https://api.east.example.com:6443", "west", "https://127.0.0.1:6443", List.of(tried)),
                snapshot("west", "https://api.west.example.com:6443", "east", "https://api.east.example.com:6443", List.of()));
        List<Finding> findings = FederationDoctor.check(real);
        Finding east = remoteAccess(findings, "east");
        assertThat(east.status()).isEqualTo(Finding.Status.FAIL);
        assertThat(east.evidence()).contains("https://127.0.0.1:6443", "loopback address is the pod's own, never west's");
        assertThat(east.fix()).contains("mesh_api_server of west");
        // west's secret for east was not tried: unknown, never ok
        assertThat(remoteAccess(findings, "west").status()).isEqualTo(Finding.Status.UNKNOWN);

        // clusters on this machine (simulated, kind): loopback is where they are
        List<ClusterSnapshot> local = List.of(
                snapshot("east", "https://127.0.0.1:7001/", "west", "https://127.0.0.1:6443", List.of(tried)),
                snapshot("west", "https://127.0.0.1:6443/", "east", "https://127.0.0.1:7001", List.of()));
        assertThat(remoteAccess(FederationDoctor.check(local), "east").status()).isEqualTo(Finding.Status.OK);
    }

    @Test
    @DisplayName("loopback: localhost, 127.0.0.0/8 and ::1, by the URL's host")
    void loopbackAddresses() {
        assertThat(MultiClusterDoctor.loopback("https://localhost:6443")).isTrue();
        assertThat(MultiClusterDoctor.loopback("https://127.3.2.1")).isTrue();
        assertThat(MultiClusterDoctor.loopback("https://[::1]:6443/")).isTrue();
        assertThat(MultiClusterDoctor.loopback("https://api.east.example.com:6443")).isFalse();
        assertThat(MultiClusterDoctor.loopback("https://10.0.0.127:6443")).isFalse();
        assertThat(MultiClusterDoctor.loopback("https://localhost.example.com")).isFalse();
    }

    @Test
    @DisplayName("istiod's own word on each peer (/debug/clusterz): synced is ok; timeout, or the peer absent, fails; "
            + "an istiod that could not be asked, or none running, is unknown; not asked at all when remote access fails")
    void remoteSynced() {
        RemoteAccess ok = new RemoteAccess("istio-system", "istio-remote-secret-west", "https://api.west.example.com:6443",
                "system:serviceaccount:istio-system:meshfed-reader-east", true, null);
        RemoteAccess refused = new RemoteAccess("istio-system", "istio-remote-secret-west", "https://api.west.example.com:6443",
                null, false, "401 Unauthorized");
        IstiodView.Cluster local = new IstiodView.Cluster("east", "", "synced");
        java.util.function.BiFunction<RemoteAccess, List<IstiodView>, Finding> synced = (access, views) -> {
            List<Map<String, Object>> objects = new ArrayList<>(List.of(istio("east"), remoteSecret("west", "https://api.west.example.com:6443")));
            List<ClusterSnapshot> clusters = List.of(
                    new ClusterSnapshot("east", objects, Set.of(), "https://api.east.example.com:6443", List.of(access), views),
                    snapshot("west", "https://api.west.example.com:6443", "east", "https://api.east.example.com:6443", List.of()));
            return FederationDoctor.check(clusters).stream().filter(f -> f.cluster().equals("east")
                    && "remote synced".equals(f.check())).findFirst().orElse(null);
        };
        Finding good = synced.apply(ok, List.of(new IstiodView("istiod-1", List.of(local,
                new IstiodView.Cluster("west", "istio-system/istio-remote-secret-west", "synced")), null)));
        assertThat(good.status()).isEqualTo(Finding.Status.OK);
        assertThat(good.evidence()).contains("istiod istiod-1 reads cluster west: synced");

        Finding timeout = synced.apply(ok, List.of(new IstiodView("istiod-1", List.of(local,
                new IstiodView.Cluster("west", "istio-system/istio-remote-secret-west", "timeout")), null)));
        assertThat(timeout.status()).isEqualTo(Finding.Status.FAIL);
        assertThat(timeout.evidence()).contains("but it is timeout", "EndpointSlices");
        assertThat(timeout.fix()).contains("meshfed-istio-reader");

        Finding absent = synced.apply(ok, List.of(new IstiodView("istiod-1", List.of(local), null)));
        assertThat(absent.status()).isEqualTo(Finding.Status.FAIL);
        assertThat(absent.evidence()).contains("does not read cluster west (it reads [east])");

        Finding forbidden = synced.apply(ok, List.of(new IstiodView("istiod-1", List.of(), "403 pods/proxy forbidden")));
        assertThat(forbidden.status()).isEqualTo(Finding.Status.UNKNOWN);
        assertThat(forbidden.fix()).contains("pods/proxy", "istioctl remote-clusters");

        assertThat(synced.apply(ok, List.of()).status()).isEqualTo(Finding.Status.UNKNOWN);
        // the cause is said once, by remote access: istiod's status would only repeat it
        assertThat(synced.apply(refused, List.of(new IstiodView("istiod-1", List.of(local), null)))).isNull();
    }

    @Test
    @DisplayName("a remote secret's token with less than a third of its life left is a warning with its expiry; one without an expiry says so")
    void tokenRenewalDue() {
        java.time.Instant expires = java.time.Instant.parse("2027-01-01T00:00:00Z");
        RemoteAccess due = new RemoteAccess("istio-system", "istio-remote-secret-west", "https://api.west.example.com:6443",
                "system:serviceaccount:istio-system:meshfed-reader-east", true, null, expires, true);
        RemoteAccess legacy = new RemoteAccess("istio-system", "istio-remote-secret-east", "https://api.east.example.com:6443",
                "system:serviceaccount:istio-system:meshfed-reader-west", true, null, null, false);
        List<Finding> findings = FederationDoctor.check(List.of(
                snapshot("east", "https://api.east.example.com:6443", "west", "https://api.west.example.com:6443", List.of(due)),
                snapshot("west", "https://api.west.example.com:6443", "east", "https://api.east.example.com:6443", List.of(legacy))));
        Finding east = remoteAccess(findings, "east");
        assertThat(east.status()).isEqualTo(Finding.Status.WARN);
        assertThat(east.evidence()).contains("expires at 2027-01-01T00:00:00Z", "less than a third of its life left");
        assertThat(east.fix()).startsWith("meshfed apply issues a new token");
        assertThat(remoteAccess(findings, "west").status()).isEqualTo(Finding.Status.OK);
        assertThat(remoteAccess(findings, "west").evidence()).endsWith("its token does not expire");
    }

    @Test
    @DisplayName("two clusters on one network: a warning on each (istiod reaches the other's pods directly); their own networks: ok")
    void sharedNetwork() {
        Map<String, Object> shared = istio("east");
        ((Map<String, Object>) Tree.get(shared, "spec", "values", "global")).put("network", "flat");
        Map<String, Object> sharedToo = istio("west");
        ((Map<String, Object>) Tree.get(sharedToo, "spec", "values", "global")).put("network", "flat");
        List<ClusterSnapshot> clusters = List.of(
                new ClusterSnapshot("east", List.of(shared), Set.of(), "https://api.east.example.com:6443", List.of()),
                new ClusterSnapshot("west", List.of(sharedToo), Set.of(), "https://api.west.example.com:6443", List.of()));
        List<Finding> network = FederationDoctor.check(clusters).stream().filter(f -> f.check().equals("network")).toList();
        assertThat(network).extracting(Finding::status).containsOnly(Finding.Status.FAIL);   // no namespace labelled "flat"
        List<Finding> own = FederationDoctor.check(List.of(
                new ClusterSnapshot("east", List.of(istio("east"), namespace("east")), Set.of(), "https://a:6443", List.of()),
                new ClusterSnapshot("west", List.of(istio("west"), namespace("west")), Set.of(), "https://b:6443", List.of())))
                .stream().filter(f -> f.check().equals("network")).toList();
        assertThat(own).extracting(Finding::status).containsOnly(Finding.Status.OK);
        List<Finding> flat = FederationDoctor.check(List.of(
                new ClusterSnapshot("east", List.of(shared, namespace("flat")), Set.of(), "https://a:6443", List.of()),
                new ClusterSnapshot("west", List.of(sharedToo, namespace("flat")), Set.of(), "https://b:6443", List.of())))
                .stream().filter(f -> f.check().equals("network")).toList();
        assertThat(flat).extracting(Finding::status).containsOnly(Finding.Status.WARN);
        assertThat(flat.get(0).evidence()).startsWith("network flat is also west's");
    }

    private static Map<String, Object> namespace(String network) {
        return Tree.map("apiVersion", "v1", "kind", "Namespace", "metadata", Tree.map("name", "istio-system",
                "labels", Map.of("topology.istio.io/network", network)));
    }
}
