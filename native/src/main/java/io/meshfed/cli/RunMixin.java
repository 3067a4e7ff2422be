package io.meshfed.cli;

import io.meshfed.provisioner.apply.RunOptions;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Options of every command that talks to clusters. */
public class RunMixin {

    @Option(names = "--simulate", description = "Run against simulated clusters started for this run (one per host).")
    boolean simulate;

    @Option(names = {"-f", "--forks"}, defaultValue = "10", paramLabel = "N",
            description = "Requests in flight at once per cluster (default ${DEFAULT-VALUE}).")
    int forks;

    @Option(names = "--timeout", defaultValue = "30m", paramLabel = "DURATION",
            description = "Time limit of the whole run (default ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--node-timeout", defaultValue = "10m", paramLabel = "DURATION",
            description = "Time one object may take to become ready (default ${DEFAULT-VALUE}).")
    String nodeTimeout;

    @Option(names = "--skip-unreachable",
            description = "Go on without clusters that cannot be reached: their objects, and what depends on them, are skipped.")
    boolean skipUnreachable;

    @Option(names = "--max-requests", defaultValue = "64", paramLabel = "N",
            description = "Requests in flight at once over all clusters (default ${DEFAULT-VALUE}).")
    int maxRequests;

    @Option(names = "--report-json", paramLabel = "FILE",
            description = "Write every object's cluster, action, duration, result and message as JSON.")
    java.nio.file.Path reportJson;

    @Option(names = "--junit", paramLabel = "FILE",
            description = "Write a JUnit XML report: a testsuite per cluster, a testcase per object, for CI systems.")
    java.nio.file.Path junit;

    @Option(names = {"-v", "--verbose"}, description = "Print every object, not only changes and problems.")
    boolean verbose;

    @Option(names = "--force-conflicts", description = "Take the fields another meshfed inventory set to other values "
            + "(without it, such an object fails with the conflict and both inventories).")
    boolean forceConflicts;

    @Option(names = "--as", paramLabel = "USER",
            description = "Act as this user or service account, as kubectl's --as (a service account is "
                    + "system:serviceaccount:NAMESPACE:NAME): "
                    + "the credentials must be allowed to impersonate it; over the kubeconfig's `as`.")
    String as;

    @Option(names = "--as-group", paramLabel = "GROUP",
            description = "A group to act in, with --as (repeatable); over the kubeconfig's `as-groups`.")
    java.util.List<String> asGroups = new java.util.ArrayList<>();

    @Option(names = "--as-uid", paramLabel = "UID", description = "The uid to act as, with --as.")
    String asUid;

    /** The command line's impersonation: every cluster's client acts as it. */
    io.meshfed.provisioner.apply.Impersonation impersonation(CommandLine cmd) {
        if (as == null && (!asGroups.isEmpty() || asUid != null)) {
            throw new CommandLine.ParameterException(cmd, "--as-group and --as-uid need --as (the user to act as)");
        }
        return as == null ? io.meshfed.provisioner.apply.Impersonation.NONE
                : new io.meshfed.provisioner.apply.Impersonation(as, asGroups, asUid, null);
    }

    /** A report's file must be writable before the run starts: a run's recap is never lost to a bad path. */
    private static void writable(CommandLine cmd, String option, java.nio.file.Path file) {
        if (file == null) {
            return;
        }
        java.nio.file.Path dir = file.toAbsolutePath().getParent();
        String problem = java.nio.file.Files.isDirectory(file) ? "is a folder"
                : dir == null || !java.nio.file.Files.isDirectory(dir) ? "its folder " + dir + " does not exist"
                : java.nio.file.Files.exists(file) ? (java.nio.file.Files.isWritable(file) ? null : "is not writable")
                : java.nio.file.Files.isWritable(dir) ? null : "its folder " + dir + " is not writable";
        if (problem != null) {
            throw new CommandLine.ParameterException(cmd, option + " " + file + ": " + problem);
        }
    }

    RunOptions options(CommandLine cmd) {
        if (forks < 1 || maxRequests < 1) {
            throw new CommandLine.ParameterException(cmd, "--forks and --max-requests must be at least 1");
        }
        impersonation(cmd);
        writable(cmd, "--report-json", reportJson);
        writable(cmd, "--junit", junit);
        return new RunOptions(Durations.parse(nodeTimeout, cmd, "--node-timeout"), Durations.parse(timeout, cmd, "--timeout"),
                RunOptions.DEFAULT.pollMax(), RunOptions.DEFAULT.reportEvery(), forceConflicts);
    }
}
