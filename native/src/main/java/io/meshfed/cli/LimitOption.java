package io.meshfed.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.util.List;

/**
 * {@code --limit PATTERN} (as ansible-playbook's {@code -l}): the clusters a run writes on, an Ansible host pattern
 * over the inventory's clusters. apply and plan read the other clusters (the values the limited ones need from
 * them) and write nothing there; destroy deletes on the limited ones alone.
 */
public class LimitOption {

    @Option(names = {"-l", "--limit"}, paramLabel = "PATTERN",
            description = "Only the clusters this Ansible host pattern names (as ansible-playbook -l: blue, blue,green, "
                    + "meshes:!prod, 'east*'); the others are read where needed and left as they are.")
    String limit;

    /** The clusters --limit names, in the inventory's order (empty without --limit). */
    List<String> clusters(InventoryOption inventory, CommandLine cmd) {
        if (limit == null) {
            return List.of();
        }
        var loaded = inventory.loadWithSource();
        List<String> clusters = loaded.inventory().clusters().stream().map(c -> c.name()).toList();
        List<String> named;
        try {
            named = loaded.ansible().select(limit);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cmd, "--limit " + limit + ": " + e.getMessage());
        }
        List<String> chosen = clusters.stream().filter(named::contains).toList();
        if (chosen.isEmpty()) {
            throw new CommandLine.ParameterException(cmd, "--limit " + limit + " names no cluster of inventory '"
                    + loaded.inventory().name() + "' (its clusters: " + String.join(", ", clusters) + ")");
        }
        return chosen;
    }
}
