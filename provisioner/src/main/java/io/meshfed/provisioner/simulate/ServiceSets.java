package io.meshfed.provisioner.simulate;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maistra's export and import rules (FEDERATION.md, "Selectors and wildcards" and "Names"): rules in
 * order, the first match wins; {@code *} or empty matches anything and, in an alias, keeps the
 * original; exported names are {@code name.ns.svc.<peer>-exports.local}, imported ones
 * {@code name.ns.svc.<peer>-imports.local} (or the cluster-local name with importAsLocal, which needs
 * a fixed alias namespace); an exported service no import rule matches is listed with an empty
 * localService. Only Services of the mesh's member namespaces are exported, and not those their
 * {@code networking.istio.io/exportTo} hides from the control plane.
 */
final class ServiceSets {

    private ServiceSets() {
    }

    /** The {@code exportedServices} of an ExportedServiceSet on {@code cluster}. */
    @SuppressWarnings("unchecked")
    static List<Object> exported(SimulatedCluster cluster, GenericKubernetesResource set) {
        String ns = set.getMetadata().getNamespace();
        String peer = set.getMetadata().getName();
        List<Map<String, Object>> rules = (List<Map<String, Object>>) ClusterApi.map(set, "spec")
                .getOrDefault("exportRules", List.of());
        List<String> members = new ArrayList<>();
        for (GenericKubernetesResource roll : cluster.api().list(Kinds.SMMR, ns)) {
            Object listed = ClusterApi.map(roll, "spec").get("members");
            if (listed instanceof List<?> l) {
                l.forEach(m -> members.add(String.valueOf(m)));
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (String member : members) {
            for (Service s : cluster.api().services(member)) {
                if (hidden(s, ns)) {
                    continue;
                }
                String[] alias = firstExportMatch(rules, s);
                if (alias != null) {
                    out.add(entry(exportedName(alias[1], alias[0], peer), s.getMetadata().getName(),
                            member, s.getMetadata().getName() + "." + member + ".svc.cluster.local"));
                }
            }
        }
        out.sort(Comparator.comparing(m -> (String) m.get("exportedName")));
        return new ArrayList<>(out);
    }

    /** Istio's exportTo annotation hides the Service from the control plane's namespace: Maistra never exports it. */
    private static boolean hidden(Service s, String controlPlaneNamespace) {
        Map<String, String> annotations = s.getMetadata().getAnnotations();
        String exportTo = annotations == null ? null : annotations.get("networking.istio.io/exportTo");
        if (exportTo == null) {
            return false;
        }
        List<String> to = List.of(exportTo.replace(" ", "").split(","));
        return !to.contains("*") && !to.contains(controlPlaneNamespace)
                && !(to.contains(".") && s.getMetadata().getNamespace().equals(controlPlaneNamespace));
    }

    /** {namespace, name} the service is exported as, or null when no rule matches. */
    @SuppressWarnings("unchecked")
    private static String[] firstExportMatch(List<Map<String, Object>> rules, Service s) {
        String ns = s.getMetadata().getNamespace();
        String name = s.getMetadata().getName();
        Map<String, String> labels = s.getMetadata().getLabels() == null ? Map.of() : s.getMetadata().getLabels();
        for (Map<String, Object> rule : rules) {
            if ("NameSelector".equals(rule.get("type")) && rule.get("nameSelector") instanceof Map<?, ?> sel) {
                Map<String, Object> selector = (Map<String, Object>) sel;
                if (matches(selector.get("namespace"), ns) && matches(selector.get("name"), name)) {
                    return alias((Map<String, Object>) selector.get("alias"), ns, name);
                }
            } else if ("LabelSelector".equals(rule.get("type")) && rule.get("labelSelector") instanceof Map<?, ?> sel) {
                Map<String, Object> selector = (Map<String, Object>) sel;
                Map<String, Object> match = (Map<String, Object>) MaistraController.path(selector, "selector", "matchLabels");
                boolean labelled = match == null || match.entrySet().stream()
                        .allMatch(e -> String.valueOf(e.getValue()).equals(labels.get(e.getKey())));
                if (matches(selector.get("namespace"), ns) && labelled) {
                    for (Map<String, Object> a : (List<Map<String, Object>>) selector.getOrDefault("aliases", List.of())) {
                        if (matches(a.get("namespace"), ns) && matches(a.get("name"), name)) {
                            return alias((Map<String, Object>) a.get("alias"), ns, name);
                        }
                    }
                    return new String[] {ns, name};
                }
            }
        }
        return null;
    }

    /** The {@code importedServices} of an ImportedServiceSet, given what the peer exports to this mesh. */
    @SuppressWarnings("unchecked")
    static List<Object> imported(GenericKubernetesResource set, List<Object> exported) {
        String peer = set.getMetadata().getName();
        Map<String, Object> spec = ClusterApi.map(set, "spec");
        List<Map<String, Object>> rules = (List<Map<String, Object>>) spec.getOrDefault("importRules", List.of());
        List<Object> out = new ArrayList<>();
        for (Object e : exported) {
            String exportedName = (String) ((Map<String, Object>) e).get("exportedName");
            String[] parts = exportedName.split("\\.");
            String name = parts[0];
            String ns = parts[1];
            // not imported: Maistra writes the ServiceKey with empty fields (no omitempty), which its schema requires
            Map<String, Object> local = Map.of("name", "", "namespace", "", "hostname", "");
            for (Map<String, Object> rule : rules) {
                if (!"NameSelector".equals(rule.get("type")) || !(rule.get("nameSelector") instanceof Map<?, ?> sel)) {
                    continue;
                }
                Map<String, Object> selector = (Map<String, Object>) sel;
                if (!matches(selector.get("namespace"), ns) || !matches(selector.get("name"), name)) {
                    continue;
                }
                Map<String, Object> aliasMap = (Map<String, Object>) selector.get("alias");
                String[] alias = alias(aliasMap, ns, name);
                boolean asLocal = Boolean.TRUE.equals(rule.get("importAsLocal"));
                if (asLocal && (aliasMap == null || wildcard(aliasMap.get("namespace")))) {
                    continue; // Maistra skips importAsLocal without a fixed alias namespace
                }
                String suffix = (String) (rule.get("domainSuffix") != null ? rule.get("domainSuffix") : spec.get("domainSuffix"));
                String hostname = asLocal ? alias[1] + "." + alias[0] + ".svc.cluster.local"
                        : suffix != null ? alias[1] + "." + alias[0] + "." + suffix
                        : importedName(alias[1], alias[0], peer);
                local = Map.of("name", alias[1], "namespace", alias[0], "hostname", hostname);
                break;
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("exportedName", exportedName);
            entry.put("localService", local);
            out.add(entry);
        }
        return out;
    }

    private static String[] alias(Map<String, Object> alias, String ns, String name) {
        if (alias == null) {
            return new String[] {ns, name};
        }
        return new String[] {wildcard(alias.get("namespace")) ? ns : (String) alias.get("namespace"),
                wildcard(alias.get("name")) ? name : (String) alias.get("name")};
    }

    private static boolean matches(Object pattern, String value) {
        return wildcard(pattern) || pattern.equals(value);
    }

    private static boolean wildcard(Object value) {
        return value == null || "".equals(value) || "*".equals(value);
    }

    private static Map<String, Object> entry(String exportedName, String name, String ns, String hostname) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("exportedName", exportedName);
        e.put("localService", Map.of("hostname", hostname, "name", name, "namespace", ns));
        return e;
    }

    /** Maistra's naming, written here apart from the renderers' so that the simulation checks them independently. */
    private static String exportedName(String name, String ns, String peer) {
        return name + "." + ns + ".svc." + peer + "-exports.local";
    }

    private static String importedName(String name, String ns, String peer) {
        return name + "." + ns + ".svc." + peer + "-imports.local";
    }
}
