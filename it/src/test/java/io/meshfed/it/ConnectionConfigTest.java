package io.meshfed.it;

import io.meshfed.inventory.InventoryLoader;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.provisioner.simulate.SimulatedInventory;
import io.meshfed.provisioner.simulate.SimulatedCluster;
import io.meshfed.provisioner.simulate.Simulation;
import io.meshfed.provisioner.simulate.SimulationTiming;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connections as kubectl and a pod make them: the packaged application in its own process, against
 * simulated clusters running in this test. {@code KUBECONFIG} names several files that together hold
 * the contexts the inventory names (one file per cluster and its context, the users in a third); a
 * host with {@code kube_in_cluster} uses the pod's service account (token file, API server from
 * KUBERNETES_SERVICE_HOST/PORT, HTTPS). Tokens are never printed, also when a cluster cannot be reached.
 */
class ConnectionConfigTest {

    private static final String TOKEN = "s3cr3t-token-do-not-print";

    @Test
    @DisplayName("KUBECONFIG with several files: contexts, clusters and users merged as kubectl does; tokens never printed")
    void severalFiles(@TempDir Path tmp) throws Exception {
        Path jar = Repo.packagedApplication();
        Inventory inventory = InventoryLoader.load(Repo.example("blue-green"));
        try (Simulation simulation = SimulatedInventory.start(inventory, SimulationTiming.INSTANT)) {
            Path blue = Files.writeString(tmp.resolve("blue.yaml"), clusterAndContext("blue",
                    simulation.require("blue"), true));
            Path green = Files.writeString(tmp.resolve("green.yaml"), clusterAndContext("green",
                    simulation.require("green"), false));
            Path users = Files.writeString(tmp.resolve("users.yaml"), """
                    apiVersion: v1
                    kind: Config
                    users:
                    - name: blue-admin
                      user: {token: %s}
                    - name: green-admin
                      user: {token: %s}
                    """.formatted(TOKEN, TOKEN));
            String kubeconfig = String.join(File.pathSeparator, blue.toString(), green.toString(), users.toString());

            Result apply = meshfed(jar, tmp, kubeconfig, "apply", "-i", Repo.example("blue-green").toString());
            assertThat(apply.exit()).as(apply.output()).isZero();
            assertThat(apply.output()).contains("blue", "green", "PLAY RECAP").doesNotContain(TOKEN);
            assertThat(simulation.require("green").controllerClient().genericKubernetesResources("federation.maistra.io/v1",
                    "ServiceMeshPeer").inNamespace("green-mesh-system").withName("blue-mesh").get()).isNotNull();

            Result again = meshfed(jar, tmp, kubeconfig, "apply", "-i", Repo.example("blue-green").toString());
            assertThat(again.exit()).as(again.output()).isZero();
            assertThat(again.output()).contains("changed=0");

            // green's file left out: its context is unknown, and the run stops before writing anything
            Result partial = meshfed(jar, tmp, String.join(File.pathSeparator, blue.toString(), users.toString()), "plan",
                    "-i", Repo.example("blue-green").toString());
            assertThat(partial.exit()).as(partial.output()).isEqualTo(3);
            assertThat(partial.output()).contains("cannot reach cluster green (context green): context green is not in the "
                    + "kubeconfig files of KUBECONFIG", "nothing was written").doesNotContain(TOKEN);
        }
    }

    @Test
    @DisplayName("kube_in_cluster: the service account's token and the API server from the pod's environment, over HTTPS")
    void inCluster(@TempDir Path tmp) throws Exception {
        Path jar = Repo.packagedApplication();
        Path inventoryDir = tmp.resolve("inventory");
        Repo.copyTree(Repo.example("blue-green"), inventoryDir);
        Path hosts = inventoryDir.resolve("hosts.yaml");
        Files.writeString(hosts, Files.readString(hosts).replace("kube_context: blue", "kube_in_cluster: true"));
        try (Simulation simulation = Simulation.start(List.of(new Simulation.ClusterSpec("blue", false),
                new Simulation.ClusterSpec("green", false)), SimulationTiming.INSTANT)) {
            Path green = Files.writeString(tmp.resolve("green.yaml"), clusterAndContext("green",
                    simulation.require("green"), true) + "users:\n- name: green-admin\n  user: {token: " + TOKEN + "}\n");
            Path token = Files.writeString(tmp.resolve("token"), TOKEN);
            Map<String, String> pod = Map.of("KUBERNETES_SERVICE_HOST", "127.0.0.1",
                    "KUBERNETES_SERVICE_PORT", String.valueOf(simulation.require("blue").port()),
                    "KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN", token.toString(),
                    // the simulated API server's certificate is self-signed; a pod trusts the cluster's CA file instead
                    "KUBERNETES_TRUST_CERTIFICATES", "true");
            Result apply = meshfed(jar, tmp, green.toString(), pod, "apply", "-i", inventoryDir.toString());
            assertThat(apply.exit()).as(apply.output()).isZero();
            assertThat(apply.output()).doesNotContain(TOKEN);
            assertThat(simulation.require("blue").requests().entries()).anyMatch(e -> !e.controller() && e.write());
            assertThat(simulation.require("blue").controllerClient().genericKubernetesResources("maistra.io/v2",
                    "ServiceMeshControlPlane").inNamespace("blue-mesh-system").withName("blue-mesh").get()).isNotNull();

            // outside a pod (no KUBERNETES_SERVICE_HOST) the in-cluster host cannot be reached, and says how it was tried
            Result outside = meshfed(jar, tmp, green.toString(), Map.of("KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN", token.toString()),
                    "plan", "-i", inventoryDir.toString());
            assertThat(outside.exit()).as(outside.output()).isEqualTo(3);
            assertThat(outside.output()).contains("cannot reach cluster blue (in-cluster service account)")
                    .doesNotContain(TOKEN);
        }
    }

