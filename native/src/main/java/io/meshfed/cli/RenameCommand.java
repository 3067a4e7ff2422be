package io.meshfed.cli;

import io.meshfed.model.inventory.Inventory;
import io.meshfed.model.render.FederationRenderer;
import io.meshfed.provisioner.apply.Rename;
import io.meshfed.provisioner.apply.RunLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code meshfed rename --from OLD}: what the inventory made under its former name becomes its own. */
@Command(name = "rename", mixinStandardHelpOptions = true,
        header = "Moves what the inventory made under its former name to its current name.",
        description = {"After meshfed_inventory_name changed: on every cluster, the objects the former name created or",
                "adopted get the new name's label, adoption annotation and field manager, and its record (the proof of",
                "what it created) moves, so that apply finds them as its own. Values are not touched; both names'",
                "run locks are held meanwhile."})
public class RenameCommand implements Callable<Integer> {

    @Mixin
    InventoryOption inventory;

    @Mixin
    RunMixin run;

    @Mixin
    LockOption lockOption;

    @Option(names = "--from", required = true, paramLabel = "NAME", description = "The inventory's former name.")
    String from;

    @Spec
    CommandSpec spec;

    @jakarta.inject.Inject
    RunState state;

    @Override
    public Integer call() {
        Inventory inv = inventory.load();
        if (from.equals(inv.name())) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--from " + from + ": that is the inventory's "
                    + "name now");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Interruption interruption = Interruption.install(spec.commandLine().getErr());
             Session session = Session.open(inv, run, spec, state)) {
            if (session == null) {
                return ExitCodes.UNREACHABLE;
            }
            Inventory former = new Inventory(from, inv.clusters(), inv.topology());
            try (RunLock mine = ApplyCommand.lock(inv, session, lockOption, spec, interruption.cancellation());
                 RunLock theirs = ApplyCommand.lock(former, session, lockOption, spec, interruption.cancellation())) {
                List<Rename.Moved> moved = Rename.from(from, session.clients, inv, FederationRenderer.graph(inv));
                for (Rename.Moved m : moved) {
                    out.printf("moved:   [%s] %d objects from inventory '%s' to '%s'%s%n", m.cluster(), m.objects().size(), from,
                            inv.name(), m.record() ? "; its record too" : "; it kept no record here");
                }
                out.flush();
                return ApplyCommand.lockLost(mine, spec) || ApplyCommand.lockLost(theirs, spec) ? ExitCodes.LOCK_LOST
                        : ExitCodes.OK;
            } catch (RunLock.Held e) {
                spec.commandLine().getErr().println("error: " + e.getMessage());
                spec.commandLine().getErr().flush();
                return ExitCodes.LOCKED;
            } catch (RunLock.Interrupted e) {
                spec.commandLine().getErr().println("error: " + e.getMessage());
                spec.commandLine().getErr().flush();
                return interruption.exitCode();
            }
        }
    }
}
