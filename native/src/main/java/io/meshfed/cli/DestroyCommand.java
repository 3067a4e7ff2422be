package io.meshfed.cli;

import io.meshfed.provisioner.apply.GraphExecutor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;


import java.util.concurrent.Callable;

/** {@code meshfed destroy}: delete what meshfed owns, in reverse dependency order. */
@Command(name = "destroy", mixinStandardHelpOptions = true,
        header = "Deletes what this inventory created, in reverse dependency order.",
        description = {"Deletes every object this inventory created (its record of UIDs proves it), walking the graph",
                "in reverse, and waits for each to be gone; first what it created and no longer renders. A namespace",
                "that still holds anyone else's objects is kept, and the output says what is inside. Objects that",
                "existed before (adopted) lose meshfed's fields and stay; nothing else is touched."})
public class DestroyCommand implements Callable<Integer> {

    @Mixin
    InventoryOption inventory;

    @Mixin
    RunMixin run;

    @Mixin
    LockOption lockOption;

    @Mixin
    LimitOption limit;

    @Spec
    CommandSpec spec;

    @jakarta.inject.Inject
    RunState state;

    @Override
    public Integer call() {
        return ApplyCommand.execute(inventory, run, lockOption, spec, GraphExecutor.Mode.DESTROY, false, state, false,
                limit.clusters(inventory, spec.commandLine()));
    }
}
