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
        description = {"Deletes every object this inventory created (meshfed's labels), walking the graph in reverse,",
                "and waits for each to be gone. Objects that existed before (adopted) lose meshfed's fields and stay;",
                "objects meshfed neither created nor adopted are left alone."})
public class DestroyCommand implements Callable<Integer> {

    @Mixin
    InventoryOption inventory;

    @Mixin
    RunMixin run;

    @Spec
    CommandSpec spec;

    @jakarta.inject.Inject
    RunState state;

    @Override
    public Integer call() {
        return ApplyCommand.execute(inventory, run, spec, GraphExecutor.Mode.DESTROY, false, state, false);
    }
}
