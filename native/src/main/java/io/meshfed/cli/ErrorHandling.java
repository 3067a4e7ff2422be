package io.meshfed.cli;

import io.meshfed.inventory.InventoryException;
import io.meshfed.model.graph.GraphException;
import io.meshfed.model.render.RenderException;
import io.quarkus.picocli.runtime.PicocliCommandLineFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import picocli.CommandLine;

import java.io.UncheckedIOException;

/**
 * Bad input gets one clear message and exit code 2, never a stack trace; anything else is exit 1
 * with its message (set MESHFED_DEBUG=1 for the stack trace).
 */
@ApplicationScoped
public class ErrorHandling {

    @Produces
    CommandLine commandLine(PicocliCommandLineFactory factory) {
        CommandLine cmd = factory.create()
                .setExecutionExceptionHandler(ErrorHandling::handle)
                .setParameterExceptionHandler(ErrorHandling::handleParameter)
                .setUsageHelpAutoWidth(true);   // --help as wide as the terminal (80 columns without one)
        reflow(cmd);
        return cmd;
    }

    /**
     * Each command's description as one paragraph: its source lines are wrapped for the source, and
     * picocli would print each as a line of its own, broken again at the help's width.
     */
    static void reflow(CommandLine cmd) {
        var usage = cmd.getCommandSpec().usageMessage();
        if (usage.description().length > 1) {
            usage.description(String.join(" ", java.util.Arrays.stream(usage.description()).map(String::strip).toList()));
        }
        cmd.getSubcommands().values().forEach(ErrorHandling::reflow);
    }

    static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parseResult) {
        var err = cmd.getErr();
        if (e instanceof InventoryException || e instanceof RenderException || e instanceof GraphException) {
            if (e instanceof InventoryException inventory) {
                inventory.warnings().forEach(w -> err.println("warning: " + w));
            }
            String prefix = e instanceof RenderException r && r.location().known() ? r.location() + ": " : "";
            err.println("error: " + prefix + e.getMessage().replace("\n", "\nerror: "));
            err.flush();
            return ExitCodes.BAD_INPUT;
        }
        if (e instanceof CommandLine.ParameterException pe) {
            return handleParameter(pe, new String[0]);
        }
        err.println("error: " + (e instanceof UncheckedIOException u ? u.getMessage() : e.toString()));
        if (System.getenv("MESHFED_DEBUG") != null) {
            e.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.FAILED;
    }

    static int handleParameter(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        // picocli starts some messages (an argument group's) with its own "Error: "
        cmd.getErr().println("error: " + e.getMessage().replaceFirst("^Error: ", ""));
        // a mistyped command or option: picocli's closest candidates ("Did you mean: apply?")
        CommandLine.UnmatchedArgumentException.printSuggestions(e, cmd.getErr());
        cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        cmd.getErr().flush();
        return ExitCodes.BAD_INPUT;
    }
}
