package io.meshfed.cli;

import picocli.CommandLine.Command;

/** {@code meshfed simulate}: simulated clusters to look at. */
@Command(name = "simulate", mixinStandardHelpOptions = true, subcommands = SimulateUpCommand.class,
        description = "Simulated clusters (one per inventory host) on this machine.")
public class SimulateCommand {
}
