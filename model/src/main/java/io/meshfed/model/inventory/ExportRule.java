package io.meshfed.model.inventory;

import java.util.List;
import java.util.Map;

/**
 * Services one cluster exports to some of its peers: a Maistra export rule.
 *
 * @param from      the exporting cluster
 * @param to        the peers it exports to
 * @param selector  which services
 * @param location  where the rule was written
 */
public record ExportRule(String from, List<String> to, Selector selector, Location location) {

    public ExportRule {
        to = List.copyOf(to);
    }

    /** Maistra's two selector types. */
    public sealed interface Selector permits NameSelector, LabelSelector {
    }

    /** {@code namespace/name}, either may be {@code *}; the alias renames what the peer sees. */
    public record NameSelector(String namespace, String name, ServiceAlias alias) implements Selector {
    }

    /** Services with these labels in {@code namespace} ({@code *}: every member namespace). */
    public record LabelSelector(String namespace, Map<String, String> matchLabels, List<LabelAlias> aliases)
            implements Selector {
        public LabelSelector {
            matchLabels = Map.copyOf(matchLabels);
            aliases = List.copyOf(aliases);
        }
    }

    /** For LabelSelector: services matching namespace/name are renamed to alias; first match wins. */
    public record LabelAlias(String namespace, String name, ServiceAlias alias) {
    }
}
