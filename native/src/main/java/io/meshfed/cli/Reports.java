package io.meshfed.cli;

import io.meshfed.model.resource.ObjectRef;
import io.meshfed.provisioner.apply.NodeResult;
import io.meshfed.provisioner.apply.RunResult;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Machine-readable reports of a run, for pipelines: JSON (every node with its cluster, object,
 * action, duration, result and message) and JUnit XML (one testsuite per cluster, one testcase per
 * object; failures carry the server's message), which CI systems show as test results.
 */
final class Reports {

    private Reports() {
    }

    static String json(String inventory, String command, RunResult run, Duration wall) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("inventory", inventory);
        report.put("command", command);
        report.put("succeeded", run.succeeded());
        report.put("interruption", run.interruption());
        report.put("durationSeconds", seconds(wall));
        Map<String, Object> recap = new LinkedHashMap<>();
        run.recap().forEach((cluster, r) -> recap.put(cluster, Map.of("ok", r.ok(), "changed", r.changed(),
                "unreachable", r.unreachable(), "failed", r.failed(), "skipped", r.skipped())));
        report.put("recap", recap);
        List<Object> nodes = new ArrayList<>();
        for (NodeResult r : run.results()) {
            Map<String, Object> node = object(r.ref());
            node.put("action", r.action());
            node.put("result", r.outcome().name().toLowerCase());
            node.put("durationSeconds", seconds(r.duration()));
            node.put("message", r.message());
            nodes.add(node);
        }
        report.put("nodes", nodes);
        List<Object> warnings = new ArrayList<>();
        for (RunResult.Warning w : run.warnings()) {
            Map<String, Object> warning = new LinkedHashMap<>();
            warning.put("cluster", w.cluster());
            warning.put("message", w.message());
            warnings.add(warning);
        }
        report.put("warnings", warnings);
        return Output.json(report);
    }

    static String junit(String command, RunResult run) {
        return testsuites("meshfed " + command, xml -> {
            Map<String, List<NodeResult>> byCluster = new LinkedHashMap<>();
            run.results().forEach(r -> byCluster.computeIfAbsent(r.ref().cluster(), k -> new ArrayList<>()).add(r));
            run.warnings().stream().filter(w -> w.cluster() != null)
                    .forEach(w -> byCluster.computeIfAbsent(w.cluster(), k -> new ArrayList<>()));
            for (Map.Entry<String, List<NodeResult>> suite : byCluster.entrySet()) {
                List<NodeResult> cases = suite.getValue();
                xml.writeCharacters("\n  ");
                xml.writeStartElement("testsuite");
                xml.writeAttribute("name", suite.getKey());
                xml.writeAttribute("tests", String.valueOf(cases.size()));
                xml.writeAttribute("failures", String.valueOf(count(cases, NodeResult.Outcome.FAILED)
                        + count(cases, NodeResult.Outcome.UNREACHABLE)));
                xml.writeAttribute("skipped", String.valueOf(count(cases, NodeResult.Outcome.SKIPPED)));
                xml.writeAttribute("time", String.valueOf(seconds(cases.stream().map(NodeResult::duration)
                        .reduce(Duration.ZERO, Duration::plus))));
                for (NodeResult r : cases) {
                    xml.writeCharacters("\n    ");
                    xml.writeStartElement("testcase");
                    xml.writeAttribute("classname", suite.getKey());
                    // the name is the object alone: the same object is the same test on every run (CI keeps its
                    // history); what was done with it goes in the case's properties and output
                    xml.writeAttribute("name", r.ref().describe());
                    xml.writeAttribute("time", String.valueOf(seconds(r.duration())));
                    xml.writeStartElement("properties");
                    xml.writeEmptyElement("property");
                    xml.writeAttribute("name", "action");
                    xml.writeAttribute("value", r.action());
                    xml.writeEndElement();
                    switch (r.outcome()) {
                        case FAILED, UNREACHABLE -> {
                            xml.writeStartElement("failure");
                            xml.writeAttribute("message", r.message() == null ? "" : r.message());
                            xml.writeAttribute("type", r.outcome().name().toLowerCase());
                            xml.writeCharacters(r.message() == null ? "" : r.message());
                            xml.writeEndElement();
                        }
                        case SKIPPED -> {
                            xml.writeEmptyElement("skipped");
                            xml.writeAttribute("message", r.message() == null ? "" : r.message());
                        }
                        default -> {
                        }
                    }
                    xml.writeStartElement("system-out");
                    xml.writeCharacters(r.action() + (r.message() == null || r.message().isEmpty() ? "" : ": " + r.message()));
                    xml.writeEndElement();
                    xml.writeEndElement();
                }
                List<String> warnings = run.warnings().stream().filter(w -> suite.getKey().equals(w.cluster())
                        || w.cluster() == null).map(w -> "warning: " + w.message()).toList();
                if (!warnings.isEmpty()) {
                    xml.writeCharacters("\n    ");
                    xml.writeStartElement("system-err");
                    xml.writeCharacters(String.join("\n", warnings));
                    xml.writeEndElement();
                }
                xml.writeCharacters("\n  ");
                xml.writeEndElement();
            }
        });
    }

    /** What writes the testsuites of a JUnit document. */
    @FunctionalInterface
    private interface Suites {
        void write(XMLStreamWriter xml) throws XMLStreamException;
    }

    /** A JUnit XML document: {@code <testsuites name=...>} around what {@code suites} writes. */
    private static String testsuites(String name, Suites suites) {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            xml.writeStartElement("testsuites");
            xml.writeAttribute("name", name);
            suites.write(xml);
            xml.writeCharacters("\n");
            xml.writeEndElement();
            xml.writeCharacters("\n");
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    /** plan's JSON report: every object's planned action, the orphans, and how many changes apply would make. */
    static String planJson(String inventory, io.meshfed.provisioner.apply.Runner.Plan plan, boolean prune, Duration wall) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("inventory", inventory);
        report.put("command", prune ? "plan --prune" : "plan");
        report.put("durationSeconds", seconds(wall));
        report.put("changes", plan.entries().stream().filter(e -> changes(e.action())).count()
                + (prune ? plan.orphans().stream().filter(e -> changes(e.action())).count() : 0));
        report.put("objects", planned(plan.entries()));
        report.put("orphans", planned(plan.orphans()));
        return Output.json(report);
    }

    private static List<Object> planned(List<io.meshfed.provisioner.apply.Planner.Entry> entries) {
        List<Object> objects = new ArrayList<>();
        for (var e : entries) {
            Map<String, Object> node = object(e.ref());
            node.put("action", e.action());
            if (e.note() != null) {
                node.put("note", e.note());
            }
            objects.add(node);
        }
        return objects;
    }

    /**
     * doctor's JUnit report: a testsuite per cluster and direction ({@code blue -> green}), a testcase per
     * check; FAIL is a failure (its evidence and fix), unknown is skipped, WARN passes with its evidence.
     */
    static String doctorJunit(List<io.meshfed.model.doctor.Finding> findings) {
        return testsuites("meshfed doctor", xml -> {
            Map<String, List<io.meshfed.model.doctor.Finding>> suites = new LinkedHashMap<>();
            findings.forEach(f -> suites.computeIfAbsent(f.peer() == null ? f.cluster() : f.cluster() + " -> " + f.peer(),
                    k -> new ArrayList<>()).add(f));
            for (Map.Entry<String, List<io.meshfed.model.doctor.Finding>> suite : suites.entrySet()) {
                List<io.meshfed.model.doctor.Finding> cases = suite.getValue();
                xml.writeCharacters("\n  ");
                xml.writeStartElement("testsuite");
                xml.writeAttribute("name", suite.getKey());
                xml.writeAttribute("tests", String.valueOf(cases.size()));
                xml.writeAttribute("failures", String.valueOf(cases.stream()
                        .filter(f -> f.status() == io.meshfed.model.doctor.Finding.Status.FAIL).count()));
                xml.writeAttribute("skipped", String.valueOf(cases.stream()
                        .filter(f -> f.status() == io.meshfed.model.doctor.Finding.Status.UNKNOWN).count()));
                for (io.meshfed.model.doctor.Finding f : cases) {
                    xml.writeCharacters("\n    ");
                    xml.writeStartElement("testcase");
                    xml.writeAttribute("classname", suite.getKey());
                    xml.writeAttribute("name", f.check());
                    switch (f.status()) {
                        case FAIL -> {
                            xml.writeStartElement("failure");
                            xml.writeAttribute("message", f.evidence());
                            xml.writeCharacters(f.evidence() + (f.fix() == null ? "" : "\nfix: " + f.fix()));
                            xml.writeEndElement();
                        }
                        case UNKNOWN -> {
                            xml.writeEmptyElement("skipped");
                            xml.writeAttribute("message", f.evidence());
                        }
                        default -> {
                            xml.writeStartElement("system-out");
                            xml.writeCharacters(f.evidence());
                            xml.writeEndElement();
                        }
                    }
                    xml.writeEndElement();
                }
                xml.writeCharacters("\n  ");
                xml.writeEndElement();
            }
        });
    }

    /**
     * plan's JUnit report: a testcase per object; one that would change is a failure (for drift checks),
     * one the account may not read is skipped.
     */
    static String planJunit(io.meshfed.provisioner.apply.Runner.Plan plan, boolean prune) {
        List<NodeResult> cases = new ArrayList<>();
        for (var e : plan.entries()) {
            cases.add(new NodeResult(e.ref(), changes(e.action()) ? NodeResult.Outcome.FAILED
                    : e.action().equals(io.meshfed.provisioner.apply.Planner.UNKNOWN) ? NodeResult.Outcome.SKIPPED
                    : NodeResult.Outcome.OK, e.action(), Duration.ZERO,
                    "would " + e.action() + (e.note() == null ? "" : ": " + e.note()), 0, 0));
        }
        for (var o : plan.orphans()) {
            boolean change = prune && changes(o.action());
            cases.add(new NodeResult(o.ref(), change ? NodeResult.Outcome.FAILED : NodeResult.Outcome.OK, o.action(),
                    Duration.ZERO, o.note(), 0, 0));
        }
        return junit("plan", new RunResult(cases));
    }

    /** Whether a planned action writes (what plan --exit-code counts). */
    static boolean changes(String action) {
        return switch (action) {
            case "create", "update", "adopt", "delete", "release", "hand-over" -> true;
            default -> false;
        };
    }

    private static Map<String, Object> object(ObjectRef ref) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("cluster", ref.cluster());
        node.put("apiVersion", ref.apiVersion());
        node.put("kind", ref.kind());
        node.put("namespace", ref.namespace());
        node.put("name", ref.name());
        return node;
    }

    private static long count(List<NodeResult> results, NodeResult.Outcome outcome) {
        return results.stream().filter(r -> r.outcome() == outcome).count();
    }

    private static double seconds(Duration d) {
        return Math.round(d.toMillis() / 10.0) / 100.0;
    }
}
