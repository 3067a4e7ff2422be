package io.meshfed.cli;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.meshfed.provisioner.simulate.Simulation;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code meshfed migrate} on the seed's blue-green federation, on simulated clusters: the inventory's
 * {@code mesh_migration} is the phase asked for, the clusters say the phase they are in; apply moves one
 * verified phase at a time and writes nothing the second time; back, once the inventory says so, restores
 * the control planes exactly as they were.
 */
@QuarkusMainTest
class MigrateCommandTest {

    @Test
    @DisplayName("blue-green: status federated; plan, apply to prepared (SMCPs patched as the migration guide's first step, "
            + "the doctor passing), a second apply writes nothing; on to discovery (dokuwiki reachable from green both ways, "
            + "a broken path seen and repaired); cut-over (federation pruned, dokuwiki reached through the east-west gateway "
            + "alone); ossm3 (Istio beside 2.6, namespaces on its revision) and back to discovery; back to prepared removes discovery; back to federated restores each SMCP exactly")
    void prepareAndBack(QuarkusMainLauncher launcher, @TempDir Path tmp) throws IOException {
        try (SimulatedExample example = SimulatedExample.start("blue-green", tmp)) {
            Simulation simulation = example.simulation();
            Path copy = example.inventory();
            Path mesh = copy.resolve("group_vars/all/mesh.yaml");
            Files.writeString(mesh, Files.readString(mesh).replace("mesh_version: v2.1", "mesh_version: v2.6"));
            String inv = copy.toString();
            LaunchResult applied = launcher.launch("apply", "-i", inv);
            assertThat(applied.exitCode()).as(applied.getOutput() + applied.getErrorOutput()).isZero();
            var blueClient = simulation.require("blue").controllerClient();
            assertThat(blueClient.network().v1().networkPolicies().inNamespace("nfs-app-istio").withName("istio-mesh-blue-mesh")
                    .get()).as("the operator's NetworkPolicy while it manages them").isNotNull();
            Map<String, Object> blueBefore = smcpSpec(simulation, "blue");
            Map<String, Object> greenBefore = smcpSpec(simulation, "green");

            LaunchResult status = launcher.launch("migrate", "status", "-i", inv);
            assertThat(status.exitCode()).as(status.getErrorOutput()).isZero();
            assertThat(status.getOutput()).contains("blue         federated  next phase lacks: trustDomainAliases lacks green-mesh.local; "
                            + "pilot env PILOT_MULTI_NETWORK_DISCOVER_GATEWAY_API is not set; cluster.network is not set, not "
                            + "network-blue-mesh; security.manageNetworkPolicy is not false",
                    "federation: federated; the inventory says federated (mesh_migration)");
            LaunchResult ahead = launcher.launch("migrate", "apply", "-i", inv, "--to", "prepared");
            assertThat(ahead.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(ahead.getErrorOutput()).contains("--to prepared is past the inventory's phase, federated: set "
                    + "mesh_migration: prepared in the inventory (group_vars/all) first");

            Files.writeString(copy.resolve("group_vars/all/migration.yaml"), "mesh_migration: prepared\n");
            simulation.clusters().forEach(c -> c.requests().clear());
            LaunchResult skipping = launcher.launch("apply", "-i", inv);
            assertThat(skipping.exitCode()).isEqualTo(ExitCodes.OTHER_MIGRATION_PHASE);
            assertThat(skipping.getErrorOutput()).contains("the clusters are in migration phase federated and the inventory "
                    + "says mesh_migration: prepared: meshfed migrate apply -i ... moves them");
            LaunchResult served = launcher.launch("serve", "-i", inv, "--runs", "1");
            assertThat(served.getErrorOutput()).contains("the clusters are in migration phase federated and the inventory says "
                    + "mesh_migration: prepared");
            assertThat(objectWrites(simulation)).as("a refused apply's and serve run's writes").isZero();
            LaunchResult plan = launcher.launch("migrate", "plan", "-i", inv);
            assertThat(plan.exitCode()).as(plan.getOutput() + plan.getErrorOutput()).isZero();
            assertThat(plan.getOutput()).contains("== phase prepared: the control planes trust their peers' trust domains",
                    "update:   [blue] ServiceMeshControlPlane blue-mesh-system/blue-mesh",
                    "update:   [green] ServiceMeshControlPlane green-mesh-system/green-mesh",
                    "+    network: network-green-mesh", "+    manageNetworkPolicy: false", "+        - blue-mesh.local",
                    "Plan: 0 to create, 0 to adopt, 2 to update");
            assertThat(objectWrites(simulation)).as("plan's writes").isZero();

            LaunchResult migrated = launcher.launch("migrate", "apply", "-i", inv);
            assertThat(migrated.exitCode()).as(migrated.getOutput() + migrated.getErrorOutput()).isZero();
            assertThat(migrated.getOutput()).contains("== phase prepared:", "phase prepared verified: the doctor finds",
                    "none failing", "federation: prepared; the inventory says prepared");
            Map<String, Object> blue = smcpSpec(simulation, "blue");
            assertThat(blue).containsEntry("cluster", Map.of("network", "network-blue-mesh"))
                    .containsEntry("techPreview", Map.of("meshConfig", Map.of("trustDomainAliases", List.of("green-mesh.local"))));
            assertThat(((Map<?, ?>) blue.get("security")).get("manageNetworkPolicy")).isEqualTo(false);
            assertThat(blue.get("runtime").toString()).contains("PILOT_MULTI_NETWORK_DISCOVER_GATEWAY_API=true",
                    "imagePullPolicy=Always");   // the inventory's own override is kept
            // the simulated operator honours it: istiod accepts green's trust domain, and its NetworkPolicies are gone
            assertThat(eventually(() -> blueClient.configMaps().inNamespace("blue-mesh-system").withName("istio-blue-mesh").get()
                    .getData().get("mesh"), m -> m.contains("Aliases")))
                    .isEqualTo("trustDomain: blue-mesh.local\ntrustDomainAliases:\n- green-mesh.local\n");
            assertThat(eventually(() -> blueClient.network().v1().networkPolicies().inAnyNamespace().withLabel("maistra.io/member-of")
                    .list().getItems(), List::isEmpty)).isEmpty();

            assertSettled(launcher, simulation, inv, "prepared");

            // discovery: manual service discovery beside the federation, dokuwiki reachable from green both ways
            Files.writeString(copy.resolve("group_vars/all/migration.yaml"), "mesh_migration: discovery\n");
            LaunchResult discoveryPlan = launcher.launch("migrate", "plan", "-i", inv);
            assertThat(discoveryPlan.exitCode()).as(discoveryPlan.getOutput() + discoveryPlan.getErrorOutput()).isZero();
            assertThat(discoveryPlan.getOutput()).contains("== phase discovery:",
                    "create:   [blue] Gateway blue-mesh-system/eastwestgateway",
                    "create:   [blue] ServiceEntry nfs-app-istio/blue-dokuwiki-nfs-app-istio-svc-blue-mesh-imports-local",
                    "create:   [green] Gateway green-mesh-system/remote-gateway-blue-mesh",
                    "create:   [green] WorkloadEntry green-mesh-system/blue-dokuwiki-nfs-app-istio-svc-blue-mesh-imports-local",
                    "(known after apply: blue/Service/blue-mesh-system/eastwestgateway-istio");
            LaunchResult discovered = launcher.launch("migrate", "apply", "-i", inv);
            assertThat(discovered.exitCode()).as(discovered.getOutput() + discovered.getErrorOutput()).isZero();
            assertThat(discovered.getOutput()).contains("phase discovery verified", "federation: discovery; the inventory says discovery");
            String host = "blue-dokuwiki.nfs-app-istio.svc.blue-mesh-imports.local";
            var greenClient = simulation.require("green").controllerClient();
            String eastWest = blueClient.services().inNamespace("blue-mesh-system").withName("eastwestgateway-istio").get()
                    .getStatus().getLoadBalancer().getIngress().get(0).getIp();
            assertThat(eventually(() -> endpoints(greenClient, "green-mesh-system"), e -> e.contains("east-west")))
                    .as("green's sidecars reach dokuwiki through the federation and through blue's east-west gateway")
                    .contains("\"" + host + "\":[{\"path\":\"federation\",\"via\":\"egress-blue-mesh\",\"reachable\":true},"
                            + "{\"path\":\"east-west\",\"via\":\"" + eastWest + ":15443 (blue)\",\"reachable\":true}]");
            GenericKubernetesResource remote = greenClient.genericKubernetesResources("gateway.networking.k8s.io/v1", "Gateway")
                    .inNamespace("green-mesh-system").withName("remote-gateway-blue-mesh").get();
            assertThat(remote.getAdditionalProperties().get("spec").toString()).contains("addresses=[{type=IPAddress, value=" + eastWest + "}]");
            assertSettled(launcher, simulation, inv, "discovery");

            // blue's east-west gateway stops passing dokuwiki through: the simulated sidecars lose that path
            blueClient.genericKubernetesResources("networking.istio.io/v1beta1", "Gateway").inNamespace("blue-mesh-system")
                    .withName("expose-services").edit(g -> {
                        g.getAdditionalProperties().put("spec", Map.of("selector", Map.of("istio.io/gateway-name", "eastwestgateway"),
                                "servers", List.of(Map.of("port", Map.of("number", 15443, "name", "tls", "protocol", "TLS"),
                                        "tls", Map.of("mode", "AUTO_PASSTHROUGH"), "hosts", List.of("other.example.com")))));
                        return g;
                    });
            assertThat(eventually(() -> endpoints(greenClient, "green-mesh-system"), e -> e.contains("passes no")))
                    .contains("blue's east-west gateway passes no " + host + " through");
            LaunchResult diagnosed = launcher.launch("doctor", "-i", inv);
            assertThat(diagnosed.exitCode()).as(diagnosed.getOutput()).isEqualTo(ExitCodes.DOCTOR_FAILED);
            assertThat(diagnosed.getOutput()).contains("manual discovery", "its east-west gateway passes " + host
                    + " through nowhere", "list them in an AUTO_PASSTHROUGH Gateway on 15443 selecting istio.io/gateway-name=eastwestgateway");
            LaunchResult repaired = launcher.launch("apply", "-i", inv);
            assertThat(repaired.getOutput()).contains("changed: [blue] Gateway blue-mesh-system/expose-services (update");
            assertThat(eventually(() -> endpoints(greenClient, "green-mesh-system"), e -> !e.contains("passes no")))
                    .doesNotContain("\"reachable\":false");

            // cut-over: the federation removed; dokuwiki reached through blue's east-west gateway alone
            Files.writeString(copy.resolve("group_vars/all/migration.yaml"), "mesh_migration: cut-over\n");
            LaunchResult cut = launcher.launch("migrate", "apply", "-i", inv);
            assertThat(cut.exitCode()).as(cut.getOutput() + cut.getErrorOutput()).isZero();
            assertThat(cut.getOutput()).contains("== phase cut-over:",
                    "changed: [green] ServiceMeshPeer green-mesh-system/blue-mesh (prune",
                    "changed: [green] ImportedServiceSet green-mesh-system/blue-mesh (prune",
                    "changed: [blue] ExportedServiceSet blue-mesh-system/green-mesh (prune",
                    "phase cut-over verified", "federation: cut-over; the inventory says cut-over");
            assertThat(smcpSpec(simulation, "green")).doesNotContainKey("gateways");
            assertThat(greenClient.genericKubernetesResources("federation.maistra.io/v1", "ServiceMeshPeer").inAnyNamespace().list()
                    .getItems()).isEmpty();
            assertThat(greenClient.configMaps().inNamespace("green-mesh-system").withName("blue-mesh-ca-root-cert").get())
                    .as("the peer's root stays (OSSM 3 trusts it)").isNotNull();
            assertThat(eventually(() -> endpoints(greenClient, "green-mesh-system"), e -> !e.contains("federation")))
                    .contains("\"" + host + "\":[{\"path\":\"east-west\",\"via\":\"" + eastWest + ":15443 (blue)\",\"reachable\":true}]");
            assertThat(greenClient.genericKubernetesResources("networking.istio.io/v1beta1", "VirtualService")
                    .inNamespace("nfs-app-istio").withName("dokuwiki").get().getAdditionalProperties().get("spec").toString())
                    .as("the route still sends its traffic to the imported host").contains("host=" + host);
            assertSettled(launcher, simulation, inv, "cut-over");

            // ossm3: OSSM 3 beside 2.6, trusting green's root; blue's namespace, its workloads and east-west gateway on
            // its revision. The seed's dokuwiki runs 2.6's proxy (its template asks for one); a team's job runner without
            // one is not restarted
            assertThat(proxies(blueClient)).containsEntry("dokuwiki", "blue-mesh");
            blueClient.apps().deployments().inNamespace("nfs-app-istio").resource(new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
                    .withNewMetadata().withName("runner").withNamespace("nfs-app-istio").endMetadata().withNewSpec().withReplicas(1)
                    .withNewSelector().addToMatchLabels("app", "runner").endSelector().withNewTemplate().withNewMetadata()
                    .addToLabels("app", "runner").endMetadata().withNewSpec().addNewContainer().withName("runner").withImage("runner")
                    .endContainer().endSpec().endTemplate().endSpec().build()).create();
            assertThat(eventually(() -> proxies(blueClient), p -> p.containsKey("runner"))).containsEntry("runner", "none");
            Files.writeString(copy.resolve("group_vars/all/migration.yaml"), "mesh_migration: ossm3\n");
            LaunchResult ossm3Plan = launcher.launch("migrate", "plan", "-i", inv);
            assertThat(ossm3Plan.getOutput()).contains("restart:  [blue] Deployment nfs-app-istio/dokuwiki (1 Pod on revision "
                    + "blue-mesh) onto revision default-v1-30-latest", "restart:  [green] Deployment nfs-app-istio/dokuwiki")
                    .doesNotContain("runner");
            LaunchResult moved = launcher.launch("migrate", "apply", "-i", inv);
            assertThat(moved.exitCode()).as(moved.getOutput() + moved.getErrorOutput()).isZero();
            assertThat(moved.getOutput()).contains("== phase ossm3:", "changed: [blue] Istio default (create",
                    "changed: [blue] Deployment nfs-app-istio/dokuwiki (1 Pod on revision blue-mesh) restarted onto revision "
                            + "default-v1-30-latest", "phase ossm3 verified", "federation: ossm3; the inventory says ossm3");
            assertThat(proxies(blueClient)).as("dokuwiki's Pod made again by OSSM 3's injector; the runner as it was")
                    .containsEntry("dokuwiki", "default-v1-30-latest").containsEntry("runner", "none");
            assertThat(proxies(greenClient)).containsEntry("dokuwiki", "default-v1-30-latest");
            GenericKubernetesResource istio = blueClient.genericKubernetesResources("sailoperator.io/v1", "Istio").withName("default").get();
            String greenRoot = greenClient.configMaps().inNamespace("green-mesh-system").withName("istio-ca-root-cert").get()
                    .getData().get("root-cert.pem");
            assertThat(istio.getAdditionalProperties().get("spec").toString()).contains("namespace=blue-mesh-system",
                    "trustDomainAliases=[green-mesh.local]", "ISTIO_MULTIROOT_MESH=true", "network=network-blue-mesh");
            assertThat(((Map<?, ?>) ((List<?>) ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) istio.getAdditionalProperties().get("spec"))
                    .get("values")).get("meshConfig")).get("caCertificates")).get(0)).get("pem")).isEqualTo(greenRoot);
            assertThat(blueClient.namespaces().withName("nfs-app-istio").get().getMetadata().getLabels())
                    .containsEntry("istio.io/rev", "default-v1-30-latest").containsEntry("maistra.io/ignore-namespace", "true");
            assertThat(blueClient.genericKubernetesResources("gateway.networking.k8s.io/v1", "Gateway").inNamespace("blue-mesh-system")
                    .withName("eastwestgateway").get().getMetadata().getLabels()).containsEntry("istio.io/rev", "default-v1-30-latest");
            assertThat(eventually(() -> endpoints(greenClient, "green-mesh-system"), e -> e.contains("east-west")))
                    .contains("{\"path\":\"east-west\",\"via\":\"" + eastWest + ":15443 (blue)\",\"reachable\":true}");
            assertSettled(launcher, simulation, inv, "ossm3");
            // a namespace taken back to 2.6 by hand: the doctor says which
            blueClient.namespaces().withName("nfs-app-istio").edit(n -> {
                n.getMetadata().getLabels().remove("istio.io/rev");
                n.getMetadata().getLabels().remove("maistra.io/ignore-namespace");
                return n;
            });
            LaunchResult offRevision = launcher.launch("doctor", "-i", inv);
            assertThat(offRevision.exitCode()).isEqualTo(ExitCodes.DOCTOR_FAILED);
            assertThat(offRevision.getOutput()).contains("member namespace(s) nfs-app-istio not on revision default-v1-30-latest");
            // ... and dokuwiki restarted there by hand: 2.6's injector gives its new Pod 2.6's proxy again
            blueClient.apps().deployments().inNamespace("nfs-app-istio").withName("dokuwiki").edit(d -> {
                d.getSpec().getTemplate().getMetadata().getAnnotations().put("kubectl.kubernetes.io/restartedAt", "by hand");
                return d;
            });
            assertThat(eventually(() -> proxies(blueClient), p -> "blue-mesh".equals(p.get("dokuwiki"))))
                    .containsEntry("dokuwiki", "blue-mesh");
            // the clusters read as cut over now: a plain apply refuses; migrate apply moves the namespace, restarts dokuwiki
            // (its rollout done, its Pod still on 2.6) and verifies
            assertThat(launcher.launch("migrate", "status", "-i", inv).getOutput()).contains("blue         cut-over   next phase lacks: ",
                    "no label istio.io/rev=default-v1-30-latest on Namespace nfs-app-istio");
            assertThat(launcher.launch("apply", "-i", inv).exitCode()).isEqualTo(ExitCodes.OTHER_MIGRATION_PHASE);
            assertThat(launcher.launch("migrate", "apply", "-i", inv).getOutput())
                    .contains("changed: [blue] Namespace nfs-app-istio (update", "changed: [blue] Deployment nfs-app-istio/dokuwiki "
                            + "(1 Pod on revision blue-mesh) restarted", "phase ossm3 verified");
            assertThat(proxies(blueClient)).containsEntry("dokuwiki", "default-v1-30-latest");
            // a Pod no workload makes again, left on 2.6's proxy: the doctor names it, and the phase reads as not reached
            blueClient.pods().inNamespace("nfs-app-istio").resource(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata()
                    .withName("debug").withNamespace("nfs-app-istio").addToAnnotations("sidecar.istio.io/status",
                            "{\"containers\":[\"istio-proxy\"],\"revision\":\"blue-mesh\"}").endMetadata().withNewSpec()
                    .withAutomountServiceAccountToken(false).addNewContainer().withName("debug").withImage("debug").endContainer()
                    .endSpec().build()).create();
            LaunchResult stranded = launcher.launch("doctor", "-i", inv);
            assertThat(stranded.exitCode()).isEqualTo(ExitCodes.DOCTOR_FAILED);
            assertThat(stranded.getOutput()).contains("Pod(s) nfs-app-istio/debug (blue-mesh) still run the proxy of another "
                    + "revision than default-v1-30-latest");
            assertThat(launcher.launch("migrate", "status", "-i", inv).getOutput())
                    .contains("blue         cut-over   next phase lacks: Pod nfs-app-istio/debug still on revision blue-mesh");
            blueClient.pods().inNamespace("nfs-app-istio").withName("debug").withGracePeriod(0).delete();

            // back to discovery: OSSM 3's control plane pruned, the federation again beside manual discovery
            Files.writeString(copy.resolve("group_vars/all/migration.yaml"), "mesh_migration: discovery\n");
            LaunchResult refederated = launcher.launch("migrate", "back", "-i", inv, "--to", "discovery");
            assertThat(refederated.exitCode()).as(refederated.getOutput() + refederated.getErrorOutput()).isZero();
            assertThat(refederated.getOutput()).contains("changed: [blue] Istio default (prune", "phase discovery verified",
                    "federation: discovery", "note: undoing ossm3 restarts the workloads again, back onto 2.6's proxy",
                    "note: undoing the cut-over makes the federation anew: its gateways get new load-balancer addresses");
            assertThat(blueClient.namespaces().withName("nfs-app-istio").get().getMetadata().getLabels())
                    .doesNotContainKey("istio.io/rev");
            assertThat(refederated.getOutput()).contains("changed: [blue] Deployment nfs-app-istio/dokuwiki (1 Pod on revision "
                    + "default-v1-30-latest) restarted onto revision blue-mesh");
            assertThat(proxies(blueClient)).as("back on 2.6's proxy").containsEntry("dokuwiki", "blue-mesh").containsEntry("runner", "none");
            assertThat(eventually(() -> endpoints(greenClient, "green-mesh-system"), e -> e.contains("egress-blue-mesh\",\"reachable\":true")))
                    .contains("{\"path\":\"federation\",\"via\":\"egress-blue-mesh\",\"reachable\":true}");

            Files.writeString(copy.resolve("group_vars/all/migration.yaml"), "mesh_migration: prepared\n");
            LaunchResult undiscovered = launcher.launch("migrate", "back", "-i", inv, "--to", "prepared");
            assertThat(undiscovered.exitCode()).as(undiscovered.getOutput() + undiscovered.getErrorOutput()).isZero();
            assertThat(undiscovered.getOutput()).contains("== phase prepared: undoing what came after it", "phase prepared verified",
                    "changed: [green] WorkloadEntry green-mesh-system/blue-dokuwiki-nfs-app-istio-svc-blue-mesh-imports-local (prune");
            assertThat(greenClient.genericKubernetesResources("networking.istio.io/v1beta1", "ServiceEntry").inAnyNamespace()
                    .list().getItems()).isEmpty();
            assertThat(eventually(() -> blueClient.services().inNamespace("blue-mesh-system").withName("eastwestgateway-istio").get(),
                    java.util.Objects::isNull)).as("istiod's gateway Service goes with its Gateway").isNull();
            assertThat(eventually(() -> greenClient.configMaps().inNamespace("green-mesh-system").withName("meshfed-simulated-discovery")
                    .get(), java.util.Objects::isNull)).as("no manual discovery without Gateway API").isNull();
            assertThat(smcpSpec(simulation, "blue")).isEqualTo(blue);

            LaunchResult refused = launcher.launch("migrate", "back", "-i", inv, "--to", "federated");
            assertThat(refused.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(refused.getErrorOutput()).contains("the inventory says mesh_migration: prepared: set it to federated first");
            Files.delete(copy.resolve("group_vars/all/migration.yaml"));
            // a team's object in a namespace meshfed created: back prunes only what meshfed made and no longer renders
            blueClient.configMaps().inNamespace("nfs-app-istio").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                    .withNewMetadata().withName("team-settings").withNamespace("nfs-app-istio").endMetadata()
                    .addToData("owner", "team").build()).create();
            LaunchResult back = launcher.launch("migrate", "back", "-i", inv, "--to", "federated");
            assertThat(back.exitCode()).as(back.getOutput() + back.getErrorOutput()).isZero();
            assertThat(back.getOutput()).contains("== phase federated: undoing what came after it", "phase federated verified");
            assertThat(smcpSpec(simulation, "blue")).isEqualTo(blueBefore);
            assertThat(smcpSpec(simulation, "green")).isEqualTo(greenBefore);
            assertThat(blueClient.configMaps().inNamespace("nfs-app-istio").withName("team-settings").get().getData())
                    .as("someone else's object survives back's prune").containsEntry("owner", "team");
            assertThat(eventually(() -> blueClient.network().v1().networkPolicies().inNamespace("nfs-app-istio")
                    .withName("istio-mesh-blue-mesh").get(), java.util.Objects::nonNull)).as("managed again").isNotNull();
            assertThat(eventually(() -> blueClient.configMaps().inNamespace("blue-mesh-system").withName("istio-blue-mesh").get()
                    .getData().get("mesh"), m -> !m.contains("Aliases"))).isEqualTo("trustDomain: blue-mesh.local\n");
        }
    }

    /** The proxy each Deployment's Pods in nfs-app-istio run: its revision, or none; Pods being deleted left out. */
    private static Map<String, String> proxies(io.fabric8.kubernetes.client.KubernetesClient client) {
        Map<String, String> proxies = new java.util.TreeMap<>();
        for (var pod : client.pods().inNamespace("nfs-app-istio").list().getItems()) {
            String of = pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get("app");
            if (of != null && pod.getMetadata().getDeletionTimestamp() == null) {
                Map<String, Object> asMap = io.fabric8.kubernetes.client.utils.Serialization.jsonMapper().convertValue(pod, Map.class);
                proxies.merge(of, java.util.Objects.requireNonNullElse(
                        io.meshfed.model.migration.WorkloadMove.revisionOf(asMap), "none"), (a, b) -> a + "," + b);
            }
        }
        return proxies;
    }

    @Test
    @DisplayName("triangle: one migrate apply from federated to cleanup (2.6 removed, OSSM 3 alone), each phase verified; a discovery failing midway (green "
            + "refuses WorkloadEntries) stops before anything federated is deleted and reads as not done; the next run resumes; "
            + "an importAsLocal service, aliases and a label-selected export each reached through their exporter's east-west gateway")
    void triangleWithResume(QuarkusMainLauncher launcher, @TempDir Path tmp) throws IOException {
        try (SimulatedExample example = SimulatedExample.start("triangle", tmp)) {
            Simulation simulation = example.simulation();
            Path copy = example.inventory();
            Files.writeString(copy.resolve("group_vars/all/mesh.yaml"), "mesh_version: v2.6\n", java.nio.file.StandardOpenOption.APPEND);
            String inv = copy.toString();
            LaunchResult applied = launcher.launch("apply", "-i", inv);
            assertThat(applied.exitCode()).as(applied.getOutput() + applied.getErrorOutput()).isZero();

            Files.writeString(copy.resolve("group_vars/all/migration.yaml"), "mesh_migration: cleanup\n");
            var green = simulation.require("green");
            // a team's object in the control plane's namespace (meshfed created it): the cleanup prunes only 2.6's objects
            green.controllerClient().configMaps().inNamespace("green-mesh-system").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                    .withNewMetadata().withName("team-dashboards").withNamespace("green-mesh-system").endMetadata()
                    .addToData("owner", "team").build()).create();
            green.faults(io.meshfed.provisioner.simulate.Faults.NONE.withEveryNth(1, 403).onlyPaths("workloadentries").onlyFor("PATCH", "POST"));
            LaunchResult failed = launcher.launch("migrate", "apply", "-i", inv, "--verify-timeout", "20s");
            assertThat(failed.exitCode()).as(failed.getOutput() + failed.getErrorOutput()).isEqualTo(ExitCodes.FAILED);
            assertThat(failed.getOutput()).as(failed.getErrorOutput()).contains("phase prepared verified", "stopped in phase discovery: its apply did not succeed")
                    .doesNotContain("== phase cut-over");
            assertThat(green.controllerClient().genericKubernetesResources("federation.maistra.io/v1", "ServiceMeshPeer")
                    .inAnyNamespace().list().getItems()).as("nothing federated deleted").hasSize(2);
            LaunchResult status = launcher.launch("migrate", "status", "-i", inv);
            assertThat(status.getOutput()).contains("green        prepared   next phase lacks: no WorkloadEntry green-mesh-system/",
                    "federation: prepared; the inventory says cleanup");

            green.faults(io.meshfed.provisioner.simulate.Faults.NONE);
            LaunchResult resumed = launcher.launch("migrate", "apply", "-i", inv);
            assertThat(resumed.exitCode()).as(resumed.getOutput() + resumed.getErrorOutput()).isZero();
            assertThat(resumed.getOutput()).contains("phase discovery verified", "phase cut-over verified", "phase ossm3 verified",
                    "changed: [green] ServiceMeshControlPlane green-mesh-system/green-mesh (prune",
                    "changed: [green] ServiceMeshMemberRoll green-mesh-system/default (prune",
                    "changed: [green] Subscription openshift-operators/servicemeshoperator (prune",
                    "phase cleanup verified", "federation: cleanup; the inventory says cleanup").doesNotContain("== phase prepared");
            for (String cluster : List.of("blue", "green", "red")) {
                var client = simulation.require(cluster).controllerClient();
                assertThat(client.genericKubernetesResources("maistra.io/v2", "ServiceMeshControlPlane").inAnyNamespace().list()
                        .getItems()).as(cluster + ": 2.6's control plane removed").isEmpty();
                assertThat(client.genericKubernetesResources("operators.coreos.com/v1alpha1", "Subscription").inNamespace("openshift-operators")
                        .withName("servicemeshoperator").get()).isNull();
                assertThat(client.genericKubernetesResources("sailoperator.io/v1", "Istio").withName("default").get()).isNotNull();
                assertThat(client.namespaces().withName("bookinfo").get().getMetadata().getLabels())
                        .containsEntry("istio.io/rev", "default-v1-30-latest").doesNotContainKey("maistra.io/ignore-namespace");
                assertThat(client.genericKubernetesResources("gateway.networking.k8s.io/v1", "Gateway").inNamespace(cluster + "-mesh-system")
                        .withName("eastwestgateway").get().getMetadata().getLabels()).doesNotContainKey("maistra.io/ignore");
            }
            assertThat(green.controllerClient().configMaps().inNamespace("green-mesh-system").withName("team-dashboards").get()
                    .getData()).as("someone else's object survives the cleanup's prune").containsEntry("owner", "team");
            LaunchResult cleanStatus = launcher.launch("migrate", "status", "-i", inv);
            assertThat(cleanStatus.getOutput()).contains("blue         cleanup    OSSM 2.6 removed",
                    "federation: cleanup; the inventory says cleanup");
            LaunchResult doctor = launcher.launch("doctor", "-i", inv);
            assertThat(doctor.exitCode()).as(doctor.getOutput()).isZero();
            assertThat(doctor.getOutput()).contains("manual discovery", "revision");
            Map<String, String> expected = Map.of(
                    "blue", "ratings.bookinfo.svc.cluster.local",
                    "green", "red-ratings.bookinfo.svc.red-mesh-imports.local",
                    "red", "details.bookinfo.svc.green-mesh-imports.local");
            for (var e : expected.entrySet()) {
                var client = simulation.require(e.getKey()).controllerClient();
                String view = eventually(() -> endpoints(client, e.getKey() + "-mesh-system"), v -> v.contains(e.getValue()));
                assertThat(view).as(e.getKey() + "'s sidecars").contains("\"" + e.getValue() + "\":[{\"path\":\"east-west\"")
                        .doesNotContain("\"reachable\":false").doesNotContain("federation");
            }
            assertThat(endpoints(simulation.require("red").controllerClient(), "red-mesh-system"))
                    .contains("reviews.bookinfo.svc.blue-mesh-imports.local");
            assertSettled(launcher, simulation, inv, "cleanup");
        }
    }

    /** What the simulated operator made of a change, within 10 s (it reconciles after the write is answered). */
    private static <T> T eventually(java.util.function.Supplier<T> read, java.util.function.Predicate<T> done) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        T value = read.get();
        while (!done.test(value) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return value;
            }
            value = read.get();
        }
        return value;
    }

    /** At {@code phase}, a second migrate apply and a plain apply write nothing (the run lock's Leases apart). */
    private static void assertSettled(QuarkusMainLauncher launcher, Simulation simulation, String inv, String phase) {
        simulation.clusters().forEach(c -> c.requests().clear());
        LaunchResult again = launcher.launch("migrate", "apply", "-i", inv);
        assertThat(again.exitCode()).as(again.getOutput() + again.getErrorOutput()).isZero();
        assertThat(again.getOutput()).contains("nothing to do: the clusters are in phase " + phase);
        assertThat(launcher.launch("apply", "-i", inv).getOutput()).contains("(nothing to do: already converged)");
        assertThat(objectWrites(simulation)).as("writes besides the run lock, at " + phase).isZero();
    }

    /** The simulated istiod's endpoints of each imported host, as JSON. */
    private static String endpoints(io.fabric8.kubernetes.client.KubernetesClient client, String namespace) {
        var view = client.configMaps().inNamespace(namespace).withName("meshfed-simulated-discovery").get();
        return view == null ? "" : view.getData().getOrDefault("endpoints", "");
    }

    /** Writes to objects: the run lock's Leases apart. */
    private static long objectWrites(Simulation simulation) {
        return simulation.clusters().stream().flatMap(c -> c.requests().entries().stream())
                .filter(e -> !e.controller() && e.write() && !e.path().contains("/leases")).count();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> smcpSpec(Simulation simulation, String cluster) {
        GenericKubernetesResource smcp = simulation.require(cluster).controllerClient()
                .genericKubernetesResources("maistra.io/v2", "ServiceMeshControlPlane").inNamespace(cluster + "-mesh-system")
                .withName(cluster + "-mesh").get();
        return (Map<String, Object>) smcp.getAdditionalProperties().get("spec");
    }
}
