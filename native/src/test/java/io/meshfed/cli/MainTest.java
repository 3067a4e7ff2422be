package io.meshfed.cli;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {

    @Test
    @DisplayName("the HTTP server is on by default for serve only, wherever its options are")
    void httpDefault() {
        assertThat(Main.httpByDefault("serve", "-i", "inv", "--interval", "10m")).isTrue();
        assertThat(Main.httpByDefault("--verbose", "serve")).isTrue();
        assertThat(Main.httpByDefault("apply", "-i", "serve")).isFalse();
        assertThat(Main.httpByDefault("plan")).isFalse();
        assertThat(Main.httpByDefault("--help")).isFalse();
        assertThat(Main.httpByDefault()).isFalse();
    }
}
