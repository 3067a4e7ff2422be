package io.meshfed.provisioner.simulate;

import java.time.Duration;

/**
 * How long the simulated controllers take: an operator's install (CSV Installing → Succeeded), a
 * control plane's start (SMCP Ready), and federation discovery connecting. Short by default.
 */
public record SimulationTiming(Duration operatorInstall, Duration controlPlaneStart, Duration peerConnect) {

    public static final SimulationTiming DEFAULT = new SimulationTiming(Duration.ofMillis(150), Duration.ofMillis(300),
            Duration.ofMillis(100));

    public static final SimulationTiming INSTANT = new SimulationTiming(Duration.ZERO, Duration.ZERO, Duration.ZERO);
}
