package io.meshfed.model.doctor;

import io.meshfed.model.doctor.ServiceSetRules.Name;
import io.meshfed.model.doctor.ServiceSets.Export;
import io.meshfed.model.resource.Tree;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import static io.meshfed.model.doctor.MeshObjects.where;

/**
 * What one mesh exports to a peer and imports from it (FEDERATION.md "Name matching and placement",
 * "Selectors and wildcards", causes 4 and 5): service sets named exactly like the peer, in the control
 * plane's namespace; every rule selecting something; exported Services in the mesh and visible to its
 * control plane; import rules naming the exported names, not the exporter's local ones.
 */
final class ServiceSetChecks {

    private ServiceSetChecks() {
    }

    /** FEDERATION.md "Name matching", "Selectors", cause 5: what {@code mesh} exports to the peer. */
    static Finding exports(Direction d) {
        String check = "exports";
        if (!d.mesh().serves(ServiceSets.EXPORTS)) {
            return d.unknown(check, d.mesh().cluster() + " does not serve ExportedServiceSets");
        }
        Optional<Map<String, Object>> set = d.mesh().find(ServiceSets.EXPORTS, d.namespace(), d.peerName());
        if (set.isEmpty()) {
            Optional<Finding> misplaced = misplaced(d, ServiceSets.EXPORTS, "exported");
            if (misplaced.isPresent()) {
                return misplaced.get();
            }
            Optional<Map<String, Object>> wanted = d.back().flatMap(b -> d.other().find(ServiceSets.IMPORTS,
                    ClusterSnapshot.namespace(b), ClusterSnapshot.name(b)));
            return wanted.isPresent()
                    ? d.fail(check, where(d.other().cluster(), wanted.get()) + " imports from " + d.mesh().cluster()
                            + ", but " + d.mesh().cluster() + " has no ExportedServiceSet " + d.namespace() + "/" + d.peerName(),
                            "create ExportedServiceSet " + d.peerName() + " in " + d.namespace() + " on " + d.mesh().cluster())
                    : d.ok(check, d.mesh().cluster() + " exports nothing to " + d.other().cluster() + " (no ExportedServiceSet "
                            + d.namespace() + "/" + d.peerName() + ", and " + d.other().cluster() + " imports nothing)");
        }
        String setWhere = where(d.mesh().cluster(), set.get());
        List<String> members = ServiceSets.members(d.mesh(), d.namespace());
        List<Map<String, Object>> rules = Tree.maps(set.get(), "spec", "exportRules");
        List<Map<String, Object>> services = ServiceSets.exportable(d.mesh(), d.namespace());
        List<String> problems = new ArrayList<>();
        List<String> fixes = new ArrayList<>();
        List<String> shadowed = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            Map<String, Object> rule = rules.get(i);
            String ruleText = "exportRules[" + i + "] (" + ServiceSetRules.describe(rule) + ")";
            String skipped = ServiceSetRules.skippedExport(rule);
            if (skipped != null) {
                problems.add(setWhere + " " + ruleText + ": " + skipped + ", so Maistra skips it");
                fixes.add("give " + ruleText + " of " + setWhere + " a NameSelector or LabelSelector");
                continue;
            }
            if (services.stream().anyMatch(s -> ServiceSets.firstRule(rules, s) == rule)) {
                continue;
            }
            if (services.stream().anyMatch(s -> ServiceSets.selects(rule, s))) {
                shadowed.add(ruleText + " selects only Services an earlier rule takes (the first match wins)");
                continue;
            }
            Optional<Map<String, Object>> outside = d.mesh().all("Service").stream()
                    .filter(s -> !members.contains(ClusterSnapshot.namespace(s)))
                    .filter(s -> ServiceSets.selects(rule, s)).findFirst();
            if (outside.isPresent()) {
                String ns = ClusterSnapshot.namespace(outside.get());
                problems.add(setWhere + " " + ruleText + " selects Service " + MeshObjects.ref(outside.get()) + ", but " + ns
                        + " is not a member of the mesh (members: " + members + ")");
                fixes.add("add " + ns + " to the ServiceMeshMemberRoll in " + d.namespace() + " on " + d.mesh().cluster());
            } else {
                problems.add(setWhere + " " + ruleText + " selects no Service of the mesh's members " + members);
                fixes.add("correct " + ruleText + " of " + setWhere + " to name a Service that exists");
            }
        }
        for (Map<String, Object> service : d.mesh().all("Service")) {
            if (members.contains(ClusterSnapshot.namespace(service)) && !ServiceSets.visible(service, d.namespace())
                    && rules.stream().anyMatch(r -> ServiceSets.selects(r, service))) {
                problems.add(where(d.mesh().cluster(), service) + " is selected but hidden from the control plane by its "
                        + "networking.istio.io/exportTo " + ServiceSets.annotation(service));
                fixes.add("add " + d.namespace() + " to the exportTo annotation of " + where(d.mesh().cluster(), service));
            }
        }
        if (!problems.isEmpty()) {
            return d.fail(check, String.join("; ", problems), String.join("; ", fixes));
        }
        List<String> expected = ServiceSets.computed(d.mesh(), set.get()).stream().map(Export::exportedName).sorted().toList();
        List<String> listed = Tree.maps(set.get(), "status", "exportedServices").stream()
                .map(e -> String.valueOf(e.get("exportedName"))).sorted().toList();
        if (!expected.equals(listed)) {
            return d.warn(check, setWhere + " status lists " + listed + "; its rules select " + expected
                    + " (istiod has not updated it yet, or is not running)", null);
        }
        return shadowed.isEmpty()
                ? d.ok(check, setWhere + " exports " + expected)
                : d.warn(check, setWhere + " exports " + expected + "; " + String.join("; ", shadowed),
                        "remove the rule or move it before the rule that takes its Services");
    }

    /** FEDERATION.md "Names", cause 4: what {@code mesh} imports from the peer, and as which hosts. */
    static Finding imports(Direction d) {
        String check = "imports";
        if (!d.mesh().serves(ServiceSets.IMPORTS)) {
            return d.unknown(check, d.mesh().cluster() + " does not serve ImportedServiceSets");
        }
        if (d.back().isEmpty()) {
            return d.unknown(check, "no ServiceMeshPeer on " + d.other().cluster() + " for " + d.mesh().cluster()
                    + ": what it exports is unknown");
        }
        Map<String, Object> back = d.back().get();
        Optional<Map<String, Object>> exporterSet = d.other().find(ServiceSets.EXPORTS, ClusterSnapshot.namespace(back),
                ClusterSnapshot.name(back));
        List<Export> offered = exporterSet.map(s -> ServiceSets.exportedBy(d.other(), s)).orElse(List.of());
        Optional<Map<String, Object>> set = d.mesh().find(ServiceSets.IMPORTS, d.namespace(), d.peerName());
        if (set.isEmpty()) {
            Optional<Finding> misplaced = misplaced(d, ServiceSets.IMPORTS, "imported");
            if (misplaced.isPresent()) {
                return misplaced.get();
            }
            return offered.isEmpty()
                    ? d.ok(check, d.mesh().cluster() + " imports nothing from " + d.other().cluster())
                    : d.fail(check, d.other().cluster() + " exports " + offered.stream().map(Export::exportedName).toList()
                            + " to " + d.mesh().cluster() + ", but without ImportedServiceSet " + d.namespace() + "/"
                            + d.peerName() + " nothing is imported", "create ImportedServiceSet " + d.peerName() + " in "
                            + d.namespace() + " on " + d.mesh().cluster() + " with a rule per service");
        }
        String setWhere = where(d.mesh().cluster(), set.get());
        if (exporterSet.isEmpty()) {
            return d.warn(check, setWhere + " has nothing to import: " + d.other().cluster() + " has no ExportedServiceSet "
                    + MeshObjects.ref(back) + " (see " + d.other().cluster() + "'s exports to " + d.mesh().cluster() + ")", null);
        }
        Object setSuffix = Tree.get(set.get(), "spec", "domainSuffix");
        List<Map<String, Object>> rules = Tree.maps(set.get(), "spec", "importRules");
        List<String> problems = new ArrayList<>();
        List<String> fixes = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            Map<String, Object> rule = rules.get(i);
            String ruleText = "importRules[" + i + "] (" + ServiceSetRules.describe(rule) + ")";
            String skipped = ServiceSetRules.skippedImport(rule, setSuffix);
            if (skipped != null) {
                problems.add(setWhere + " " + ruleText + ": " + skipped + ", so Maistra skips it");
                fixes.add("correct " + ruleText + " of " + setWhere);
                continue;
            }
            if (offered.stream().anyMatch(e -> ServiceSetRules.importAs(rule, ServiceSetRules.ofExportedName(e.exportedName()))
                    .isPresent())) {
                continue;
            }
            Optional<Export> byLocalName = offered.stream().filter(e -> ServiceSetRules.importAs(rule, e.local()).isPresent()
                    && !ServiceSetRules.ofExportedName(e.exportedName()).equals(e.local())).findFirst();
            if (byLocalName.isPresent()) {
                Name exported = ServiceSetRules.ofExportedName(byLocalName.get().exportedName());
                problems.add(setWhere + " " + ruleText + " names " + byLocalName.get().local() + ", " + d.other().cluster()
                        + "'s own name of the service it exports as " + exported + " (" + byLocalName.get().exportedName()
                        + "); import rules match the exported name, so its status shows an empty localService");
                fixes.add("set nameSelector of " + ruleText + " in " + setWhere + " to namespace: " + exported.namespace()
                        + ", name: " + exported.name());
            } else {
                problems.add(setWhere + " " + ruleText + " matches nothing " + d.other().cluster() + " exports to "
                        + d.mesh().cluster() + " " + offered.stream().map(Export::exportedName).toList());
                fixes.add(offered.isEmpty() ? "export the service on " + d.other().cluster() + " (ExportedServiceSet "
                        + ClusterSnapshot.namespace(back) + "/" + ClusterSnapshot.name(back) + ")"
                        : "correct " + ruleText + " of " + setWhere + " to name one of the exported services");
            }
        }
        if (!problems.isEmpty()) {
            return d.fail(check, String.join("; ", problems), String.join("; ", fixes));
        }
        List<String> unmatched = Tree.maps(set.get(), "status", "importedServices").stream()
                .filter(e -> Objects.toString(Tree.get(e, "localService", "name"), "").isEmpty())
                .map(e -> String.valueOf(e.get("exportedName"))).toList();
        Set<String> hosts = ServiceSets.importedHosts(d).keySet();
        if (!unmatched.isEmpty()) {
            return d.warn(check, setWhere + " status: " + unmatched + " exported by " + d.other().cluster()
                    + " but matched by no import rule (empty localService); imports " + hosts, null);
        }
        return d.ok(check, setWhere + " imports " + (hosts.isEmpty() ? "nothing" : hosts));
    }

    /** A set of this kind that Maistra does not read: named like no peer, or outside the control plane's namespace. */
    private static Optional<Finding> misplaced(Direction d, String kind, String what) {
        String check = kind.equals(ServiceSets.EXPORTS) ? "exports" : "imports";
        Set<String> peerNames = new LinkedHashSet<>();
        d.mesh().peers().forEach(p -> peerNames.add(ClusterSnapshot.name(p)));
        for (Map<String, Object> set : d.mesh().all(kind)) {
            String name = ClusterSnapshot.name(set);
            String setWhere = where(d.mesh().cluster(), set);
            if (!ClusterSnapshot.namespace(set).equals(d.namespace()) && name.equals(d.peerName())) {
                return Optional.of(d.fail(check, setWhere + " is outside the control plane's namespace " + d.namespace()
                        + ", the only one Maistra reads: nothing is " + what, "move it to " + d.namespace()));
            }
            if (ClusterSnapshot.namespace(set).equals(d.namespace()) && !peerNames.contains(name)) {
                return Optional.of(d.fail(check, setWhere + " is named like no ServiceMeshPeer; Maistra reads the one named "
                        + "like the peer, " + d.peerName() + ": nothing is " + what, "rename it to " + d.peerName()
                        + " (create it under that name and delete " + name + ")"));
            }
        }
        return Optional.empty();
    }

}
