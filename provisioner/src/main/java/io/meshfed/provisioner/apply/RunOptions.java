package io.meshfed.provisioner.apply;

import java.time.Clock;
import java.time.Duration;

/**
 * How a run behaves.
 *
 * @param nodeTimeout  how long one node may take to become ready
 * @param totalTimeout how long the whole run may take
 * @param pollMax      how long a watched node waits without news before reading anyway; where watches
 *                     cannot open, the longest pause between two polls (they start at 20 ms and grow)
 * @param reportEvery  how often a waiting node says what it waits for
 * @param forceConflicts take fields another meshfed inventory set to other values ({@code --force-conflicts}); without
 *                     it such an object fails with the conflict
 * @param clock        the time credentials are judged at (whether a remote secret's token is due for renewal)
 */
public record RunOptions(Duration nodeTimeout, Duration totalTimeout, Duration pollMax, Duration reportEvery,
                         boolean forceConflicts, Clock clock) {

    public static final RunOptions DEFAULT = new RunOptions(Duration.ofMinutes(10), Duration.ofMinutes(30),
            Duration.ofSeconds(2), Duration.ofSeconds(5));

    public RunOptions(Duration nodeTimeout, Duration totalTimeout, Duration pollMax, Duration reportEvery) {
        this(nodeTimeout, totalTimeout, pollMax, reportEvery, false);
    }

    public RunOptions(Duration nodeTimeout, Duration totalTimeout, Duration pollMax, Duration reportEvery,
                      boolean forceConflicts) {
        this(nodeTimeout, totalTimeout, pollMax, reportEvery, forceConflicts, Clock.systemUTC());
    }

    /** These options, credentials judged at {@code clock}'s time. */
    public RunOptions withClock(Clock clock) {
        return new RunOptions(nodeTimeout, totalTimeout, pollMax, reportEvery, forceConflicts, clock);
    }

    /** A duration as a user writes it: {@code 300ms}, {@code 45s}, {@code 10m}, {@code 1h30m}. */
    public static String describe(Duration d) {
        if (d.toMillis() < 1000 || d.toMillis() % 1000 != 0) {
            return d.toMillis() < 1000 ? d.toMillis() + "ms" : String.format("%.1fs", d.toMillis() / 1000.0);
        }
        long s = d.toSeconds();
        StringBuilder text = new StringBuilder();
        if (s >= 3600) {
            text.append(s / 3600).append('h');
            s %= 3600;
        }
        if (s >= 60) {
            text.append(s / 60).append('m');
            s %= 60;
        }
        if (s > 0 || text.isEmpty()) {
            text.append(s).append('s');
        }
        return text.toString();
    }
}
