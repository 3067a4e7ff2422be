package io.meshfed.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.time.Duration;

/** The run lock's option, on the commands that take the lock (apply, destroy, rename, serve): plan and doctor take none. */
public class LockOption {

    @Option(names = "--lock-timeout", defaultValue = "5m", paramLabel = "DURATION",
            description = "How long to wait for another run of this inventory to end (its lock on each cluster); "
                    + "then exit 5 (default ${DEFAULT-VALUE}; 0: do not wait).")
    String lockTimeout;

    Duration timeout(CommandLine cmd) {
        return Durations.parse(lockTimeout, cmd, "--lock-timeout");
    }
}
