package io.meshfed.model.doctor;

import io.meshfed.model.resource.Tree;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Maistra's export and import rules, evaluated as its code does (FEDERATION.md "Selectors and
 * wildcards", "Names"): an empty or {@code *} namespace or name matches anything and, in an alias,
 * keeps the original value; a LabelSelector's empty selector matches every Service and its aliases
 * are tried in order; rules are tried in order and the first match wins; imports accept only
 * NameSelector and match the exported name.
 */
final class ServiceSetRules {

    static final String WILDCARD = "*";

    /** A service's namespace and name, as exported or imported. */
    record Name(String namespace, String name) {
        @Override
        public String toString() {
            return namespace + "/" + name;
        }
    }

    private ServiceSetRules() {
    }

    /** What an export rule exports {@code service} as, or empty when the rule does not select it (or Maistra skips the rule). */
    static Optional<Name> exportAs(Map<String, Object> rule, Name service, Map<String, String> labels) {
        if ("NameSelector".equals(rule.get("type")) && rule.get("nameSelector") instanceof Map<?, ?> s) {
            return selects(asMap(s), service) ? Optional.of(alias(asMap(s).get("alias"), service)) : Optional.empty();
        }
        if ("LabelSelector".equals(rule.get("type")) && rule.get("labelSelector") instanceof Map<?, ?> s) {
            Map<String, Object> selector = asMap(s);
            if (!matches(selector.get("namespace"), service.namespace()) || !io.meshfed.model.resource.LabelSelectors.matches(selector.get("selector"), labels)) {
                return Optional.empty();
            }
            for (Map<String, Object> alias : Tree.maps(selector, "aliases")) {
                if (selects(alias, service)) {
                    return Optional.of(alias(alias.get("alias"), service));
                }
            }
            return Optional.of(service);
        }
        return Optional.empty();
    }

    /** Why Maistra skips an export rule (an unknown type, no selector), or null. */
    static String skippedExport(Map<String, Object> rule) {
        Object type = rule.get("type");
        if (!"NameSelector".equals(type) && !"LabelSelector".equals(type)) {
            return "type '" + type + "' is neither NameSelector nor LabelSelector";
        }
        String field = "NameSelector".equals(type) ? "nameSelector" : "labelSelector";
        return rule.get(field) instanceof Map<?, ?> ? null : "type " + type + " without " + field;
    }

    /** What an import rule imports the exported service as (before its domain), or empty. */
    static Optional<Name> importAs(Map<String, Object> rule, Name exported) {
        if (skippedImport(rule, null) == null && rule.get("nameSelector") instanceof Map<?, ?> s && selects(asMap(s), exported)) {
            return Optional.of(alias(asMap(s).get("alias"), exported));
        }
        return Optional.empty();
    }

    /** Why Maistra skips an import rule (not a NameSelector; importAsLocal without a fixed alias namespace; the cluster's domain), or null. */
    static String skippedImport(Map<String, Object> rule, Object setSuffix) {
        if (!"NameSelector".equals(rule.get("type")) || !(rule.get("nameSelector") instanceof Map<?, ?> s)) {
            return "type '" + rule.get("type") + "': imports accept only NameSelector";
        }
        if (Boolean.TRUE.equals(rule.get("importAsLocal")) && wildcard(Tree.get(asMap(s), "alias", "namespace"))) {
            return "importAsLocal needs a fixed nameSelector.alias.namespace";
        }
        Object suffix = rule.get("domainSuffix") != null ? rule.get("domainSuffix") : setSuffix;
        if ("cluster.local".equals(suffix) || "svc.cluster.local".equals(suffix)) {
            return "domainSuffix '" + suffix + "' is the cluster's own domain (Maistra says: use importAsLocal instead)";
        }
        return null;
    }

    /** The host an imported service gets on the importing mesh (FEDERATION.md "Names", "importAsLocal"). */
    static String importedHost(Map<String, Object> rule, Object setSuffix, Name local, String peerName) {
        if (Boolean.TRUE.equals(rule.get("importAsLocal"))) {
            return local.name() + "." + local.namespace() + ".svc.cluster.local";
        }
        Object suffix = rule.get("domainSuffix") != null ? rule.get("domainSuffix") : setSuffix;
        return local.name() + "." + local.namespace() + "." + (suffix != null ? suffix : "svc." + peerName + "-imports.local");
    }

    static String exportedName(Name service, String peerName) {
        return service.name() + "." + service.namespace() + ".svc." + peerName + "-exports.local";
    }

    /** The exported service's name and namespace: the first two labels of its exported name. */
    static Name ofExportedName(String exportedName) {
        String[] labels = exportedName.split("\\.");
        return new Name(labels.length > 1 ? labels[1] : "", labels[0]);
    }

    /** A rule as a user reads it: {@code NameSelector nfs-app-istio/dokuwiki}. */
    static String describe(Map<String, Object> rule) {
        if (rule.get("nameSelector") instanceof Map<?, ?> s) {
            return "NameSelector " + orWildcard(s.get("namespace")) + "/" + orWildcard(s.get("name"));
        }
        if (rule.get("labelSelector") instanceof Map<?, ?> s) {
            return "LabelSelector " + orWildcard(s.get("namespace")) + " " + Objects.toString(s.get("selector"), "{}");
        }
        return Objects.toString(rule.get("type"), "rule without type");
    }

    private static boolean selects(Map<String, Object> selector, Name service) {
        return matches(selector.get("namespace"), service.namespace()) && matches(selector.get("name"), service.name());
    }

    private static Name alias(Object alias, Name service) {
        if (!(alias instanceof Map<?, ?> a)) {
            return service;
        }
        return new Name(wildcard(a.get("namespace")) ? service.namespace() : a.get("namespace").toString(),
                wildcard(a.get("name")) ? service.name() : a.get("name").toString());
    }

    private static boolean matches(Object pattern, String value) {
        return wildcard(pattern) || pattern.toString().equals(value);
    }

    static boolean wildcard(Object value) {
        return value == null || "".equals(value) || WILDCARD.equals(value);
    }

    private static String orWildcard(Object value) {
        return wildcard(value) ? WILDCARD : value.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }
}
