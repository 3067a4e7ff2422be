package io.meshfed.provisioner.apply;

import java.time.Duration;

/**
 * How a run behaves.
 *
 * @param nodeTimeout  how long one node may take to become ready
 * @param totalTimeout how long the whole run may take
 * @param pollMax      how long a watched node waits without news before reading anyway; where watches
 *                     cannot open, the longest pause between two polls (they start at 20 ms and grow)
 * @param reportEvery  how often a waiting node says what it waits for
 */
public record RunOptions(Duration nodeTimeout, Duration totalTimeout, Duration pollMax, Duration reportEvery) {

    public static final RunOptions DEFAULT = new RunOptions(Duration.ofMinutes(10), Duration.ofMinutes(30),
            Duration.ofSeconds(2), Duration.ofSeconds(5));
}
