package io.meshfed.cli;

import io.meshfed.model.resource.ObjectRef;
import io.meshfed.provisioner.apply.NodeResult;
import io.meshfed.provisioner.apply.RunResult;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReportsTest {

    private static final ObjectRef GATEWAY = new ObjectRef("green", "networking.istio.io/v1beta1", "Gateway", "apps", "gw");
    private static final ObjectRef ROUTE = new ObjectRef("green", "networking.istio.io/v1beta1", "VirtualService", "apps",
            "route");
    private static final ObjectRef NS = new ObjectRef("blue", "v1", "Namespace", null, "apps");

    private static RunResult run() {
        return new RunResult(List.of(
                new NodeResult(NS, NodeResult.Outcome.CHANGED, "create", Duration.ofMillis(120), "namespace is Active", 0, 1),
                new NodeResult(GATEWAY, NodeResult.Outcome.FAILED, "error", Duration.ofMillis(30),
                        "green: create green/Gateway/apps/gw: 403 gateways is forbidden <&>", 0, 0),
                new NodeResult(ROUTE, NodeResult.Outcome.SKIPPED, "skipped", Duration.ZERO,
                        "skipped: green/Gateway/apps/gw failed", 0, 0)));
    }

    @Test
    @DisplayName("JUnit XML: a testsuite per cluster; the failure carries the server's message, escaped; skipped says why")
    void junit() throws Exception {
        String xml = Reports.junit("apply", run());
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        assertThat(doc.getElementsByTagName("testsuite").getLength()).isEqualTo(2);
        Element green = (Element) doc.getElementsByTagName("testsuite").item(1);
        assertThat(green.getAttribute("name")).isEqualTo("green");
        assertThat(green.getAttribute("failures")).isEqualTo("1");
        assertThat(green.getAttribute("skipped")).isEqualTo("1");
        Element failure = (Element) doc.getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("message")).isEqualTo("green: create green/Gateway/apps/gw: 403 gateways is forbidden <&>");
        Element skipped = (Element) doc.getElementsByTagName("skipped").item(0);
        assertThat(skipped.getAttribute("message")).isEqualTo("skipped: green/Gateway/apps/gw failed");
        Element first = (Element) doc.getElementsByTagName("testcase").item(0);
        assertThat(first.getAttribute("name")).as("the object alone: the same test on every run").isEqualTo("Namespace apps");
        Element action = (Element) first.getElementsByTagName("property").item(0);
        assertThat(action.getAttribute("name")).isEqualTo("action");
        assertThat(action.getAttribute("value")).isEqualTo("create");
        assertThat(first.getElementsByTagName("system-out").item(0).getTextContent()).isEqualTo("create: namespace is Active");
        // the same object on a no-op run: the same name
        String again = Reports.junit("apply", new RunResult(List.of(new NodeResult(NS, NodeResult.Outcome.OK, "unchanged",
                Duration.ZERO, "ok", 0, 0))));
        assertThat(again).contains("name=\"Namespace apps\"").contains("value=\"unchanged\"");
    }

    @Test
    @DisplayName("JSON report: every node with cluster, object, action, result, duration and message; the recap")
    void json() throws Exception {
        var report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(Reports.json("inv", "apply", run(),
                Duration.ofSeconds(3)));
        assertThat(report.get("succeeded").asBoolean()).isFalse();
        assertThat(report.get("recap").get("green").get("failed").asInt()).isEqualTo(1);
        var gateway = report.get("nodes").get(1);
        assertThat(gateway.get("kind").asText()).isEqualTo("Gateway");
        assertThat(gateway.get("result").asText()).isEqualTo("failed");
        assertThat(gateway.get("message").asText()).contains("403");
        assertThat(gateway.get("durationSeconds").asDouble()).isEqualTo(0.03);
    }

    @Test
    @DisplayName("what prune did counts as changes in the recap and both reports; a cluster whose orphans could not be "
            + "listed is a warning in the recap text, the JSON and the cluster's JUnit suite")
    void pruneAndWarnings() throws Exception {
        ObjectRef orphan = new ObjectRef("blue", "v1", "ConfigMap", "apps", "old");
        RunResult run = new RunResult(List.of(new NodeResult(NS, NodeResult.Outcome.OK, "unchanged", Duration.ZERO, "ok", 0,
                0))).with(List.of(new NodeResult(orphan, NodeResult.Outcome.CHANGED, "prune", Duration.ofMillis(9),
                "no longer in the inventory: deleted", 0, 1)),
                List.of(new RunResult.Warning("green", "orphans not listed: 403 configmaps is forbidden")), List.of());
        assertThat(run.changed()).isEqualTo(1);
        assertThat(run.succeeded()).isTrue();
        assertThat(run.recap().get("blue").changed()).isEqualTo(1);
        assertThat(run.recapText()).contains("warning: [green] orphans not listed: 403 configmaps is forbidden");
        var report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(Reports.json("inv", "apply", run,
                Duration.ofSeconds(1)));
        assertThat(report.get("recap").get("blue").get("changed").asInt()).isEqualTo(1);
        assertThat(report.get("nodes").get(1).get("action").asText()).isEqualTo("prune");
        assertThat(report.get("warnings").get(0).get("cluster").asText()).isEqualTo("green");
        String xml = Reports.junit("apply", run);
        assertThat(xml).contains("name=\"ConfigMap apps/old\"", "<property name=\"action\" value=\"prune\"/>",
                "<system-err>warning: orphans not listed: 403");
    }

    @Test
    @DisplayName("plan's reports: each object's action and the orphans; in JUnit an object that would change fails (drift)")
    void planReports() throws Exception {
        List<io.meshfed.provisioner.apply.Planner.Entry> entries = List.of(
                new io.meshfed.provisioner.apply.Planner.Entry(NS, "unchanged", "", null),
                new io.meshfed.provisioner.apply.Planner.Entry(GATEWAY, "update", "--- a\n+++ b\n", null));
        ObjectRef orphan = new ObjectRef("green", "v1", "ConfigMap", "apps", "old");
        var pruning = new io.meshfed.provisioner.apply.Runner.Plan(entries, List.of(new io.meshfed.provisioner.apply.Planner.Entry(
                orphan, "delete", "", "no longer in the inventory: deleted")), List.of());
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(Reports.planJson("inv", pruning, true,
                Duration.ofSeconds(2)));
        assertThat(json.get("changes").asInt()).isEqualTo(2);
        assertThat(json.get("objects").get(1).get("action").asText()).isEqualTo("update");
        assertThat(json.get("orphans").get(0).get("action").asText()).isEqualTo("delete");
        var keeping = new io.meshfed.provisioner.apply.Runner.Plan(entries, List.of(new io.meshfed.provisioner.apply.Planner.Entry(
                orphan, "orphan", "", "no longer in the inventory; apply keeps it")), List.of());
        String xml = Reports.planJunit(keeping, false);
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        assertThat(doc.getElementsByTagName("testcase").getLength()).isEqualTo(3);
        assertThat(doc.getElementsByTagName("failure").getLength()).as("the update; the orphan is kept without --prune")
                .isEqualTo(1);
    }
}
