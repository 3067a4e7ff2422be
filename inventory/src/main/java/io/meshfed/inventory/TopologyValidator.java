package io.meshfed.inventory;

import io.meshfed.model.text.Suggestions;
import io.meshfed.model.inventory.ClusterSpec;
import io.meshfed.model.inventory.ExportRule;
import io.meshfed.model.inventory.ImportRule;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.model.inventory.Location;
import io.meshfed.model.inventory.Manifest;
import io.meshfed.model.inventory.Route;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks what names the topology uses against the clusters: namespaces must be mesh members,
 * services must exist where the cluster's manifests define services, every import must match
 * something its peer exports (Maistra matches the exported alias, not the exporter's local name),
 * every imported route destination must be imported.
 */
final class TopologyValidator {

    private final Inventory inventory;
    private final Problems problems;

    private TopologyValidator(Inventory inventory, Problems problems) {
        this.inventory = inventory;
        this.problems = problems;
    }

    static void validate(Inventory inventory, Problems problems) {
        TopologyValidator v = new TopologyValidator(inventory, problems);
        inventory.topology().exports().forEach(v::checkExport);
        inventory.topology().imports().forEach(v::checkImport);
        Set<String> routeIds = new HashSet<>();
        for (Route route : inventory.topology().routes()) {
            if (route.cluster() != null && !routeIds.add(route.cluster() + "/" + route.namespace() + "/" + route.name())) {
                problems.add(route.location(), "federation.routes: route " + route.namespace() + "/" + route.name()
                        + " on " + route.cluster() + " is defined twice");
            }
            v.checkRoute(route);
        }
    }

    private void checkExport(ExportRule rule) {
        ClusterSpec from = inventory.requireCluster(rule.from());
        String namespace = switch (rule.selector()) {
            case ExportRule.NameSelector n -> n.namespace();
            case ExportRule.LabelSelector l -> l.namespace();
        };
        if (!member(from, namespace, rule.location(), "federation.exports")) {
            return;
        }
        if (rule.selector() instanceof ExportRule.NameSelector n && !wildcard(n.name())) {
            service(from, namespace, n.name(), rule.location(), "federation.exports");
        }
    }

    private void checkImport(ImportRule rule) {
        boolean exported = inventory.topology().exports().stream()
                .filter(e -> e.from().equals(rule.from()) && e.to().contains(rule.into()))
                .anyMatch(e -> exports(e.selector(), rule.namespace(), rule.name()));
        if (!exported) {
            problems.add(rule.location(), "federation.imports: " + rule.into() + " imports " + rule.namespace() + "/"
                    + rule.name() + " from " + rule.from() + ", but " + rule.from() + " exports no such service to "
                    + rule.into() + " (import rules match the exported name, after the exporter's alias)"
                    + exportedNames(rule));
        }
    }

    /** Whether an export selector can produce the exported namespace/name. */
    private static boolean exports(ExportRule.Selector selector, String namespace, String name) {
        return switch (selector) {
            case ExportRule.NameSelector n -> {
                String ns = n.alias() != null && !wildcard(n.alias().namespace()) ? n.alias().namespace() : n.namespace();
                String nm = n.alias() != null && !wildcard(n.alias().name()) ? n.alias().name() : n.name();
                yield (wildcard(ns) || ns.equals(namespace)) && (wildcard(nm) || nm.equals(name));
            }
            case ExportRule.LabelSelector l -> wildcard(l.namespace()) || l.namespace().equals(namespace)
                    || l.aliases().stream().anyMatch(a -> a.alias() != null && namespace.equals(a.alias().namespace()));
        };
    }

    private String exportedNames(ImportRule rule) {
        Set<String> names = new TreeSet<>();
        for (ExportRule e : inventory.topology().exports()) {
            if (e.from().equals(rule.from()) && e.to().contains(rule.into())
                    && e.selector() instanceof ExportRule.NameSelector n) {
                String ns = n.alias() != null && !wildcard(n.alias().namespace()) ? n.alias().namespace() : n.namespace();
                String nm = n.alias() != null && !wildcard(n.alias().name()) ? n.alias().name() : n.name();
                names.add(ns + "/" + nm);
            }
        }
        return names.isEmpty() ? "" : "; it exports " + String.join(", ", names);
    }

    private void checkRoute(Route route) {
        if (route.cluster() == null || route.namespace() == null) {
            return;
        }
        ClusterSpec cluster = inventory.requireCluster(route.cluster());
        member(cluster, route.namespace(), route.location(), "federation.routes");
        for (Route.Destination d : route.destinations()) {
            if (d.service() == null) {
                continue;
            }
            if (d.importedFrom() == null) {
                service(cluster, d.namespace(), d.service(), route.location(), "federation.routes");
                continue;
            }
            boolean imported = inventory.topology().imports().stream()
                    .anyMatch(r -> r.into().equals(route.cluster()) && r.from().equals(d.importedFrom())
                            && d.service().equals(r.localName()) && d.namespace().equals(r.localNamespace()));
            if (!imported) {
                problems.add(route.location(), "federation.routes: route '" + route.name() + "' sends traffic to "
                        + d.namespace() + "/" + d.service() + " from " + d.importedFrom() + ", but " + route.cluster()
                        + " imports no such service from " + d.importedFrom()
                        + " (name it as the import's alias names it)");
            }
        }
    }

    private boolean member(ClusterSpec cluster, String namespace, Location where, String field) {
        if (namespace == null || wildcard(namespace) || cluster.members().contains(namespace)) {
            return true;
        }
        problems.add(where, field + ": unknown namespace '" + namespace + "' on " + cluster.name()
                + ": it is not in mesh_members" + Suggestions.didYouMean(namespace, cluster.members())
                + " (only member namespaces are part of the mesh)");
        return false;
    }

    /** Checks a service name against the Services the cluster's manifests define in that namespace, if any. */
    private void service(ClusterSpec cluster, String namespace, String name, Location where, String field) {
        List<String> services = cluster.manifests().stream()
                .map(Manifest::object)
                .filter(o -> "Service".equals(o.get("kind")) && "v1".equals(o.get("apiVersion")))
                .filter(o -> namespace.equals(metadata(o).get("namespace")))
                .map(o -> (String) metadata(o).get("name"))
                .toList();
        if (!services.isEmpty() && !services.contains(name)) {
            problems.add(where, field + ": unknown service '" + name + "' in " + namespace + " on " + cluster.name()
                    + Suggestions.didYouMean(name, services) + " (its manifests define " + String.join(", ", services) + ")");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metadata(Map<String, Object> object) {
        return object.get("metadata") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static boolean wildcard(String value) {
        return value == null || value.isEmpty() || "*".equals(value);
    }
}
