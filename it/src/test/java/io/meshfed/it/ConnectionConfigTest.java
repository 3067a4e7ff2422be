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
            String blueToken = Accounts.adminToken(simulation, "blue");
            String greenToken = Accounts.adminToken(simulation, "green");
            Path users = Files.writeString(tmp.resolve("users.yaml"), """
                    apiVersion: v1
                    kind: Config
                    users:
                    - name: blue-admin
                      user: {token: %s}
                    - name: green-admin
                      user: {token: %s}
                    """.formatted(blueToken, greenToken));
            String kubeconfig = String.join(File.pathSeparator, blue.toString(), green.toString(), users.toString());

            Result apply = meshfed(jar, tmp, kubeconfig, "apply", "-i", Repo.example("blue-green").toString());
            assertThat(apply.exit()).as(apply.output()).isZero();
            assertThat(apply.output()).contains("blue", "green", "PLAY RECAP").doesNotContain(blueToken).doesNotContain(greenToken);
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
                    + "kubeconfig files of KUBECONFIG", "nothing was written").doesNotContain(blueToken);
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
            String blueToken = Accounts.adminToken(simulation, "blue");
            String greenToken = Accounts.adminToken(simulation, "green");
            Path green = Files.writeString(tmp.resolve("green.yaml"), clusterAndContext("green",
                    simulation.require("green"), true) + "users:\n- name: green-admin\n  user: {token: " + greenToken + "}\n");
            Path token = Files.writeString(tmp.resolve("token"), blueToken);
            Map<String, String> pod = Map.of("KUBERNETES_SERVICE_HOST", "127.0.0.1",
                    "KUBERNETES_SERVICE_PORT", String.valueOf(simulation.require("blue").port()),
                    "KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN", token.toString(),
                    // the simulated API server's certificate is self-signed; a pod trusts the cluster's CA file instead
                    "KUBERNETES_TRUST_CERTIFICATES", "true");
            Result apply = meshfed(jar, tmp, green.toString(), pod, "apply", "-i", inventoryDir.toString());
            assertThat(apply.exit()).as(apply.output()).isZero();
            assertThat(apply.output()).doesNotContain(blueToken).doesNotContain(greenToken);
            assertThat(simulation.require("blue").requests().entries()).anyMatch(e -> !e.controller() && e.write());
            assertThat(simulation.require("blue").controllerClient().genericKubernetesResources("maistra.io/v2",
                    "ServiceMeshControlPlane").inNamespace("blue-mesh-system").withName("blue-mesh").get()).isNotNull();

            // outside a pod (no KUBERNETES_SERVICE_HOST) the in-cluster host cannot be reached, and says how it was tried
            Result outside = meshfed(jar, tmp, green.toString(), Map.of("KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN", token.toString()),
                    "plan", "-i", inventoryDir.toString());
            assertThat(outside.exit()).as(outside.output()).isEqualTo(3);
            assertThat(outside.output()).contains("cannot reach cluster blue (in-cluster service account)")
                    .doesNotContain(blueToken);
        }
    }

    @Test
    @DisplayName("the identity the kubeconfig names (as, --as) is the one that acts: refused exactly where kubectl is refused, allowed where it is allowed")
    void impersonationAsKubectl(@TempDir Path tmp) throws Exception {
        Path jar = Repo.packagedApplication();
        Inventory inventory = InventoryLoader.load(Repo.example("blue-green"));
        try (Simulation simulation = SimulatedInventory.start(inventory, SimulationTiming.INSTANT)) {
            Accounts.grant(simulation, Files.readString(Repo.root().resolve("deploy/rbac.yaml")));
            Accounts.token(simulation, "blue", "nobody");   // an account with no role
            Accounts.token(simulation, "green", "nobody");
            String nobody = "as: system:serviceaccount:meshfed:nobody";
            String account = "as: system:serviceaccount:meshfed:meshfed";
            Path asNobody = Files.writeString(tmp.resolve("nobody.yaml"), adminKubeconfig(simulation, nobody));
            Path asMeshfed = Files.writeString(tmp.resolve("meshfed.yaml"), adminKubeconfig(simulation, account));
            Path admin = Files.writeString(tmp.resolve("admin.yaml"), adminKubeconfig(simulation, ""));

            Kubectl.Result kubectlNobody = new Kubectl(asNobody, tmp).run("--context", "blue", "get", "namespaces");
            assertThat(kubectlNobody.exit()).isNotZero();
            assertThat(kubectlNobody.out()).contains("Forbidden", "system:serviceaccount:meshfed:nobody");
            Result planNobody = meshfed(jar, tmp, asNobody.toString(), "plan", "-i", Repo.example("blue-green").toString());
            assertThat(planNobody.exit()).as(planNobody.output()).isNotZero();
            assertThat(planNobody.output()).contains("system:serviceaccount:meshfed:nobody");

            new Kubectl(asMeshfed, tmp).ok("--context", "blue", "get", "namespaces");
            Result planAccount = meshfed(jar, tmp, asMeshfed.toString(), "plan", "-i", Repo.example("blue-green").toString());
            assertThat(planAccount.exit()).as(planAccount.output()).isZero();

            // the command line's --as over a kubeconfig that impersonates nobody: as kubectl's --as
            Kubectl.Result kubectlFlag = new Kubectl(admin, tmp).run("--context", "blue", "--as",
                    "system:serviceaccount:meshfed:nobody", "get", "namespaces");
            assertThat(kubectlFlag.exit()).isNotZero();
            Result planFlag = meshfed(jar, tmp, admin.toString(), "plan", "--as", "system:serviceaccount:meshfed:nobody",
                    "-i", Repo.example("blue-green").toString());
            assertThat(planFlag.exit()).as(planFlag.output()).isNotZero();
            assertThat(planFlag.output()).contains("system:serviceaccount:meshfed:nobody");
            assertThat(simulation.require("blue").requests().entries()).as("no write but dry runs")
                    .noneMatch(e -> !e.controller() && e.write() && !e.dryRun());
        }
    }

    @Test
    @DisplayName("an exec credential plugin and a tokenFile: their tokens are the identity that acts (a token without rights is refused)")
    void execPluginAndTokenFile(@TempDir Path tmp) throws Exception {
        Path jar = Repo.packagedApplication();
        Inventory inventory = InventoryLoader.load(Repo.example("blue-green"));
        try (Simulation simulation = SimulatedInventory.start(inventory, SimulationTiming.INSTANT)) {
            Accounts.grant(simulation, Files.readString(Repo.root().resolve("deploy/rbac.yaml")));
            Map<String, String> tokens = Map.of("blue", Accounts.token(simulation, "blue", "meshfed"),
                    "green", Accounts.token(simulation, "green", "meshfed"));
            for (String cluster : tokens.keySet()) {
                Path plugin = tmp.resolve("plugins/token-" + cluster);
                Files.createDirectories(plugin.getParent());
                Files.writeString(plugin, """
                        #!/bin/sh
                        echo run >> "%s.runs"
                        echo '{"apiVersion": "client.authentication.k8s.io/v1", "kind": "ExecCredential", "status": {"token": "%s", "expirationTimestamp": "%s"}}'
                        """.formatted(plugin, tokens.get(cluster), java.time.Instant.now().plusSeconds(3600)));
                Files.setPosixFilePermissions(plugin, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
                Files.writeString(tmp.resolve("token-" + cluster), tokens.get(cluster));
            }
            Path exec = Files.writeString(tmp.resolve("exec.yaml"), kubeconfig(simulation, cluster -> """
                    exec:
                      apiVersion: client.authentication.k8s.io/v1
                      command: ./plugins/token-%s
                      interactiveMode: Never
                    """.formatted(cluster)));
            Result plan = meshfed(jar, tmp, exec.toString(), "plan", "-i", Repo.example("blue-green").toString());
            assertThat(plan.exit()).as(plan.output()).isZero();
            assertThat(plan.output()).doesNotContain(tokens.get("blue")).doesNotContain(tokens.get("green"));
            assertThat(Files.readAllLines(tmp.resolve("plugins/token-blue.runs"))).as("the plugin runs once per run").hasSize(1);
            new Kubectl(exec, tmp).ok("--context", "blue", "get", "namespaces");

            Path tokenFile = Files.writeString(tmp.resolve("file.yaml"), kubeconfig(simulation,
                    cluster -> "tokenFile: token-" + cluster + "\n"));
            Result planFile = meshfed(jar, tmp, tokenFile.toString(), "plan", "-i", Repo.example("blue-green").toString());
            assertThat(planFile.exit()).as(planFile.output()).isZero();

            // the same files with a token of an account without rights: refused as that account
            Files.writeString(tmp.resolve("token-blue"), Accounts.token(simulation, "blue", "nobody"));
            Result refused = meshfed(jar, tmp, tokenFile.toString(), "plan", "-i", Repo.example("blue-green").toString());
            assertThat(refused.exit()).as(refused.output()).isNotZero();
            assertThat(refused.output()).contains("system:serviceaccount:meshfed:nobody");
        }
    }

    @Test
    @DisplayName("an exec plugin's token the server refuses runs the plugin again (client-go's refresh on 401); tls-server-name verifies a server reached by a name its certificate lacks, as kubectl does")
    void refusedExecTokenAndTlsServerName(@TempDir Path tmp) throws Exception {
        Path jar = Repo.packagedApplication();
        String inventoryDir = Repo.example("blue-green").toString();
        try (Simulation simulation = SimulatedInventory.start(InventoryLoader.load(Repo.example("blue-green")),
                SimulationTiming.INSTANT)) {
            for (SimulatedCluster cluster : simulation.clusters()) {
                // the first answer is a token the server does not know (revoked before its time); the next ones are good
                Path plugin = tmp.resolve("plugins/token-" + cluster.name());
                Files.createDirectories(plugin.getParent());
                Files.writeString(plugin, """
                        #!/bin/sh
                        echo run >> "$0.runs"
                        if [ "$(wc -l < "$0.runs")" -eq 1 ]; then token=revoked; else token=%s; fi
                        echo '{"apiVersion": "client.authentication.k8s.io/v1", "kind": "ExecCredential", "status": {"token": "'$token'"}}'
                        """.formatted(Accounts.adminToken(simulation, cluster.name())));
                Files.setPosixFilePermissions(plugin, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            }
            String execUser = """
                    exec:
                      apiVersion: client.authentication.k8s.io/v1
                      command: ./plugins/token-%s
                      interactiveMode: Never
                    """;
            Path direct = Files.writeString(tmp.resolve("direct.yaml"), kubeconfig(simulation, execUser::formatted));
            Result plan = meshfed(jar, tmp, direct.toString(), "plan", "-i", inventoryDir);
            assertThat(plan.exit()).as(plan.output()).isZero();
            assertThat(Files.readAllLines(tmp.resolve("plugins/token-blue.runs"))).as("refused once, run again once").hasSize(2);

            // the API servers' certificates name 127.0.0.1 and kubernetes.default.svc..., not localhost
            String byLocalhost = kubeconfig(simulation, execUser::formatted).replace("https://127.0.0.1:", "https://localhost:");
            Path unnamed = Files.writeString(tmp.resolve("localhost.yaml"), byLocalhost);
            assertThat(new Kubectl(unnamed, tmp).run("--context", "blue", "get", "namespaces").exit()).isNotZero();
            Result refused = meshfed(jar, tmp, unnamed.toString(), "plan", "-i", inventoryDir);
            assertThat(refused.exit()).as(refused.output()).isEqualTo(3);
            assertThat(refused.output()).contains("cannot reach cluster blue");

            Path named = Files.writeString(tmp.resolve("named.yaml"), withServerName(byLocalhost, "kubernetes.default.svc"));
            new Kubectl(named, tmp).ok("--context", "blue", "get", "namespaces");
            Result planNamed = meshfed(jar, tmp, named.toString(), "plan", "-i", inventoryDir);
            assertThat(planNamed.exit()).as(planNamed.output()).isZero();

            Path wrong = Files.writeString(tmp.resolve("wrong.yaml"), withServerName(byLocalhost, "api.example.com"));
            assertThat(new Kubectl(wrong, tmp).run("--context", "blue", "get", "namespaces").exit()).isNotZero();
            Result planWrong = meshfed(jar, tmp, wrong.toString(), "plan", "-i", inventoryDir);
            assertThat(planWrong.exit()).as(planWrong.output()).isEqualTo(3);
            assertThat(planWrong.output()).contains("cannot reach cluster blue", "not for api.example.com (tls-server-name)");
        }
    }

    private static String withServerName(String kubeconfig, String serverName) {
        return kubeconfig.replaceAll("(certificate-authority-data: [^}]*)}", "$1, tls-server-name: " + serverName + "}");
    }

    /** One kubeconfig with a context per simulated cluster, its user made of {@code user}'s lines. */
    private static String kubeconfig(Simulation simulation, java.util.function.Function<String, String> user) {
        StringBuilder yaml = new StringBuilder("apiVersion: v1\nkind: Config\nclusters:\n");
        for (SimulatedCluster c : simulation.clusters()) {
            yaml.append("- name: ").append(c.name()).append("\n  cluster: {server: \"").append(c.url().replaceAll("/$", ""))
                    .append("\", certificate-authority-data: ").append(c.credentials().get("certificate-authority-data"))
                    .append("}\n");
        }
        yaml.append("contexts:\n");
        for (SimulatedCluster c : simulation.clusters()) {
            yaml.append("- name: ").append(c.name()).append("\n  context: {cluster: ").append(c.name()).append(", user: ")
                    .append(c.name()).append("}\n");
        }
        yaml.append("current-context: ").append(simulation.clusters().get(0).name()).append("\nusers:\n");
        for (SimulatedCluster c : simulation.clusters()) {
            yaml.append("- name: ").append(c.name()).append("\n  user:\n").append(user.apply(c.name()).indent(4));
        }
        return yaml.toString();
    }

    /** The simulated clusters' admin certificate, with {@code extra} lines in its user (an {@code as:}...). */
    private static String adminKubeconfig(Simulation simulation, String extra) {
        return kubeconfig(simulation, cluster -> "client-certificate-data: "
                + simulation.require(cluster).credentials().get("client-certificate-data") + "\nclient-key-data: "
                + simulation.require(cluster).credentials().get("client-key-data") + "\n" + extra + "\n");
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
