package io.meshfed.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code meshfed plan}: what apply would do, writing nothing. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Shows what apply would do to each object (create, update, unchanged) with a unified YAML diff,",
                "writing nothing. Values only a live cluster has show as '(known after apply: ...)'."})
public class PlanCommand implements Callable<Integer> {

    @Mixin
    InventoryOption inventory;

    @Mixin
    RunMixin run;

    @Option(names = "--no-diff", description = "Only the actions, no diffs.")
    boolean noDiff;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return ApplyCommand.plan(inventory, run, spec, !noDiff);
    }
}
