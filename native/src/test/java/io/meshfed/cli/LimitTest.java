package io.meshfed.cli;

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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code apply --limit} and {@code plan --limit} (as ansible-playbook -l) on the seed's blue-green federation, on
 * simulated clusters: the limited cluster is converged with the values it reads from the other (its peer's address
 * and CA), the other is read and never written, pruned or recorded; a team's object survives the limited prune.
 */
@QuarkusMainTest
class LimitTest {

    @Test
    @DisplayName("blue-green: plan and apply --limit green change green alone, read blue's values, prune green's orphans "
            + "alone; blue keeps its own until a run without --limit; a pattern naming no cluster is bad input; destroy --limit "
            + "green keeps a team's object and its namespace, and blue")
    void limitToGreen(QuarkusMainLauncher launcher, @TempDir Path tmp) throws IOException {
        try (SimulatedExample example = SimulatedExample.start("blue-green", tmp)) {
            Simulation simulation = example.simulation();
            Path copy = example.inventory();
            Path hosts = copy.resolve("hosts.yaml");
            String withKubeconfig = Files.readString(hosts);
            Files.writeString(copy.resolve("apps/settings.yaml"), """
                    apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: settings, namespace: nfs-app-istio}
                    data: {tier: gold}
                    """);
            Files.writeString(hosts, withKubeconfig.replace("mesh_manifests: [apps/app-blue.yaml]",
                    "mesh_manifests: [apps/app-blue.yaml, apps/settings.yaml]").replace("mesh_manifests: [apps/app-green.yaml]",
                    "mesh_manifests: [apps/app-green.yaml, apps/settings.yaml]"));
            String inv = copy.toString();
            LaunchResult applied = launcher.launch("apply", "-i", inv);
            assertThat(applied.exitCode()).as(applied.getOutput() + applied.getErrorOutput()).isZero();

            // the settings leave the inventory, the SMCPs change on both clusters, green loses its peer
            Files.writeString(hosts, withKubeconfig);
            Path mesh = copy.resolve("group_vars/all/mesh.yaml");
            Files.writeString(mesh, Files.readString(mesh).replace("imagePullPolicy: Always", "imagePullPolicy: IfNotPresent"));
            var blue = simulation.require("blue").controllerClient();
            var green = simulation.require("green").controllerClient();
            green.genericKubernetesResources("federation.maistra.io/v1", "ServiceMeshPeer").inNamespace("green-mesh-system")
                    .withName("blue-mesh").delete();
            green.configMaps().inNamespace("nfs-app-istio").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                    .withNewMetadata().withName("team-notes").withNamespace("nfs-app-istio").endMetadata()
                    .addToData("owner", "team").build()).create();

            LaunchResult plan = launcher.launch("plan", "-i", inv, "--limit", "green", "--prune", "--no-diff");
            assertThat(plan.exitCode()).as(plan.getOutput() + plan.getErrorOutput()).isZero();
            assertThat(plan.getOutput()).contains("update:   [green] ServiceMeshControlPlane green-mesh-system/green-mesh",
                    "create:   [green] ServiceMeshPeer green-mesh-system/blue-mesh",
                    "delete:   [green] ConfigMap nfs-app-istio/settings").doesNotContain("[blue]");

            simulation.clusters().forEach(c -> c.requests().clear());
            LaunchResult limited = launcher.launch("apply", "-i", inv, "--limit", "green", "--prune");
            assertThat(limited.exitCode()).as(limited.getOutput() + limited.getErrorOutput()).isZero();
            assertThat(limited.getOutput()).contains("applying", "on 1 clusters", "[green] ServiceMeshPeer green-mesh-system/blue-mesh (create",
                    "[green] ConfigMap nfs-app-istio/settings (prune").doesNotContain("] [blue]").doesNotContain("changed: [blue]");
            assertThat(simulation.require("blue").requests().entries().stream()
                    .filter(e -> !e.controller() && e.write() && !e.path().contains("/leases")).toList())
                    .as("writes on blue besides the run lock").isEmpty();
            String address = blue.services().inNamespace("blue-mesh-system").withName("ingress-green-mesh").get()
                    .getStatus().getLoadBalancer().getIngress().get(0).getIp();
            assertThat(green.genericKubernetesResources("federation.maistra.io/v1", "ServiceMeshPeer").inNamespace("green-mesh-system")
                    .withName("blue-mesh").get().getAdditionalProperties().get("spec").toString())
                    .as("blue's address, read from blue").contains("addresses=[" + address + "]");
            assertThat(blue.configMaps().inNamespace("nfs-app-istio").withName("settings").get()).as("blue's own, not pruned")
                    .isNotNull();
            assertThat(green.configMaps().inNamespace("nfs-app-istio").withName("settings").get()).isNull();
            assertThat(green.configMaps().inNamespace("nfs-app-istio").withName("team-notes").get().getData())
                    .as("a team's object survives the prune").containsEntry("owner", "team");
            assertThat(blue.genericKubernetesResources("maistra.io/v2", "ServiceMeshControlPlane").inNamespace("blue-mesh-system")
                    .withName("blue-mesh").get().getAdditionalProperties().get("spec").toString()).contains("imagePullPolicy=Always");

            LaunchResult everywhere = launcher.launch("apply", "-i", inv, "--prune");
            assertThat(everywhere.exitCode()).as(everywhere.getOutput() + everywhere.getErrorOutput()).isZero();
            assertThat(everywhere.getOutput()).contains("changed: [blue] ServiceMeshControlPlane blue-mesh-system/blue-mesh (update",
                    "changed: [blue] ConfigMap nfs-app-istio/settings (prune").doesNotContain("changed: [green]");

            LaunchResult nothing = launcher.launch("apply", "-i", inv, "--limit", "yellow*");
            assertThat(nothing.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(nothing.getErrorOutput()).contains("--limit yellow*: 'yellow*' matches no group and no host");
            assertThat(List.of(launcher.launch("plan", "-i", inv, "-l", "meshes:!blue", "--no-diff").getOutput()))
                    .singleElement().asString().contains("Plan: 0 to create").doesNotContain("[blue]");

            // destroy --limit green: green's own objects go; the team's ConfigMap survives, and with it the namespace
            // meshfed created; blue is left as it is
            LaunchResult destroyed = launcher.launch("destroy", "-i", inv, "--limit", "green");
            assertThat(destroyed.exitCode()).as(destroyed.getOutput() + destroyed.getErrorOutput()).isZero();
            assertThat(green.configMaps().inNamespace("nfs-app-istio").withName("team-notes").get().getData())
                    .as("a team's object survives destroy").containsEntry("owner", "team");
            assertThat(green.namespaces().withName("nfs-app-istio").get()).as("the namespace holding it is kept").isNotNull();
            assertThat(green.genericKubernetesResources("maistra.io/v2", "ServiceMeshControlPlane").inNamespace("green-mesh-system")
                    .withName("green-mesh").get()).isNull();
            assertThat(blue.genericKubernetesResources("maistra.io/v2", "ServiceMeshControlPlane").inNamespace("blue-mesh-system")
                    .withName("blue-mesh").get()).as("blue left as it is").isNotNull();
        }
    }
}
