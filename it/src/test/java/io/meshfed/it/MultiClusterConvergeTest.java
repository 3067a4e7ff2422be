package io.meshfed.it;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.meshfed.inventory.InventoryLoader;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.provisioner.apply.GraphExecutor;
import io.meshfed.provisioner.apply.RunOptions;
import io.meshfed.provisioner.apply.RunResult;
import io.meshfed.provisioner.trust.ReaderTokens;
import io.meshfed.provisioner.simulate.SimulatedInventory;
import io.meshfed.provisioner.simulate.Simulation;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The OpenShift Service Mesh 3 example (three primaries, three networks) converged on simulated
 * clusters with the simulated Sail operator and istiod: what the guide does by hand is there and agrees
 * across clusters, a second apply writes nothing, and the remote secrets work as istiod uses them — each
 * kubeconfig reaches its peer's real API server as that peer's reader account, which may read and not
 * write; a reader account deleted on its cluster is made again and its new token is what the remote
 * secret then holds; tokens are renewed before they expire, and istiod uses the renewed ones.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class MultiClusterConvergeTest {

    private static final List<String> CLUSTERS = List.of("east", "west", "central");
    private static Inventory inventory;
    /** The example with a fourth host, north (its simulated cluster runs from the start, empty until the grown apply). */
    private static Inventory grown;
    private static Simulation simulation;

    @org.junit.jupiter.api.BeforeAll
    static void start(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        inventory = InventoryLoader.load(Repo.example("ossm3-multi-primary"));
        java.nio.file.Path copy = tmp.resolve("ossm3-multi-primary");
        Repo.copyTree(Repo.example("ossm3-multi-primary"), copy);
        Files.writeString(copy.resolve("hosts.yaml"), Files.readString(copy.resolve("hosts.yaml")) + """
                        north:
                          kube_context: north
                          metallb_addresses: [10.30.4.240/29]
                """);
        grown = InventoryLoader.load(copy);
        simulation = SimulatedInventory.start(grown, ConvergeTest.FAST);
    }

    @org.junit.jupiter.api.AfterAll
    static void stop() {
        if (simulation != null) {
            simulation.close();
        }
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    @DisplayName("ossm3-multi-primary: converges as deploy/rbac.yaml's account; a second apply writes nothing; one root of trust; remote secrets reach each peer as its reader; a revoked reader token is replaced")
    void threePrimaries() throws Exception {
        // as deploy/rbac.yaml's account: RBAC lets it make the reader role only with rights it holds itself
        Accounts.grant(simulation, Files.readString(Repo.root().resolve("deploy/rbac.yaml")));
        RunResult first = ConvergeTest.run(inventory, GraphExecutor.Mode.APPLY, ConvergeTest.OPTIONS,
                name -> Accounts.as(simulation, name, "meshfed"));
        assertThat(first.failures()).isEmpty();
        assertThat(first.succeeded()).isTrue();
        ConvergeTest.reapplyWritesNothing(inventory, simulation);

        X509Certificate root = certificate(Files.readString(Repo.example("ossm3-multi-primary").resolve("pki/root-cert.pem")));
        for (String cluster : CLUSTERS) {
            KubernetesClient admin = simulation.require(cluster).controllerClient();
            assertThat(admin.namespaces().withName("istio-system").get().getMetadata().getLabels())
                    .containsEntry("topology.istio.io/network", cluster);
            GenericKubernetesResource istio = admin.genericKubernetesResources("sailoperator.io/v1", "Istio")
                    .withName("default").get();
            assertThat(istio.getAdditionalProperties().get("spec")).extracting("values.global")
                    .isEqualTo(Map.of("meshID", "mesh1", "multiCluster", Map.of("clusterName", cluster), "network", cluster));
            // istiod started with cacerts there (meshfed made it first), so it signs under the inventory's root
            assertThat(admin.apps().deployments().inNamespace("istio-system").withName("istiod").get().getMetadata()
                    .getAnnotations()).containsEntry("simulation.meshfed.io/ca", "cacerts");
            for (String ns : List.of("istio-system", "sample")) {
                String published = admin.configMaps().inNamespace(ns).withName("istio-ca-root-cert").get().getData()
                        .get("root-cert.pem");
                assertThat(certificate(published)).as(cluster + " " + ns).isEqualTo(root);
            }
            Secret cacerts = admin.secrets().inNamespace("istio-system").withName("cacerts").get();
            X509Certificate intermediate = certificate(decode(cacerts.getData().get("ca-cert.pem")));
            intermediate.verify(root.getPublicKey());
            assertThat(intermediate.getSubjectX500Principal().getName()).contains("L=" + cluster);
            assertThat(intermediate.getBasicConstraints()).isZero();

            for (String peer : CLUSTERS) {
                if (!peer.equals(cluster)) {
                    remoteSecretReads(simulation, cluster, peer);
                }
            }
        }

        // the simulated istiods, through the remote secrets: every remote cluster synced, and central's sleep (no
        // helloworld of its own) reaches east's v1 and west's v2 through their east-west gateways on 15443
        String helloworld = "helloworld.sample.svc.cluster.local";
        Map<String, Object> centralView = istiodView(simulation, "central", v -> endpoints(v, helloworld).size() == 2);
        assertThat(remoteClusters(centralView)).containsExactly(Map.entry("east", "synced"), Map.entry("west", "synced"));
        assertThat(endpoints(centralView, helloworld)).containsExactlyInAnyOrder(
                eastWest(simulation, "east") + ":15443 east/east", eastWest(simulation, "west") + ":15443 west/west");
        // on east: its own v1 pod, and west's v2 through west's gateway
        Map<String, Object> eastView = istiodView(simulation, "east", v -> endpoints(v, helloworld).size() == 2);
        assertThat(endpoints(eastView, helloworld)).containsExactlyInAnyOrder(
                "pod helloworld-v1-0:5000 east/east", eastWest(simulation, "west") + ":15443 west/west");

        // east's access to west revoked on west (its reader account deleted): the next run makes the account again and
        // gives east a token of the new one
        KubernetesClient west = simulation.require("west").controllerClient();
        String before = token(simulation, "east", "west");
        west.serviceAccounts().inNamespace("istio-system").withName("meshfed-reader-east").delete();
        assertThat(waitUnauthenticated(west, before)).as("the deleted account's token is refused").isTrue();
        RunResult rotated = ConvergeTest.run(inventory, simulation, GraphExecutor.Mode.APPLY);
        assertThat(rotated.failures()).isEmpty();
        String after = token(simulation, "east", "west");
        assertThat(after).isNotEqualTo(before);
        remoteSecretReads(simulation, "east", "west");
        ConvergeTest.reapplyWritesNothing(inventory, simulation);
        // meanwhile east's istiod had lost west (401) and syncs again with the new token
        assertThat(remoteClusters(istiodView(simulation, "east", v -> "synced".equals(remoteClusters(v).get("west")))))
                .containsEntry("west", "synced");
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    @DisplayName("ossm3-multi-primary: remote-secret tokens are bounded (90 days) and renewed by the first run after two thirds of their life; the old ones still work; istiod syncs with the renewed secrets")
    void tokensRenewedBeforeExpiry() throws Exception {
        assertThat(ConvergeTest.run(inventory, simulation, GraphExecutor.Mode.APPLY).failures()).isEmpty();
        Map<String, String> old = new java.util.TreeMap<>();
        java.util.Set<String> secrets = new java.util.TreeSet<>();
        for (String cluster : CLUSTERS) {
            for (String peer : CLUSTERS) {
                if (!peer.equals(cluster)) {
                    String token = token(simulation, cluster, peer);
                    ReaderTokens.Claims claims = ReaderTokens.claims(token);
                    assertThat(java.time.Duration.between(claims.issued(), claims.expires())).isEqualTo(java.time.Duration.ofDays(90));
                    old.put(cluster + " " + peer, token);
                    secrets.add(cluster + "/Secret/istio-system/istio-remote-secret-" + peer);
                }
            }
        }
        // 59 days on, nothing is due; 61 days on (less than a third left) plan and apply renew exactly the remote secrets
        RunOptions day59 = ConvergeTest.OPTIONS.withClock(java.time.Clock.offset(java.time.Clock.systemUTC(), java.time.Duration.ofDays(59)));
        RunOptions day61 = ConvergeTest.OPTIONS.withClock(java.time.Clock.offset(java.time.Clock.systemUTC(), java.time.Duration.ofDays(61)));
        assertThat(planned(day59)).isEmpty();
        assertThat(planned(day61)).isEqualTo(secrets);
        RunResult renewed = ConvergeTest.run(inventory, GraphExecutor.Mode.APPLY, day61, name -> simulation.require(name).config("meshfed"));
        assertThat(renewed.failures()).isEmpty();
        assertThat(renewed.results().stream().filter(r -> r.outcome() == io.meshfed.provisioner.apply.NodeResult.Outcome.CHANGED)
                .map(r -> r.ref().id())).containsExactlyInAnyOrderElementsOf(secrets);
        for (String pair : old.keySet()) {
            String cluster = pair.split(" ")[0];
            String peer = pair.split(" ")[1];
            assertThat(token(simulation, cluster, peer)).as(pair).isNotEqualTo(old.get(pair));
            remoteSecretReads(simulation, cluster, peer);
            TokenReview review = simulation.require(peer).controllerClient().tokenReviews().create(new TokenReviewBuilder()
                    .withNewSpec().withToken(old.get(pair)).endSpec().build());
            assertThat(review.getStatus().getAuthenticated()).as("the renewed token of " + pair + " still works until it expires")
                    .isTrue();
        }
        ConvergeTest.reapplyWritesNothing(inventory, simulation);   // at today's time the new tokens are kept
        // each istiod synced with the renewed secret (its resourceVersion), not the old one
        for (String cluster : CLUSTERS) {
            KubernetesClient admin = simulation.require(cluster).controllerClient();
            Map<String, String> versions = new java.util.TreeMap<>();
            for (String peer : CLUSTERS) {
                if (!peer.equals(cluster)) {
                    versions.put(peer, admin.secrets().inNamespace("istio-system").withName("istio-remote-secret-" + peer).get()
                            .getMetadata().getResourceVersion());
                }
            }
            Map<String, Object> view = istiodView(simulation, cluster, v -> syncedVersions(v).equals(versions));
            assertThat(syncedVersions(view)).as(cluster + "'s istiod").isEqualTo(versions);
        }
    }

    /** What a plan at {@code options}' time would change. */
    private static java.util.Set<String> planned(RunOptions options) {
        Map<String, io.meshfed.provisioner.apply.ClusterClient> clients = io.meshfed.provisioner.apply.Connections.open(inventory, 10,
                io.meshfed.provisioner.apply.RetryPolicy.DEFAULT, name -> simulation.require(name).config("meshfed"));
        try {
            java.util.Set<String> planned = new java.util.TreeSet<>();
            new io.meshfed.provisioner.apply.Runner(clients, inventory, options, io.meshfed.provisioner.apply.ProgressListener.NONE)
                    .plan(ConvergeTest.graph(inventory), false, java.util.Set.of()).entries().stream()
                    .filter(e -> !e.action().equals("unchanged") && !e.action().startsWith("observe"))
                    .forEach(e -> planned.add(e.ref().id()));
            return planned;
        } finally {
            clients.values().forEach(io.meshfed.provisioner.apply.ClusterClient::close);
        }
    }

    /** The remote clusters synced, each with the resourceVersion of the remote secret it synced with. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> syncedVersions(Map<String, Object> view) {
        Map<String, String> out = new java.util.TreeMap<>();
        for (Map<String, Object> c : (List<Map<String, Object>>) view.getOrDefault("remote-clusters", List.of())) {
            if ("synced".equals(c.get("status"))) {
                out.put((String) c.get("cluster"), (String) c.get("secretResourceVersion"));
            }
        }
        return out;
    }

    @Test
    @org.junit.jupiter.api.Order(3)
    @DisplayName("the doctor passes every OSSM 3 check after apply, then names exactly the check each ordinary edit breaks")
    void doctorNamesEachBreakage() throws Exception {
        assertThat(ConvergeTest.run(inventory, simulation, GraphExecutor.Mode.APPLY).failures()).isEmpty();
        // as deploy/doctor-rbac.yaml's account: it gets the Secrets it needs by name, and lists no Secret
        Accounts.grant(simulation, Files.readString(Repo.root().resolve("deploy/doctor-rbac.yaml")));
        java.util.function.Function<String, Config> doctorAccount = name -> Accounts.as(simulation, name, "meshfed-doctor");
        List<io.meshfed.model.doctor.Finding> findings = DoctorTest.doctor(inventory, simulation, doctorAccount);
        assertThat(findings).hasSize(3 * 9 + 6 * 3);
        assertThat(findings).allSatisfy(f -> assertThat(f.status()).as(f.toString()).isEqualTo(io.meshfed.model.doctor.Finding.Status.OK));
        assertThat(findings).filteredOn(f -> f.check().equals("remote synced")).hasSize(6)
                .allSatisfy(f -> assertThat(f.evidence()).startsWith("istiod istiod-").contains(": synced (its /debug/clusterz"));
        // the same role without pods/proxy: istiod cannot be asked (the API server's 403), said as unknown with the grant
        String narrow = Files.readString(Repo.root().resolve("deploy/doctor-rbac.yaml")).replace("meshfed-doctor", "meshfed-doctor-narrow")
                .replace("    resources: [pods/proxy]\n    verbs: [get]\n", "    resources: [pods/proxy]\n    verbs: [list]\n");
        Accounts.grant(simulation, narrow);
        assertThat(DoctorTest.doctor(inventory, simulation, name -> Accounts.as(simulation, name, "meshfed-doctor-narrow")))
                .filteredOn(f -> f.status() != io.meshfed.model.doctor.Finding.Status.OK).hasSize(6).allSatisfy(f -> {
                    assertThat(f.check()).isEqualTo("remote synced");
                    assertThat(f.status()).isEqualTo(io.meshfed.model.doctor.Finding.Status.UNKNOWN);
                    assertThat(f.evidence()).contains("403", "pods/proxy");
                    assertThat(f.fix()).contains("grant get on pods/proxy in istio-system");
                });

        java.util.Set<String> expected = new java.util.TreeSet<>();
        KubernetesClient east = simulation.require("east").controllerClient();
        KubernetesClient west = simulation.require("west").controllerClient();
        KubernetesClient central = simulation.require("central").controllerClient();
        List<Runnable> edits = List.of(
                () -> west.secrets().inNamespace("istio-system").withName("istio-remote-secret-central").delete(),
                () -> east.secrets().inNamespace("istio-system").withName("istio-remote-secret-west").edit(s -> {
                    s.getMetadata().getAnnotations().put("networking.istio.io/cluster", "westt");
                    return s;
                }),
                () -> east.serviceAccounts().inNamespace("istio-system").withName("meshfed-reader-central").delete(),
                () -> west.namespaces().withName("istio-system").edit(n -> {
                    n.getMetadata().getLabels().put("topology.istio.io/network", "elsewhere");
                    return n;
                }),
                () -> central.genericKubernetesResources("sailoperator.io/v1", "Istio").withName("default").edit(i -> {
                    ((Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) i.getAdditionalProperties().get("spec"))
                            .get("values")).get("global")).put("meshID", "mesh2");
                    return i;
                }),
                () -> east.genericKubernetesResources("networking.istio.io/v1", "Gateway").inNamespace("istio-system")
                        .withName("cross-network-gateway").edit(g -> {
                            ((Map<String, Object>) ((List<Map<String, Object>>) ((Map<String, Object>) g.getAdditionalProperties()
                                    .get("spec")).get("servers")).get(0).get("tls")).put("mode", "PASSTHROUGH");
                            return g;
                        }),
                () -> west.services().inNamespace("istio-system").withName("istio-eastwestgateway").edit(s -> {
                    s.getSpec().setType("ClusterIP");
                    s.getSpec().getPorts().forEach(p -> p.setNodePort(null));
                    return s;
                }),
                () -> {   // cacerts gone and istiod restarted: it signs with a CA of its own
                    central.secrets().inNamespace("istio-system").withName("cacerts").delete();
                    central.apps().deployments().inNamespace("istio-system").withName("istiod").delete();
                },
                () -> east.namespaces().withName("sample").edit(n -> {   // out of the mesh on east only
                    n.getMetadata().getLabels().remove("istio-injection");
                    return n;
                }),
                // the reader role on west loses EndpointSlices: the remote secrets still authenticate and may list
                // Services, but istiod's watches there never sync (only istiod itself can say so)
                () -> west.rbac().clusterRoles().withName("meshfed-istio-reader").edit(r -> {
                    r.getRules().removeIf(rule -> rule.getResources().contains("endpointslices"));
                    return r;
                }),
                () -> editIstio(east, values -> ((Map<String, Object>) values.computeIfAbsent("pilot", k -> new java.util.LinkedHashMap<>()))
                        .put("nodeSelector", Map.of("node-role.kubernetes.io/infra", ""))));   // istiod on nodes there are not
        List<List<String>> breaks = List.of(
                List.of("west -> central remote secret"),
                List.of("east -> west remote secret"),
                List.of("central -> east remote access"),
                List.of("west network"),
                List.of("east mesh ID", "west mesh ID", "central mesh ID"),
                List.of("east cross-network"),
                List.of("west east-west"),
                List.of("central root of trust"),
                List.of("east namespaces"),
                List.of("central -> west remote synced"),   // east -> west: its remote secret fails already
                List.of("east control plane"));
        for (int i = 0; i < edits.size(); i++) {
            edits.get(i).run();
            expected.addAll(breaks.get(i));
            java.util.Set<String> failing = null;
            for (int attempt = 0; attempt < 50; attempt++) {   // what the simulated controllers do after an edit
                failing = new java.util.TreeSet<>();
                for (io.meshfed.model.doctor.Finding f : DoctorTest.doctor(inventory, simulation, doctorAccount)) {
                    if (f.status() == io.meshfed.model.doctor.Finding.Status.FAIL) {
                        failing.add(f.cluster() + (f.peer() == null ? "" : " -> " + f.peer()) + " " + f.check());
                    }
                }
                if (failing.equals(expected)) {
                    break;
                }
                Thread.sleep(100);
            }
            assertThat(failing).as("after edit " + (i + 1)).isEqualTo(expected);
        }

        // what istiod itself then sees: central's token for east was revoked (401), west has no secret for central, and
        // west's reader role lets central's reader list Services but not EndpointSlices
        assertThat(remoteClusters(istiodView(simulation, "central", v -> String.valueOf(remoteClusters(v).get("east")).startsWith("error"))))
                .containsEntry("east", "error: 401 Unauthorized")
                .hasEntrySatisfying("west", status -> assertThat(status).startsWith("error: 403 endpointslices.discovery.k8s.io is forbidden"));
        assertThat(remoteClusters(istiodView(simulation, "west", v -> !remoteClusters(v).containsKey("central"))))
                .containsOnlyKeys("east");

        // helloworld's Service gone from central: a warning that names it (the doctor cannot know it is called from there)
        central.services().inNamespace("sample").withName("helloworld").delete();
        List<io.meshfed.model.doctor.Finding> warned = List.of();
        for (int attempt = 0; attempt < 50 && warned.isEmpty(); attempt++) {
            warned = DoctorTest.doctor(inventory, simulation, doctorAccount).stream()
                    .filter(f -> f.check().equals("services") && f.status() == io.meshfed.model.doctor.Finding.Status.WARN).toList();
        }
        assertThat(warned).singleElement().satisfies(f -> {
            assertThat(f.cluster()).isEqualTo("central");
            assertThat(f.evidence()).startsWith("not defined here: helloworld.sample (on ");
        });

        // apply repairs what it owns; istiod, which meshfed does not own, signs with cacerts once restarted; the
        // nodeSelector is the user's field (meshfed never set it): the user takes it back
        editIstio(east, values -> values.remove("pilot"));
        assertThat(ConvergeTest.run(inventory, simulation, GraphExecutor.Mode.APPLY).failures()).isEmpty();
        central.apps().deployments().inNamespace("istio-system").withName("istiod").delete();
        List<io.meshfed.model.doctor.Finding> repaired = List.of();
        for (int attempt = 0; attempt < 50; attempt++) {
            repaired = DoctorTest.doctor(inventory, simulation, doctorAccount).stream()
                    .filter(f -> f.status() != io.meshfed.model.doctor.Finding.Status.OK).toList();
            if (repaired.isEmpty()) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(repaired).isEmpty();

        // west takes central's cluster name: both say so, and no link to either is judged while they cannot be told apart
        editIstio(west, values -> ((Map<String, Object>) ((Map<String, Object>) values.get("global")).get("multiCluster"))
                .put("clusterName", "central"));
        java.util.Set<String> notOk = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            notOk = new java.util.TreeSet<>();
            for (io.meshfed.model.doctor.Finding f : DoctorTest.doctor(inventory, simulation, doctorAccount)) {
                if (f.status() != io.meshfed.model.doctor.Finding.Status.OK) {
                    notOk.add(f.cluster() + (f.peer() == null ? "" : " -> " + f.peer()) + " " + f.check() + " " + f.status());
                }
            }
            if (notOk.equals(java.util.Set.of("west cluster name FAIL", "central cluster name FAIL"))) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(notOk).containsExactlyInAnyOrder("west cluster name FAIL", "central cluster name FAIL");
        assertThat(ConvergeTest.run(inventory, simulation, GraphExecutor.Mode.APPLY).failures()).isEmpty();
        assertThat(DoctorTest.doctor(inventory, simulation, doctorAccount)).filteredOn(f -> f.check().equals("cluster name"))
                .allSatisfy(f -> assertThat(f.status()).isEqualTo(io.meshfed.model.doctor.Finding.Status.OK));
    }

    @SuppressWarnings("unchecked")
    private static void editIstio(KubernetesClient client, java.util.function.Consumer<Map<String, Object>> values) {
        client.genericKubernetesResources("sailoperator.io/v1", "Istio").withName("default").edit(i -> {
            values.accept((Map<String, Object>) ((Map<String, Object>) i.getAdditionalProperties().get("spec")).get("values"));
            return i;
        });
    }

    @Test
    @org.junit.jupiter.api.Order(4)
    @DisplayName("mesh_trust from a Secret on a cluster outside the mesh: the intermediates are kept (same root), a missing one is issued from it; a Secret on a cluster of the mesh, or none, is refused before anything is written")
    void trustRootFromSecret(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        // north, not in the mesh yet, plays the management cluster that keeps the root
        java.nio.file.Path pki = Repo.example("ossm3-multi-primary").resolve("pki");
        for (String cluster : List.of("north", "east")) {
            KubernetesClient admin = simulation.require(cluster).controllerClient();
            admin.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName("pki")
                    .endMetadata().build()).serverSideApply();
            admin.secrets().inNamespace("pki").resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata()
                    .withName("istio-root").endMetadata().withType("kubernetes.io/tls")
                    .addToStringData("tls.crt", Files.readString(pki.resolve("root-cert.pem")))
                    .addToStringData("tls.key", Files.readString(pki.resolve("root-key.pem"))).build()).serverSideApply();
        }
        java.nio.file.Path kubeconfig = tmp.resolve("kubeconfig");
        Files.writeString(kubeconfig, SimulatedInventory.kubeconfig(grown, simulation));
        java.util.function.Function<String, Inventory> trustIn = context -> {
            java.nio.file.Path copy = tmp.resolve("on-" + context);
            try {
                Repo.copyTree(Repo.example("ossm3-multi-primary"), copy);
                java.nio.file.Path vars = copy.resolve("group_vars/all/mesh.yaml");
                Files.writeString(vars, Files.readString(vars).replace(
                        "mesh_trust:\n  root_cert: pki/root-cert.pem\n  root_key: pki/root-key.pem\n",
                        "mesh_trust: {secret: istio-root, namespace: pki, kubeconfig: " + kubeconfig + ", kube_context: "
                                + context + "}\n"));
                return InventoryLoader.load(copy);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        Inventory fromNorth = trustIn.apply("north");
        assertThat(fromNorth.multiCluster().trust().secret()).isNotNull();
        ConvergeTest.reapplyWritesNothing(fromNorth, simulation);   // every cacerts chains to the Secret's root: kept

        KubernetesClient east = simulation.require("east").controllerClient();
        east.secrets().inNamespace("istio-system").withName("cacerts").delete();
        assertThat(ConvergeTest.run(fromNorth, simulation, GraphExecutor.Mode.APPLY).failures()).isEmpty();
        X509Certificate issued = certificate(decode(east.secrets().inNamespace("istio-system").withName("cacerts").get().getData()
                .get("ca-cert.pem")));
        issued.verify(certificate(Files.readString(pki.resolve("root-cert.pem"))).getPublicKey());

        // the root's key on a cluster of the mesh, or a Secret that is not there: refused, nothing written
        simulation.clusters().forEach(c -> c.requests().clear());
        assertThatThrownBy(() -> ConvergeTest.run(trustIn.apply("east"), simulation, GraphExecutor.Mode.APPLY))
                .isInstanceOf(io.meshfed.model.render.RenderException.class)
                .hasMessage("mesh_trust: Secret pki/istio-root on context east is on east's API server ("
                        + simulation.require("east").url() + "), a cluster of the mesh: keep the root's key off the mesh's "
                        + "clusters (a management cluster, the one meshfed's Job runs in, or files)");
        KubernetesClient north = simulation.require("north").controllerClient();
        north.secrets().inNamespace("pki").withName("istio-root").delete();
        assertThatThrownBy(() -> ConvergeTest.run(fromNorth, simulation, GraphExecutor.Mode.APPLY))
                .isInstanceOf(io.meshfed.model.render.RenderException.class)
                .hasMessage("mesh_trust: Secret pki/istio-root on context north does not exist");
        assertThat(ConvergeTest.clientWrites(simulation)).isZero();
        north.namespaces().withName("pki").delete();
        east.namespaces().withName("pki").delete();
    }

    @Test
    @org.junit.jupiter.api.Order(5)
    @DisplayName("mesh_reachability: dns-capture instead of namespace sameness: the Istios get DNS capture, the Service meshfed defined on central is pruned, and central's istiod still gives its sidecars helloworld's remote endpoints; back to sameness restores it")
    void dnsCapture(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        KubernetesClient central = simulation.require("central").controllerClient();
        String helloworld = "helloworld.sample.svc.cluster.local";
        assertThat(central.services().inNamespace("sample").withName("helloworld").get().getMetadata().getLabels())
                .as("namespace sameness: meshfed defines it on central, as east's manifests do").containsEntry("app", "helloworld");
        java.nio.file.Path copy = tmp.resolve("dns");
        Repo.copyTree(Repo.example("ossm3-multi-primary"), copy);
        java.nio.file.Path vars = copy.resolve("group_vars/all/mesh.yaml");
        Files.writeString(vars, Files.readString(vars) + "mesh_reachability: dns-capture\n");
        Inventory dns = InventoryLoader.load(copy);
        Map<String, io.meshfed.provisioner.apply.ClusterClient> clients = io.meshfed.provisioner.apply.Connections.open(dns, 10,
                io.meshfed.provisioner.apply.RetryPolicy.DEFAULT, name -> simulation.require(name).config("meshfed"));
        try {
            RunResult applied = new io.meshfed.provisioner.apply.Runner(clients, dns, ConvergeTest.OPTIONS,
                    io.meshfed.provisioner.apply.ProgressListener.NONE).apply(ConvergeTest.graph(dns), true, java.util.Set.of(),
                    new io.meshfed.provisioner.apply.Cancellation());
            assertThat(applied.failures()).isEmpty();
            assertThat(applied.results().stream().filter(r -> r.action().equals("prune")).map(r -> r.ref().id()))
                    .containsExactly("central/Service/sample/helloworld");
        } finally {
            clients.values().forEach(io.meshfed.provisioner.apply.ClusterClient::close);
        }
        for (String cluster : CLUSTERS) {
            GenericKubernetesResource istio = simulation.require(cluster).controllerClient()
                    .genericKubernetesResources("sailoperator.io/v1", "Istio").withName("default").get();
            assertThat(istio.getAdditionalProperties().get("spec")).extracting("values.meshConfig.defaultConfig.proxyMetadata")
                    .isEqualTo(Map.of("ISTIO_META_DNS_CAPTURE", "true", "ISTIO_META_DNS_AUTO_ALLOCATE", "true"));
        }
        assertThat(central.services().inNamespace("sample").withName("helloworld").get()).isNull();
        Map<String, Object> view = istiodView(simulation, "central", v -> endpoints(v, helloworld).size() == 2);
        assertThat(endpoints(view, helloworld)).containsExactlyInAnyOrder(
                eastWest(simulation, "east") + ":15443 east/east", eastWest(simulation, "west") + ":15443 west/west");
        assertThat(DoctorTest.doctor(dns, simulation)).filteredOn(f -> f.check().equals("services"))
                .allSatisfy(f -> assertThat(f.status()).as(f.toString()).isEqualTo(io.meshfed.model.doctor.Finding.Status.OK));

        // back to namespace sameness: the Service is defined on central again, DNS capture gone
        assertThat(ConvergeTest.run(inventory, simulation, GraphExecutor.Mode.APPLY).failures()).isEmpty();
        assertThat(central.services().inNamespace("sample").withName("helloworld").get()).isNotNull();
        assertThat(central.genericKubernetesResources("sailoperator.io/v1", "Istio").withName("default").get()
                .getAdditionalProperties().get("spec")).extracting("values").asInstanceOf(
                        org.assertj.core.api.InstanceOfAssertFactories.MAP).doesNotContainKey("meshConfig");
    }

    @Test
    @org.junit.jupiter.api.Order(6)
    @DisplayName("a fourth host: plan and apply add exactly its own objects and, on each other cluster, its reader and its remote secret; the doctor passes")
    void fourthCluster() throws Exception {
        assertThat(ConvergeTest.run(inventory, simulation, GraphExecutor.Mode.APPLY).failures()).isEmpty();
        java.util.Set<String> expected = new java.util.TreeSet<>();
        for (io.meshfed.model.resource.DesiredObject node : ConvergeTest.graph(grown).nodes()) {
            if (node.managed() && node.ref().cluster().equals("north")) {
                expected.add(node.ref().id());
            }
        }
        for (String cluster : CLUSTERS) {
            expected.add(cluster + "/ServiceAccount/istio-system/meshfed-reader-north");
            expected.add(cluster + "/ClusterRoleBinding/meshfed-reader-north");
            expected.add(cluster + "/Secret/istio-system/istio-remote-secret-north");
        }
        Map<String, io.meshfed.provisioner.apply.ClusterClient> clients = io.meshfed.provisioner.apply.Connections.open(grown, 10,
                io.meshfed.provisioner.apply.RetryPolicy.DEFAULT, name -> simulation.require(name).config("meshfed"));
        java.util.Set<String> planned = new java.util.TreeSet<>();
        try {
            var plan = new io.meshfed.provisioner.apply.Runner(clients, grown, ConvergeTest.OPTIONS,
                    io.meshfed.provisioner.apply.ProgressListener.NONE).plan(ConvergeTest.graph(grown), false, java.util.Set.of());
            plan.entries().stream().filter(e -> !e.action().equals("unchanged") && !e.action().startsWith("observe"))
                    .forEach(e -> planned.add(e.ref().id()));
        } finally {
            clients.values().forEach(io.meshfed.provisioner.apply.ClusterClient::close);
        }
        assertThat(planned).isEqualTo(expected);

        simulation.clusters().forEach(c -> c.requests().clear());
        RunResult applied = ConvergeTest.run(grown, simulation, GraphExecutor.Mode.APPLY);
        assertThat(applied.failures()).isEmpty();
        java.util.Set<String> changed = new java.util.TreeSet<>();
        applied.results().stream().filter(r -> r.outcome() == io.meshfed.provisioner.apply.NodeResult.Outcome.CHANGED)
                .forEach(r -> changed.add(r.ref().id()));
        assertThat(changed).isEqualTo(expected);
        ConvergeTest.reapplyWritesNothing(grown, simulation);
        List<io.meshfed.model.doctor.Finding> findings = DoctorTest.doctor(grown, simulation);
        assertThat(findings).hasSize(4 * 9 + 12 * 3);
        assertThat(findings).allSatisfy(f -> assertThat(f.status()).as(f.toString()).isEqualTo(io.meshfed.model.doctor.Finding.Status.OK));
        remoteSecretReads(simulation, "north", "east");
        remoteSecretReads(simulation, "east", "north");
    }

    /** {@code cluster}'s remote secret for {@code peer}: labelled and named as istiod looks for it; its kubeconfig reads, never writes. */
    private static void remoteSecretReads(Simulation simulation, String cluster, String peer) {
        Secret secret = simulation.require(cluster).controllerClient().secrets().inNamespace("istio-system")
                .withName("istio-remote-secret-" + peer).get();
        assertThat(secret.getMetadata().getLabels()).containsEntry("istio/multiCluster", "true");
        assertThat(secret.getMetadata().getAnnotations()).containsEntry("networking.istio.io/cluster", peer);
        assertThat(secret.getData()).containsOnlyKeys(peer);
        Config config = Config.fromKubeconfig(decode(secret.getData().get(peer)));
        assertThat(config.getMasterUrl()).isEqualTo(simulation.require(peer).url());
        try (KubernetesClient reader = new KubernetesClientBuilder().withConfig(config).build()) {
            assertThat(reader.services().inAnyNamespace().list().getItems()).as(cluster + " reads " + peer + "'s Services")
                    .anyMatch(s -> s.getMetadata().getName().equals("istio-eastwestgateway"));
            assertThatThrownBy(() -> reader.configMaps().inNamespace("sample").resource(new ConfigMapBuilder()
                    .withNewMetadata().withName("written-by-a-reader").endMetadata().build()).create())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
        }
        TokenReview review = simulation.require(peer).controllerClient().tokenReviews().create(new TokenReviewBuilder()
                .withNewSpec().withToken(token(simulation, cluster, peer)).endSpec().build());
        assertThat(review.getStatus().getUser().getUsername())
                .isEqualTo("system:serviceaccount:istio-system:meshfed-reader-" + cluster);
    }

    /** The simulated istiod's view on {@code cluster}, once {@code settled} holds (or after 10 s). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> istiodView(Simulation simulation, String cluster,
                                                  java.util.function.Predicate<Map<String, Object>> settled) throws InterruptedException {
        Map<String, Object> view = Map.of();
        for (int i = 0; i < 100; i++) {
            var map = simulation.require(cluster).controllerClient().configMaps().inNamespace("istio-system")
                    .withName("meshfed-simulated-istiod").get();
            if (map != null) {
                view = Map.of("remote-clusters", io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                                map.getData().get("remote-clusters"), List.class),
                        "endpoints", io.fabric8.kubernetes.client.utils.Serialization.unmarshal(map.getData().get("endpoints"), Map.class));
                if (settled.test(view)) {
                    return view;
                }
            }
            Thread.sleep(100);
        }
        return view;
    }

    /** {@code istioctl remote-clusters}: each remote cluster's status. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> remoteClusters(Map<String, Object> view) {
        Map<String, String> out = new java.util.TreeMap<>();
        for (Map<String, Object> c : (List<Map<String, Object>>) view.getOrDefault("remote-clusters", List.of())) {
            out.put((String) c.get("cluster"), (String) c.get("status"));
        }
        return out;
    }

    /** {@code istioctl proxy-config endpoint}: a host's endpoints as "address:port cluster/network". */
    @SuppressWarnings("unchecked")
    private static List<String> endpoints(Map<String, Object> view, String host) {
        Map<String, Object> all = (Map<String, Object>) view.getOrDefault("endpoints", Map.of());
        List<String> out = new java.util.ArrayList<>();
        for (Map<String, Object> e : (List<Map<String, Object>>) all.getOrDefault(host, List.of())) {
            out.add(e.get("address") + ":" + e.get("port") + " " + e.get("cluster") + "/" + e.get("network"));
        }
        return out;
    }

    private static String eastWest(Simulation simulation, String cluster) {
        return simulation.require(cluster).controllerClient().services().inNamespace("istio-system").withName("istio-eastwestgateway")
                .get().getStatus().getLoadBalancer().getIngress().get(0).getIp();
    }

    private static String token(Simulation simulation, String cluster, String peer) {
        Secret secret = simulation.require(cluster).controllerClient().secrets().inNamespace("istio-system")
                .withName("istio-remote-secret-" + peer).get();
        return Config.fromKubeconfig(decode(secret.getData().get(peer))).getAutoOAuthToken();
    }

    private static boolean waitUnauthenticated(KubernetesClient client, String token) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            TokenReview review = client.tokenReviews().create(new TokenReviewBuilder().withNewSpec().withToken(token)
                    .endSpec().build());
            if (!Boolean.TRUE.equals(review.getStatus().getAuthenticated())) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    private static X509Certificate certificate(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8)));
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
