package io.meshfed.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;

/** The top command: only subcommands. */
@TopCommand
@Command(name = "meshfed", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Federates OpenShift Service Mesh 2 control planes, and joins OpenShift Service Mesh 3 clusters into "
                + "one multi-cluster mesh, from an Ansible-style inventory.",
        subcommands = {ApplyCommand.class, PlanCommand.class, DestroyCommand.class, ServeCommand.class, RenderCommand.class, GraphCommand.class,
                DoctorCommand.class, MigrateCommand.class, InventoryCommand.class, RenameCommand.class, SimulateCommand.class, PkiCommand.class},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  success", "  1  a run failed (an object could not be converged); plan: an object could not be read",
                "  2  bad input: inventory, manifests or command line",
                "  3  a cluster could not be reached (nothing was written)",
                "  4  plan --exit-code: something would change",
                "  5  another run of the inventory held its lock for all of --lock-timeout",
                "  6  doctor: a check failed (migrate apply: after a phase)",
                "  7  the run lost its lock (not renewed in time: a paused process?) and stopped writing",
                "  8  apply: the clusters are in another migration phase than mesh_migration (meshfed migrate moves them)",
                "  130, 143  the run was stopped by SIGINT, SIGTERM (its recap and reports were written)"})
public class MeshfedCommand {
}