    @Test
    @DisplayName("the Quarkus Kubernetes client's proxy setting (QUARKUS_KUBERNETES_CLIENT_HTTPS_PROXY, the API servers being HTTPS) reaches every cluster's client")
    void proxyFromQuarkusSettings(@TempDir Path tmp) throws Exception {
        Path jar = Repo.packagedApplication();
        // a forward proxy that tunnels HTTPS (CONNECT, as every HTTPS client asks a proxy) and records where to
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        List<String> hosts = new java.util.concurrent.CopyOnWriteArrayList<>();
        io.vertx.core.net.NetClient upstream = vertx.createNetClient();
        io.vertx.core.http.HttpServer proxy = vertx.createHttpServer().requestHandler(request -> {
            if (request.method() != io.vertx.core.http.HttpMethod.CONNECT) {
                request.response().setStatusCode(405).end();
                return;
            }
            String[] target = request.uri().split(":");
            hosts.add(target[1]);
            request.pause();
            upstream.connect(Integer.parseInt(target[1]), target[0]).onSuccess(out -> request.toNetSocket().onSuccess(in -> {
                in.pipeTo(out);
                out.pipeTo(in);
            })).onFailure(e -> request.response().setStatusCode(502).end());
        });
        proxy.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
        try {
            Result plan = meshfed(jar, tmp, tmp.resolve("none").toString(),
                    Map.of("QUARKUS_KUBERNETES_CLIENT_HTTPS_PROXY", "http://127.0.0.1:" + proxy.actualPort()),
                    "plan", "--simulate", "-i", Repo.example("blue-green").toString());
            assertThat(plan.exit()).as(plan.output()).isZero();
            Matcher ports = Pattern.compile("(blue|green) https://127\\.0\\.0\\.1:(\\d+)/").matcher(plan.output());
            List<String> clusters = new java.util.ArrayList<>();
            while (ports.find()) {
                clusters.add(ports.group(2));
            }
            assertThat(clusters).hasSize(2);
            assertThat(hosts).as("every simulated cluster was reached through the proxy").containsAll(clusters);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    private static String clusterAndContext(String name, SimulatedCluster cluster, boolean current) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: %1$s-cluster
                  cluster: {server: "%2$s", certificate-authority-data: %3$s}
                contexts:
                - name: %1$s
                  context: {cluster: %1$s-cluster, user: %1$s-admin, namespace: default}
                """.formatted(name, cluster.url().replaceAll("/$", ""), cluster.credentials().get("certificate-authority-data"))
                + (current ? "current-context: " + name + "\n" : "");
    }

    private record Result(int exit, String output) {
    }

    private static Result meshfed(Path jar, Path tmp, String kubeconfig, String... args) throws Exception {
        return meshfed(jar, tmp, kubeconfig, Map.of(), args);
    }

    private static Result meshfed(Path jar, Path tmp, String kubeconfig, Map<String, String> env, String... args)
            throws Exception {
        Path out = Files.createTempFile(tmp, "meshfed", ".out");
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().put("KUBECONFIG", kubeconfig);
        builder.environment().put("HOME", tmp.toString());   // no ~/.kube/config of the machine's
        builder.environment().remove("QUARKUS_HTTP_HOST_ENABLED");
        builder.environment().remove("KUBERNETES_SERVICE_HOST");
        builder.environment().remove("KUBERNETES_SERVICE_PORT");
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("meshfed did not finish: " + Files.readString(out));
        }
        return new Result(process.exitValue(), Files.readString(out));
    }
}
