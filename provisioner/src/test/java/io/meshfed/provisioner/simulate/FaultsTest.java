package io.meshfed.provisioner.simulate;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Fault schedules are deterministic: every n-th, a seeded rate, only some methods and paths. */
class FaultsTest {

    private static List<Integer> decide(Faults faults, int requests, String method, String path) {
        Faults.Decider decider = new Faults.Decider(faults);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            out.add(decider.decide(method, path));
        }
        return out;
    }

    @Test
    @DisplayName("every n-th eligible request fails, cycling through the statuses")
    void everyNth() {
        Faults faults = Faults.latency(Duration.ZERO).withEveryNth(3, 503, 429).withRetryAfter(2);
        assertThat(decide(faults, 9, "GET", "/api/v1/namespaces")).containsExactly(0, 0, 503, 0, 0, 429, 0, 0, 503);
        assertThat(faults.retryAfter()).isEqualTo(2);
    }

    @Test
    @DisplayName("a seeded rate gives the same failures every time; methods and paths narrow what is eligible")
    void seededAndFiltered() {
        Faults faults = Faults.NONE.withErrors(0.3, 99, 500);
        List<Integer> first = decide(faults, 200, "GET", "/x");
        assertThat(decide(faults, 200, "GET", "/x")).isEqualTo(first);
        assertThat(first.stream().filter(s -> s == 500).count()).isBetween(40L, 80L);

        Faults writes = Faults.NONE.withEveryNth(1, 500).onlyFor("POST").onlyPaths("/servicemeshpeers$");
        assertThat(decide(writes, 3, "GET", "/apis/federation.maistra.io/v1/servicemeshpeers")).containsOnly(0);
        assertThat(decide(writes, 3, "POST", "/api/v1/configmaps")).containsOnly(0);
        assertThat(decide(writes, 3, "POST", "/apis/federation.maistra.io/v1/namespaces/a/servicemeshpeers"))
                .containsOnly(500);
    }
}
