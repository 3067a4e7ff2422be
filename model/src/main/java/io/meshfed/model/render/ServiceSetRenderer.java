package io.meshfed.model.render;

import io.meshfed.model.inventory.ClusterSpec;
import io.meshfed.model.inventory.ExportRule;
import io.meshfed.model.inventory.ImportRule;
import io.meshfed.model.inventory.Locality;
import io.meshfed.model.inventory.ServiceAlias;
import io.meshfed.model.inventory.Topology;
import io.meshfed.model.resource.Readiness;
import io.meshfed.model.resource.Tree;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * ExportedServiceSet and ImportedServiceSet for one cluster and one peer. Maistra looks both up by
 * the ServiceMeshPeer's name, so each is named after the peer mesh and lives in the control-plane
 * namespace. A set is rendered only when it has rules (as in the seed).
 */
final class ServiceSetRenderer {

    private final Map<String, List<ExportRule>> exportsByExporter = new HashMap<>();
    private final Map<String, List<ImportRule>> importsByPair = new HashMap<>();

    /** Indexes the topology's rules once, so that each (cluster, peer) pair costs only its own rules. */
    ServiceSetRenderer(Topology topology) {
        for (ExportRule rule : topology.exports()) {
            exportsByExporter.computeIfAbsent(rule.from(), k -> new ArrayList<>()).add(rule);
        }
        for (ImportRule rule : topology.imports()) {
            importsByPair.computeIfAbsent(rule.into() + "\n" + rule.from(), k -> new ArrayList<>()).add(rule);
        }
    }

    void render(ClusterSpec local, ClusterSpec peer, Rendering out) {
        List<Object> exportRules = new ArrayList<>();
        for (ExportRule rule : exportsByExporter.getOrDefault(local.name(), List.of())) {
            if (rule.to().contains(peer.name())) {
                exportRules.add(exportRule(rule.selector()));
            }
        }
        if (!exportRules.isEmpty()) {
            out.managed(local.name(), PeeringRenderer.FEDERATION_API, "ExportedServiceSet", local.mesh().namespace(),
                    peer.mesh().name(), Tree.map("spec", Tree.map("exportRules", exportRules)),
                    Readiness.SERVICES_EXPORTED, "exports", Tags.SERVICE_SET);
        }

        List<Object> importRules = new ArrayList<>();
        Locality locality = null;
        for (ImportRule rule : importsByPair.getOrDefault(local.name() + "\n" + peer.name(), List.of())) {
            importRules.add(Tree.map(
                    "type", "NameSelector",
                    "importAsLocal", rule.importAsLocal(),
                    "nameSelector", nameSelector(rule.namespace(), rule.name(), rule.alias())));
            locality = locality != null ? locality : rule.locality();
        }
        if (!importRules.isEmpty()) {
            Map<String, Object> spec = Tree.map("importRules", importRules);
            if (locality != null) {
                spec.put("locality", Tree.map("region", locality.region(), "zone", locality.zone(),
                        "subzone", locality.subzone()));
            }
            out.managed(local.name(), PeeringRenderer.FEDERATION_API, "ImportedServiceSet", local.mesh().namespace(),
                    peer.mesh().name(), Tree.map("spec", spec), Readiness.SERVICES_IMPORTED, "imports", Tags.SERVICE_SET);
        }
    }

    private static Map<String, Object> exportRule(ExportRule.Selector selector) {
        return switch (selector) {
            case ExportRule.NameSelector n -> Tree.map(
                    "type", "NameSelector",
                    "nameSelector", nameSelector(n.namespace(), n.name(), n.alias()));
            case ExportRule.LabelSelector l -> {
                List<Object> aliases = new ArrayList<>();
                for (ExportRule.LabelAlias a : l.aliases()) {
                    aliases.add(Tree.map("namespace", a.namespace(), "name", a.name(), "alias", alias(a.alias())));
                }
                yield Tree.map(
                        "type", "LabelSelector",
                        "labelSelector", Tree.map(
                                "namespace", l.namespace(),
                                "selector", Tree.map("matchLabels", new java.util.LinkedHashMap<>(new TreeMap<>(l.matchLabels()))),
                                "aliases", aliases.isEmpty() ? null : aliases));
            }
        };
    }

    private static Map<String, Object> nameSelector(String namespace, String name, ServiceAlias alias) {
        return Tree.map("namespace", namespace, "name", name, "alias", alias(alias));
    }

    private static Map<String, Object> alias(ServiceAlias alias) {
        return alias == null ? null : Tree.map("namespace", alias.namespace(), "name", alias.name());
    }
}
