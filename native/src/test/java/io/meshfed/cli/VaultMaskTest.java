package io.meshfed.cli;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A value Ansible Vault protected stays out of what meshfed prints: an SMCP setting made of a {@code !vault} value
 * renders as {@code (vaulted)} on stdout and in files, and as it is only with {@code render --show-secrets}.
 */
@QuarkusMainTest
class VaultMaskTest {

    private static final Path INVENTORY = Path.of("src/test/resources/vault-masked");
    private static final String SECRET = "sekrit-level-42";

    @Test
    @DisplayName("render: the decrypted value is (vaulted) on stdout and in --out files; --show-secrets prints it")
    void render(QuarkusMainLauncher launcher, @TempDir Path tmp) throws Exception {
        String password = INVENTORY.resolve("vault-password").toString();
        LaunchResult masked = launcher.launch("render", "-i", INVENTORY.toString(), "--vault-password-file", password);
        assertThat(masked.exitCode()).as(masked.getErrorOutput()).isZero();
        assertThat(masked.getOutput()).contains("default: (vaulted)").doesNotContain(SECRET);

        LaunchResult files = launcher.launch("render", "-i", INVENTORY.toString(), "--vault-password-file", password,
                "--out", tmp.toString());
        assertThat(files.exitCode()).isZero();
        assertThat(Files.readString(tmp.resolve("blue.yaml"))).contains("default: (vaulted)").doesNotContain(SECRET);

        LaunchResult shown = launcher.launch("render", "-i", INVENTORY.toString(), "--vault-password-file", password,
                "--show-secrets");
        assertThat(shown.getOutput()).contains("default: " + SECRET);
    }

    @Test
    @DisplayName("the mask: whole lines, the longest secret first, texts under four characters left alone; reports too")
    void mask() {
        assertThat(VaultMask.mask("token=abcd1234 and abcd", List.of("abcd", "abcd1234", "on")))
                .isEqualTo("token=(vaulted) and (vaulted)");
        StringWriter sink = new StringWriter();
        PrintWriter out = VaultMask.wrap(new PrintWriter(sink), () -> List.of("sekrit"));
        out.print("a sek");
        out.print("rit b\nc");
        out.flush();
        assertThat(sink.toString()).isEqualTo("a (vaulted) b\nc");
        VaultMask.remember(List.of("report-secret"));
        assertThat(VaultMask.masked("{\"message\": \"report-secret refused\"}")).as("a report before it is written")
                .isEqualTo("{\"message\": \"(vaulted) refused\"}");
    }
}
