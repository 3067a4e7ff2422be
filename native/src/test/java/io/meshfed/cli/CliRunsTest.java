package io.meshfed.cli;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.meshfed.cli.CliTest.example;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line's runs against simulated clusters (apply, plan, serve, doctor with --simulate or on clusters
 * started here), end to end; run again against the packaged application by {@link CliRunsIT}. Apart from
 * {@link CliTest} so that the two run side by side.
 */
@QuarkusMainTest
class CliRunsTest {

    @Test
    @DisplayName("doctor on clusters with no control plane: each named as a failing check with its fix, exit 6; as JSON, "
            + "and in --report-json and --junit files")
    void doctorOnEmptyClusters(QuarkusMainLauncher launcher, @TempDir Path tmp) throws IOException {
        // clusters meshfed never ran on (doctor --simulate applies the inventory first): started here, and reached
        // through a kubeconfig the inventory's hosts name
        var inventory = io.meshfed.inventory.InventoryLoader.load(Path.of(example("blue-green")));
        try (var simulation = io.meshfed.provisioner.simulate.SimulatedInventory.start(inventory,
                io.meshfed.provisioner.simulate.SimulationTiming.INSTANT)) {
            Path kubeconfig = Files.writeString(tmp.resolve("kubeconfig"),
                    io.meshfed.provisioner.simulate.SimulatedInventory.kubeconfig(inventory, simulation));
            Path copy = tmp.resolve("blue-green");
            try (var files = Files.walk(Path.of(example("blue-green")))) {
                for (Path p : files.toList()) {
                    Path target = copy.resolve(Path.of(example("blue-green")).relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target);
                    }
                }
            }
            Path hosts = copy.resolve("hosts.yaml");
            Files.writeString(hosts, Files.readString(hosts).replaceAll("(kube_context: \\w+\\n)",
                    "$1          kubeconfig: " + kubeconfig + "\n"));
            doctorOnEmptyClusters(launcher, tmp, copy.toString());
        }
    }

    private static void doctorOnEmptyClusters(QuarkusMainLauncher launcher, Path tmp, String inventory) throws IOException {
        LaunchResult text = launcher.launch("doctor", "-i", inventory);
        assertThat(text.exitCode()).as(text.getErrorOutput()).isEqualTo(6);
        assertThat(text.getOutput()).contains("blue\n  FAIL    inventory       not applied yet: 25 of 25 objects the inventory "
                        + "renders are missing (Namespace openshift-operators-redhat, ",
                "\n  FAIL    control plane   no ServiceMeshControlPlane on blue\n",
                "fix: install the Service Mesh operator", "summary: 0 ok, 4 FAIL, 0 WARN, 2 unknown");
        Path junit = tmp.resolve("doctor.xml");
        Path report = tmp.resolve("doctor.json");
        LaunchResult json = launcher.launch("doctor", "-i", inventory, "-o", "json",
                "--junit", junit.toString(), "--report-json", report.toString());
        assertThat(json.exitCode()).isEqualTo(6);
        assertThat(Files.readString(junit)).contains("<testsuite name=\"blue\" tests=\"3\" failures=\"2\" skipped=\"1\">",
                "<testcase classname=\"blue\" name=\"control plane\"><failure message=\"no ServiceMeshControlPlane on blue\">");
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(Files.readString(report)).get("summary")
                .get("fail").asInt()).isEqualTo(4);
        String output = json.getOutput();
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(output.substring(output.indexOf("{\n")));
        assertThat(tree.get("summary").get("fail").asInt()).isEqualTo(4);
        assertThat(tree.get("findings").get(1).get("status").asText()).isEqualTo("fail");
        assertThat(tree.get("findings").get(1).get("check").asText()).isEqualTo("control plane");
    }

    @Test
    @DisplayName("apply --simulate converges blue-green and says so; plan --simulate shows creates and writes nothing")
    void applySimulated(QuarkusMainLauncher launcher, @TempDir Path tmp) throws Exception {
        LaunchResult apply = launcher.launch("apply", "-i", example("blue-green"), "--simulate", "--diff",
                "--report-json", tmp.resolve("report.json").toString(), "--junit", tmp.resolve("junit.xml").toString());
        assertThat(apply.exitCode()).as(apply.getErrorOutput()).isZero();
        assertThat(apply.getOutput()).as("--diff: what was written, as the server stored it")
                .contains("+++ planned/green/ServiceMeshPeer/green-mesh-system/blue-mesh", "+kind: ServiceMeshPeer");
        assertThat(apply.getOutput()).contains("PLAY RECAP", "blue ", "green ", "failed=0", "changed=25",
                "changed: [green] ImportedServiceSet green-mesh-system/blue-mesh");
        var report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(tmp.resolve("report.json").toFile());
        assertThat(report.get("succeeded").asBoolean()).isTrue();
        assertThat(report.get("nodes")).hasSize(54);
        assertThat(report.get("recap").get("green").get("changed").asInt()).isEqualTo(25);
        assertThat(report.get("nodes").get(0).get("result").asText()).isEqualTo("changed");
        var junit = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(tmp.resolve("junit.xml").toFile());
        assertThat(junit.getElementsByTagName("testsuite").getLength()).isEqualTo(2);
        assertThat(junit.getElementsByTagName("testcase").getLength()).isEqualTo(54);
        assertThat(junit.getElementsByTagName("failure").getLength()).isZero();
        LaunchResult plan = launcher.launch("plan", "-i", example("blue-green"), "--simulate", "--no-diff",
                "--report-json", tmp.resolve("plan.json").toString(), "--junit", tmp.resolve("plan.xml").toString());
        assertThat(plan.exitCode()).isZero();
        var planned = new com.fasterxml.jackson.databind.ObjectMapper().readTree(tmp.resolve("plan.json").toFile());
        assertThat(planned.get("changes").asInt()).isEqualTo(50);
        assertThat(planned.get("objects")).hasSize(54);
        assertThat(java.nio.file.Files.readString(tmp.resolve("plan.xml"))).contains("name=\"ServiceMeshPeer blue-mesh-system/green-mesh\"", "value=\"create\"");
        assertThat(plan.getOutput()).contains("create:   [blue] ServiceMeshPeer blue-mesh-system/green-mesh",
                "Plan: 50 to create, 0 to adopt, 0 to update, 0 unchanged (4 read only). Nothing was written.",
                // a kind no CRD serves yet: its operator, in the same plan, brings it
                "create:   [blue] ServiceMeshControlPlane blue-mesh-system/blue-mesh: shown as rendered: the cluster cannot "
                        + "dry-run it yet (does it serve ServiceMeshControlPlane maistra.io/v2? an operator of the graph may bring it");
        LaunchResult drift = launcher.launch("plan", "-i", example("blue-green"), "--simulate", "--no-diff", "--exit-code");
        assertThat(drift.exitCode()).as("plan --exit-code with changes to make").isEqualTo(ExitCodes.CHANGES);
    }

    @Test
    @DisplayName("a run that cannot converge in time: exit code 1, the recap and what each stuck object waited for")
    void failedRun(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("apply", "-i", example("blue-green"), "--simulate", "--timeout", "1s");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.getOutput()).contains("PLAY RECAP", "failed: ", "the run timed out after 1s while waiting: ");
    }

    @Test
    @DisplayName("serve converges again every interval: the second run on the same clusters changes nothing")
    void serve(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("serve", "-i", example("blue-green"), "--simulate", "--interval", "1s",
                "--runs", "2");
        assertThat(result.exitCode()).isZero();
        String out = result.getOutput();
        assertThat(out).contains("run 1 at ", "run 2 at ", "stopped");
        assertThat(out).containsPattern("run 2 at \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d");
        assertThat(out.substring(out.indexOf("run 2"))).contains("0 changed in", "nothing to do: already converged");
        assertThat(out.substring(0, out.indexOf("run 2"))).contains("50 changed in");
    }

    @Test
    @DisplayName("doctor with --simulate looks at clusters the inventory was applied to first (they start empty), and says so; "
            + "it passes (destroy --simulate goes the same way: Session.open's convergedFirst)")
    void simulateConvergesFirstForDoctor(QuarkusMainLauncher launcher) {
        LaunchResult doctor = launcher.launch("doctor", "-i", example("blue-green"), "--simulate");
        assertThat(doctor.exitCode()).as(doctor.getOutput() + doctor.getErrorOutput()).isZero();
        assertThat(doctor.getErrorOutput()).contains("simulated clusters start empty: the inventory was applied to them first "
                + "(54 objects, 0 failed");
        assertThat(doctor.getOutput()).contains("blue -> green", "connection", "summary: 26 ok, 0 FAIL");
    }
}
