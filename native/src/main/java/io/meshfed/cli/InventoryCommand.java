package io.meshfed.cli;

import io.meshfed.inventory.InventoryLoader;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code meshfed inventory}: the inventory as Ansible sees it, like ansible-inventory, for any inventory (a
 * site inventory with bastions and VMs too: nothing of meshfed's is checked and no template is evaluated, as
 * ansible-inventory evaluates none); {@code --check} runs meshfed's own checks instead.
 */
@Command(name = "inventory", mixinStandardHelpOptions = true,
        description = {"Shows the inventory's groups and hosts with their variables as ansible-inventory does (--list, "
                + "--host, --graph), for any Ansible inventory; --check runs meshfed's own checks."})
public class InventoryCommand implements Callable<Integer> {

    @Mixin
    InventoryOption inventory;

    /** --list (the default), --host, --graph or --check; one at a time, as ansible-inventory's actions. */
    @ArgGroup(multiplicity = "0..1")
    Action action;

    static class Action {
        @Option(names = "--list", description = "All groups and hosts, with _meta.hostvars (ansible-inventory --list); "
                + "the default.")
        boolean list;

        @Option(names = "--host", paramLabel = "HOST", description = "One host's variables (ansible-inventory --host).")
        String host;

        @Option(names = "--graph", description = "The groups as a tree with their hosts (ansible-inventory --graph "
                + "[GROUP]), from all or the group given.")
        boolean graph;

        @Option(names = "--check", description = "Check the inventory as apply and plan read it: meshfed's keys, the "
                + "federation, every problem at its file and line (exit code 2 when there is one).")
        boolean check;
    }

    @Parameters(arity = "0..1", paramLabel = "GROUP", description = "With --graph: the group to start at (default all).")
    String group;

    @Option(names = "--vars", description = "With --graph: each host's variables under it and each group's own after its "
            + "hosts (ansible-inventory --graph --vars).")
    boolean vars;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (group != null && (action == null || !action.graph)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a GROUP is given with --graph only");
        }
        if (vars && (action == null || !action.graph)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--vars goes with --graph");
        }
        if (action != null && action.check) {
            var loaded = inventory.loadWithSource();
            spec.commandLine().getOut().println("ok: " + loaded.inventory().clusters().size() + " clusters, inventory "
                    + loaded.inventory().name());
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
        InventoryLoader.Listed listed = inventory.loadAnsible();
        String text;
        if (action != null && action.host != null) {
            if (!listed.ansible().hosts().contains(action.host)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--host: no host '" + action.host
                        + "' in the inventory");
            }
            Map<String, Object> vars = new TreeMap<>();
            vars.putAll(listed.ansible().listedVars(action.host));
            text = Output.json(vars);
        } else if (action != null && action.graph) {
            text = listed.ansible().graph(group == null ? "all" : group, vars);
            if (text == null) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--graph: no group '" + group
                        + "' in the inventory (a pattern must be a group's name, as for ansible-inventory --graph)");
            }
            text += "\n";
        } else {
            text = Output.json(listed.ansible().listing());
        }
        spec.commandLine().getOut().print(text);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
