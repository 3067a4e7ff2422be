package io.meshfed.cli;

import io.meshfed.model.doctor.FederationDoctor;
import io.meshfed.model.inventory.Connection;
import io.meshfed.model.doctor.Finding;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.provisioner.apply.ClusterClient;
import io.meshfed.provisioner.doctor.InventoryCheck;
import io.meshfed.provisioner.doctor.SnapshotReader;
import io.meshfed.model.resource.Tree;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;

/** {@code meshfed doctor}: why a federation does not work, read from the live clusters. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        header = "Checks, on the live clusters, why a federation does or does not work; reads only.",
        description = {"Reads every cluster once (one list per kind: control planes, peers, member rolls, service sets,",
                "Services, VirtualServices, Gateways, MetalLB's objects, the operator's Subscription) and checks each",
                "cluster's control plane, Service Mesh operator version and MetalLB, then for every ServiceMeshPeer the chain",
                "traffic needs: its gateways, the peer's trust domain, its CA certificate, the client ID the remote",
                "ingress admits, the address and ports it dials, the connection Maistra reports, what is exported and",
                "imported, and the routes to the peer's services. Each check prints ok, FAIL, WARN or unknown with the",
                "values compared and where they were read, and for a failure what to change where.",
                "With -i, the clusters of the inventory, and first whether each holds what the inventory renders (plan's",
                "comparison: not applied yet, or changed since). With --context (no inventory), the clusters of those",
                "kubeconfig contexts: the federation is discovered there, as someone built it by hand."})
public class DoctorCommand implements Callable<Integer> {

    enum Format { text, json }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    /** The clusters to check: an inventory's, or kubeconfig contexts'. */
    static class Target {
        @Option(names = {"-i", "--inventory"}, paramLabel = "PATH", description = "The inventory (as for apply).")
        Path inventory;

        @Option(names = "--context", paramLabel = "CONTEXT", split = ",", description = "A kubeconfig context to check, "
                + "without an inventory; give one per cluster (--context blue --context green, or blue,green).")
        List<String> contexts;
    }

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "The kubeconfig of the --context clusters "
            + "(default: KUBECONFIG, or ~/.kube/config).")
    Path kubeconfig;

    @Mixin
    RunMixin run;

    @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "FORMAT", description = "text (default) or json.")
    Format format;

    @Spec
    CommandSpec spec;

    @jakarta.inject.Inject
    RunState state;

    @Override
    public Integer call() {
        if (target.contexts != null && run.simulate) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--simulate needs an inventory (-i)");
        }
        if (target.inventory != null && kubeconfig != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--kubeconfig goes with --context; an "
                    + "inventory names its kubeconfig per host");
        }
        Inventory inv = null;
        if (target.inventory != null) {
            InventoryOption option = new InventoryOption();
            option.path = target.inventory;
            inv = option.load();
        }
        List<Finding> findings;
        try (Session session = inv != null ? Session.open(inv, run, spec, state, true) : Session.open(contexts(), run, spec, state)) {
            if (session == null) {
                return ExitCodes.UNREACHABLE;
            }
            Map<String, ClusterClient> reachable = new LinkedHashMap<>(session.clients);
            reachable.keySet().removeAll(session.unreachable);   // --skip-unreachable: check the others
            Map<String, Finding> compared = inv == null ? Map.of()
                    : InventoryCheck.compare(inv, session.clients, session.unreachable);
            findings = FederationDoctor.check(SnapshotReader.read(reachable), compared);
        }
        PrintWriter out = spec.commandLine().getOut();
        String json = Output.json(Tree.map("findings", findings.stream().map(DoctorCommand::json).toList(),
                "summary", summary(findings)));
        if (format == Format.json) {
            out.print(json);
        } else {
            print(out, findings);
        }
        out.flush();
        try {
            if (run.reportJson != null) {
                java.nio.file.Files.writeString(run.reportJson, VaultMask.masked(json));
            }
            if (run.junit != null) {
                java.nio.file.Files.writeString(run.junit, VaultMask.masked(Reports.doctorJunit(findings)));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write the report: " + e.getMessage(), e);
        }
        return findings.stream().anyMatch(f -> f.status() == Finding.Status.FAIL) ? ExitCodes.DOCTOR_FAILED : ExitCodes.OK;
    }

    /** Each context as a cluster of its name, from --kubeconfig or where kubectl looks. */
    private Map<String, Connection> contexts() {
        Map<String, Connection> clusters = new LinkedHashMap<>();
        target.contexts.forEach(c -> clusters.put(c, new Connection(c, kubeconfig == null ? null : kubeconfig.toString(), false)));
        return clusters;
    }

    private static void print(PrintWriter out, List<Finding> findings) {
        String heading = null;
        for (Finding f : findings) {
            String next = f.peer() == null ? f.cluster() : f.cluster() + " -> " + f.peer();
            if (!next.equals(heading)) {
                out.println(next);
                heading = next;
            }
            out.printf("  %-7s %-15s %s%n", f.status() == Finding.Status.OK ? "ok" : f.status() == Finding.Status.UNKNOWN
                    ? "unknown" : f.status().name(), f.check(), f.evidence());
            if (f.fix() != null) {
                out.printf("  %-7s %-15s fix: %s%n", "", "", f.fix());
            }
        }
        Map<String, Object> summary = summary(findings);
        out.printf("%nsummary: %s ok, %s FAIL, %s WARN, %s unknown%n", summary.get("ok"), summary.get("fail"),
                summary.get("warn"), summary.get("unknown"));
    }

    private static Map<String, Object> json(Finding f) {
        return Tree.map("cluster", f.cluster(), "peer", f.peer(), "check", f.check(),
                "status", f.status().name().toLowerCase(), "evidence", f.evidence(), "fix", f.fix());
    }

    private static Map<String, Object> summary(List<Finding> findings) {
        Map<String, Object> summary = new java.util.LinkedHashMap<>();
        for (Finding.Status s : Finding.Status.values()) {
            summary.put(s.name().toLowerCase(), findings.stream().filter(f -> Objects.equals(f.status(), s)).count());
        }
        return summary;
    }
}
