package io.meshfed.cli;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainIntegrationTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The health and metrics endpoints during a real apply on simulated clusters: RestAssured polls
 * them while the command runs. Runs against the packaged application (the jar; the binary under -Pnative).
 */
@QuarkusMainIntegrationTest
@TestProfile(HealthDuringApplyIT.HttpOn.class)
class HealthDuringApplyIT {

    static final int PORT = 18097;

    /** The HTTP server on, as a Job would run meshfed. */
    public static class HttpOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.host-enabled", "true", "quarkus.http.test-port", String.valueOf(PORT),
                    "quarkus.http.port", String.valueOf(PORT));
        }
    }

    @Test
    @DisplayName("while apply runs: live, ready with the counts, metrics of nodes and API requests by cluster, verb and status")
    void endpointsDuringApply(QuarkusMainLauncher launcher) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        List<Response> ready = new CopyOnWriteArrayList<>();
        List<String> metrics = new CopyOnWriteArrayList<>();
        List<Integer> live = new CopyOnWriteArrayList<>();
        Thread poller = Thread.ofVirtual().start(() -> {
            while (!stop.get()) {
                try {
                    live.add(RestAssured.given().port(PORT).get("/q/health/live").statusCode());
                    ready.add(RestAssured.given().port(PORT).get("/q/health/ready"));
                    metrics.add(RestAssured.given().port(PORT).get("/q/metrics").asString());
                } catch (Exception e) {
                    // the server is not up yet, or already down (RestAssured throws ConnectException unchecked)
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        LaunchResult result = launcher.launch("apply", "-i", CliTest.example("blue-green"), "--simulate");
        stop.set(true);
        poller.join();

        assertThat(result.exitCode()).isZero();
        assertThat(live).contains(200);
        Response running = ready.stream()
                .filter(r -> r.statusCode() == 200 && "running".equals(r.jsonPath().getString("checks[0].data.phase")))
                .findFirst().orElseThrow(() -> new AssertionError("no ready response while running: "
                        + ready.stream().map(Response::asString).toList()));
        assertThat(running.jsonPath().getString("status")).isEqualTo("UP");
        assertThat(running.jsonPath().getInt("checks[0].data.total")).isEqualTo(54);
        assertThat(running.jsonPath().getInt("checks[0].data.pending")).isPositive();
        assertThat(metrics).anySatisfy(m -> assertThat(m)
                .contains("meshfed_nodes{state=\"changed\"}")
                .contains("meshfed_api_requests_seconds_count{cluster=\"blue\",status=\"2xx\",verb=\"apply\"}")
                .contains("meshfed_node_duration_seconds_count{cluster=\"green\",kind=\"Subscription\""));
    }
}
