package io.meshfed.cli;

import io.meshfed.inventory.InventoryLoader;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** {@code meshfed inventory}: the inventory as Ansible sees it, like ansible-inventory. */
@Command(name = "inventory", mixinStandardHelpOptions = true,
        description = {"Shows the inventory's groups and hosts with their merged variables (ansible-inventory's output).",
                "meshfed's own keys are checked first."})
public class InventoryCommand implements Callable<Integer> {

    @Mixin
    InventoryOption inventory;

    /** --list (the default, as nothing else would be useful) or --host; not both. */
    @ArgGroup(multiplicity = "0..1")
    Action action;

    static class Action {
        @Option(names = "--list", description = "All groups and hosts, with _meta.hostvars (ansible-inventory --list); "
                + "the default.")
        boolean list;

        @Option(names = "--host", paramLabel = "HOST", description = "One host's variables (ansible-inventory --host).")
        String host;
    }

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        InventoryLoader.Loaded loaded = inventory.loadWithSource();
        Object out;
        if (action != null && action.host != null) {
            if (!loaded.ansible().hosts().contains(action.host)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--host: no host '" + action.host
                        + "' in the inventory");
            }
            Map<String, Object> vars = new TreeMap<>();
            loaded.ansible().hostVars(action.host).forEach((k, v) -> vars.put(k, v.plain()));
            out = vars;
        } else {
            out = loaded.ansible().listing();
        }
        spec.commandLine().getOut().print(Output.json(out));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
