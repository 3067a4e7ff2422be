package io.meshfed.model.doctor;

import io.meshfed.model.doctor.ServiceSetRules.Name;
import io.meshfed.model.resource.Tree;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one mesh exports to a peer and imports from it, as Maistra computes it (FEDERATION.md "Names",
 * "Selectors and wildcards"): the Services of the mesh's members that its export rules select and its
 * control plane can see, the names they are exported under, and the hosts the importer's rules make.
 */
final class ServiceSets {

    static final String EXPORTS = "ExportedServiceSet";
    static final String IMPORTS = "ImportedServiceSet";

    /** A service one mesh exports to a peer: its name there, and the exporter's own Service. */
    record Export(String exportedName, Name local) {
    }

    private ServiceSets() {
    }

    /** What {@code mesh}'s ExportedServiceSet named {@code peerName} exports, as Maistra computes it. */
    static List<Export> computed(ClusterSnapshot mesh, Map<String, Object> set) {
        List<Map<String, Object>> rules = Tree.maps(set, "spec", "exportRules");
        List<Export> out = new ArrayList<>();
        for (Map<String, Object> service : exportable(mesh, ClusterSnapshot.namespace(set))) {
            Name name = new Name(ClusterSnapshot.namespace(service), ClusterSnapshot.name(service));
            for (Map<String, Object> rule : rules) {
                Optional<Name> as = ServiceSetRules.exportAs(rule, name, labels(service));
                if (as.isPresent()) {
                    out.add(new Export(ServiceSetRules.exportedName(as.get(), ClusterSnapshot.name(set)), name));
                    break;
                }
            }
        }
        return out;
    }

    /** What the exporter's set lists in its status, or (before istiod wrote it) what its rules select. */
    static List<Export> exportedBy(ClusterSnapshot exporter, Map<String, Object> set) {
        List<Export> listed = new ArrayList<>();
        for (Map<String, Object> entry : Tree.maps(set, "status", "exportedServices")) {
            listed.add(new Export(String.valueOf(entry.get("exportedName")), new Name(
                    String.valueOf(Tree.get(entry, "localService", "namespace")), String.valueOf(Tree.get(entry, "localService", "name")))));
        }
        return listed.isEmpty() ? computed(exporter, set) : listed;
    }

    /**
     * The hosts {@code mesh} gets for what the peer exports to it, as its ImportedServiceSet's rules
     * make them, with the exporter's Service behind each.
     */
    static Map<String, Export> importedHosts(Direction d) {
        Map<String, Export> hosts = new java.util.LinkedHashMap<>();
        Optional<Map<String, Object>> set = d.mesh().find(IMPORTS, d.namespace(), d.peerName());
        if (set.isEmpty() || d.back().isEmpty()) {
            return hosts;
        }
        Object setSuffix = Tree.get(set.get(), "spec", "domainSuffix");
        List<Map<String, Object>> rules = Tree.maps(set.get(), "spec", "importRules");
        Map<String, Object> back = d.back().get();
        List<Export> offered = d.other().find(EXPORTS, ClusterSnapshot.namespace(back), ClusterSnapshot.name(back))
                .map(s -> exportedBy(d.other(), s)).orElse(List.of());
        for (Export export : offered) {
            for (Map<String, Object> rule : rules) {
                Optional<Name> local = ServiceSetRules.importAs(rule, ServiceSetRules.ofExportedName(export.exportedName()));
                if (local.isPresent() && ServiceSetRules.skippedImport(rule, setSuffix) == null) {
                    hosts.put(ServiceSetRules.importedHost(rule, setSuffix, local.get(), d.peerName()), export);
                    break;
                }
            }
        }
        return hosts;
    }

    /** The mesh's member namespaces (its ServiceMeshMemberRoll's). */
    static List<String> members(ClusterSnapshot mesh, String controlPlaneNamespace) {
        List<String> members = new ArrayList<>();
        mesh.all("ServiceMeshMemberRoll", controlPlaneNamespace).forEach(r -> members.addAll(
                MeshObjects.strings(Tree.get(r, "spec", "members"))));
        return members;
    }

    static List<Map<String, Object>> exportable(ClusterSnapshot mesh, String controlPlaneNamespace) {
        List<String> members = members(mesh, controlPlaneNamespace);
        return mesh.all("Service").stream().filter(s -> members.contains(ClusterSnapshot.namespace(s)))
                .filter(s -> !"ExternalName".equals(Tree.get(s, "spec", "type")) && visible(s, controlPlaneNamespace)).toList();
    }

    static Map<String, Object> firstRule(List<Map<String, Object>> rules, Map<String, Object> service) {
        return rules.stream().filter(r -> selects(r, service))
                .findFirst().orElse(null);
    }

    /** FEDERATION.md: a Service whose exportTo hides it from the control-plane namespace is never exported. */
    static boolean visible(Map<String, Object> service, String controlPlaneNamespace) {
        String exportTo = annotation(service);
        if (exportTo == null) {
            return true;
        }
        for (String to : exportTo.split(",")) {
            String t = to.strip();
            if (t.equals("*") || t.equals(controlPlaneNamespace)
                    || t.equals(".") && controlPlaneNamespace.equals(ClusterSnapshot.namespace(service))) {
                return true;
            }
        }
        return false;
    }

    static String annotation(Map<String, Object> service) {
        return (String) Tree.get(service, "metadata", "annotations", "networking.istio.io/exportTo");
    }

    /** Whether an export rule selects the Service (whatever an earlier rule took). */
    static boolean selects(Map<String, Object> rule, Map<String, Object> service) {
        return ServiceSetRules.exportAs(rule, nameOf(service), labels(service)).isPresent();
    }

    static Name nameOf(Map<String, Object> service) {
        return new Name(ClusterSnapshot.namespace(service), ClusterSnapshot.name(service));
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> labels(Map<String, Object> service) {
        return Tree.get(service, "metadata", "labels") instanceof Map<?, ?> m ? (Map<String, String>) m : Map.of();
    }
}
