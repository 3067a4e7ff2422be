package io.meshfed.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code meshfed plan}: what apply would do, writing nothing. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        header = "Shows what apply would change, by dry runs at the API servers; writes nothing.",
        description = {"Shows what apply would do to each object (create, adopt, update, unchanged) with a unified YAML",
                "diff of the object as the API server would store it (a server-side dry run), and the orphans;",
                "writing nothing. Values only a live cluster has show as '(known after apply: ...)'."})
public class PlanCommand implements Callable<Integer> {

    @Mixin
    InventoryOption inventory;

    @Mixin
    RunMixin run;

    @Option(names = "--no-diff", description = "Only the actions, no diffs.")
    boolean noDiff;

    @Option(names = "--prune", description = "Show the orphans as deletions, as apply --prune would make them.")
    boolean prune;

    @Option(names = "--exit-code", description = "Exit with 4 when anything would change (as git diff --exit-code and "
            + "kubectl diff do), for drift checks in pipelines; 0 when nothing would.")
    boolean exitCode;

    @Spec
    CommandSpec spec;

    @jakarta.inject.Inject
    RunState state;

    @Override
    public Integer call() {
        return ApplyCommand.plan(inventory, run, spec, !noDiff, prune, exitCode, state);
    }
}
