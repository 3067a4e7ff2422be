package io.meshfed.provisioner.apply;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RunOptionsTest {

    @Test
    @DisplayName("durations in messages as users write them (a 300 ms node timeout is not 'not ready after 0s')")
    void describe() {
        assertThat(RunOptions.describe(Duration.ofMillis(300))).isEqualTo("300ms");
        assertThat(RunOptions.describe(Duration.ofMillis(1500))).isEqualTo("1.5s");
        assertThat(RunOptions.describe(Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(RunOptions.describe(Duration.ofMinutes(10))).isEqualTo("10m");
        assertThat(RunOptions.describe(Duration.ofSeconds(5430))).isEqualTo("1h30m30s");
    }
}
