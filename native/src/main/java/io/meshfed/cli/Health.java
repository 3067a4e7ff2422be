package io.meshfed.cli;

import io.meshfed.provisioner.apply.NodeResult;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;

/**
 * The health endpoints while meshfed runs (as a Job): live while the process works; ready while the
 * run is progressing (an object finished within the last {@value #STALL_MINUTES} minutes) or has
 * succeeded, with the counts; not ready once it failed or stalled.
 */
final class Health {

    static final long STALL_MINUTES = 5;

    private Health() {
    }

    static HealthCheckResponseBuilder withCounts(HealthCheckResponseBuilder b, RunState state) {
        return b.withData("phase", state.phase().name().toLowerCase())
                .withData("total", state.total())
                .withData("pending", state.pending())
                .withData("ok", state.count(NodeResult.Outcome.OK))
                .withData("changed", state.count(NodeResult.Outcome.CHANGED))
                .withData("failed", state.count(NodeResult.Outcome.FAILED))
                .withData("skipped", state.count(NodeResult.Outcome.SKIPPED))
                .withData("unreachable", state.count(NodeResult.Outcome.UNREACHABLE))
                .withData("secondsSinceProgress", state.sinceProgress().toSeconds());
    }

    @Liveness
    @ApplicationScoped
    static class Live implements HealthCheck {
        private final RunState state;

        Live(RunState state) {
            this.state = state;
        }

        @Override
        public HealthCheckResponse call() {
            return HealthCheckResponse.named("meshfed").up().withData("phase", state.phase().name().toLowerCase()).build();
        }
    }

    @Readiness
    @ApplicationScoped
    static class Ready implements HealthCheck {
        private final RunState state;

        Ready(RunState state) {
            this.state = state;
        }

        @Override
        public HealthCheckResponse call() {
            boolean progressing = state.phase() == RunState.Phase.RUNNING
                    && state.sinceProgress().compareTo(Duration.ofMinutes(STALL_MINUTES)) < 0;
            boolean up = progressing || state.phase() == RunState.Phase.SUCCEEDED;
            HealthCheckResponseBuilder b = withCounts(HealthCheckResponse.named("meshfed-run"), state).status(up);
            if (!up) {
                // why not ready, for whoever looks at the probe (kubectl describe pod shows the body's start)
                b.withData("reason", state.phase() == RunState.Phase.RUNNING ? "no object finished for "
                        + state.sinceProgress().toMinutes() + " minutes (stalled)"
                        : state.reason() != null ? state.reason() : state.phase() == RunState.Phase.IDLE ? "no run yet"
                        : "the run failed");
            }
            return b.build();
        }
    }
}
