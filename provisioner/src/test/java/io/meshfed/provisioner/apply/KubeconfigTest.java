package io.meshfed.provisioner.apply;

import io.fabric8.kubernetes.client.Config;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What fabric8's own kubeconfig loading leaves out, completed as kubectl has it: impersonation, tokenFile,
 * exec plugins (real scripts, run as processes). Against API servers: ConnectionConfigTest in the it module.
 */
class KubeconfigTest {

    private static Path kubeconfig(Path dir, String user) throws Exception {
        return Files.writeString(dir.resolve("config"), """
                apiVersion: v1
                kind: Config
                clusters: [{name: near, cluster: {server: "https://127.0.0.1:6443", certificate-authority-data: Q0E=}}]
                contexts: [{name: near, context: {cluster: near, user: u}}]
                current-context: near
                users:
                - name: u
                  user:
                %s""".formatted(user.indent(4)));
    }

    private static Kubeconfig.Loaded load(Path file, Impersonation flags) {
        return Kubeconfig.load(List.of(file), null, "kubeconfig " + file, flags);
    }

    /** A plugin that counts its runs in {@code runs}, writes its KUBERNETES_EXEC_INFO and stdin to files, and answers. */
    private static Path plugin(Path dir, String status) throws Exception {
        Path script = dir.resolve("bin/token-plugin");
        Files.createDirectories(script.getParent());
        Files.writeString(script, """
                #!/bin/sh
                echo run >> "%1$s/runs"
                printf '%%s' "$KUBERNETES_EXEC_INFO" > "%1$s/exec-info"
                if [ -t 0 ]; then echo terminal > "%1$s/stdin"; else cat > "%1$s/stdin"; fi
                echo "plugin says hello on stderr" >&2
                echo '{"apiVersion": "client.authentication.k8s.io/v1", "kind": "ExecCredential", "status": %2$s}'
                """.formatted(dir, status));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    @Test
    @DisplayName("as, as-groups, as-uid and as-user-extra are the client's impersonation; --as and --as-group win field by field")
    void impersonation(@TempDir Path tmp) throws Exception {
        Path file = kubeconfig(tmp, """
                token: t
                as: system:serviceaccount:meshfed:nobody
                as-groups: [team-a, system:authenticated]
                as-uid: "1234"
                as-user-extra: {scopes: [view]}
                """);
        Kubeconfig.Loaded loaded = load(file, Impersonation.NONE);
        Config config = loaded.config();
        assertThat(config.getImpersonateUsername()).isEqualTo("system:serviceaccount:meshfed:nobody");
        assertThat(config.getImpersonateGroups()).containsExactly("team-a", "system:authenticated");
        assertThat(config.getImpersonateExtras()).isEqualTo(Map.of("scopes", List.of("view")));
        assertThat(loaded.impersonation().uid()).isEqualTo("1234");

        Kubeconfig.Loaded flagged = load(file, new Impersonation("alice", List.of(), null, null));
        assertThat(flagged.config().getImpersonateUsername()).isEqualTo("alice");
        assertThat(flagged.config().getImpersonateGroups()).containsExactly("team-a", "system:authenticated");
        assertThat(load(file, new Impersonation("bob", List.of("ops"), null, null)).config().getImpersonateGroups())
                .containsExactly("ops");

        assertThat(load(kubeconfig(tmp, "token: t\n"), Impersonation.NONE).config().getImpersonateUsername()).isNull();
        assertThatThrownBy(() -> load(kubeconfig(tmp, "token: t\nas-groups: [team-a]\n"), Impersonation.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("impersonates groups, a uid or user extras without a user to impersonate (as)");
        assertThatThrownBy(() -> new Impersonation(null, List.of("ops"), null, null))
                .hasMessageContaining("needs a user to impersonate");
    }

    @Test
    @DisplayName("tokenFile: relative to the kubeconfig's folder, read again for every request (a rotated token is used), unreadable said at once")
    void tokenFile(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("token"), "first\n");
        Config config = load(kubeconfig(tmp, "tokenFile: token\n"), Impersonation.NONE).config();
        assertThat(config.getOauthTokenProvider().getToken()).isEqualTo("first");
        Files.writeString(tmp.resolve("token"), "rotated\n");
        assertThat(config.getOauthTokenProvider().getToken()).isEqualTo("rotated");

        assertThatThrownBy(() -> load(kubeconfig(tmp, "tokenFile: missing\n"), Impersonation.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("user u: cannot read its tokenFile " + tmp.resolve("missing"));
        // a token beside it wins, as in client-go
        Config both = load(kubeconfig(tmp, "token: inline\ntokenFile: token\n"), Impersonation.NONE).config();
        assertThat(both.getOauthTokenProvider()).isNull();
        assertThat(both.getAutoOAuthToken()).isEqualTo("inline");
    }

    @Test
    @DisplayName("exec plugin: run once and its token kept until expirationTimestamp; KUBERNETES_EXEC_INFO with the cluster; no stdin with interactiveMode Never")
    void execPlugin(@TempDir Path tmp) throws Exception {
        String expires = Instant.now().plusSeconds(3600).toString();
        plugin(tmp, "{\"token\": \"from-plugin\", \"expirationTimestamp\": \"" + expires + "\"}");
        Config config = load(kubeconfig(tmp, """
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: ./bin/token-plugin
                  interactiveMode: Never
                  provideClusterInfo: true
                  env: [{name: PLUGIN_ENV, value: "1"}]
                """), Impersonation.NONE).config();
        assertThat(config.getOauthTokenProvider().getToken()).isEqualTo("from-plugin");
        assertThat(config.getOauthTokenProvider().getToken()).isEqualTo("from-plugin");
        assertThat(Files.readAllLines(tmp.resolve("runs"))).as("runs of the plugin").hasSize(1);
        assertThat(Files.readString(tmp.resolve("exec-info")))
                .contains("\"kind\":\"ExecCredential\"", "\"apiVersion\":\"client.authentication.k8s.io/v1\"",
                        "\"interactive\":false", "\"server\":\"https://127.0.0.1:6443\"", "\"certificate-authority-data\":\"Q0E=\"");
        assertThat(Files.readString(tmp.resolve("stdin"))).isEmpty();
    }

    @Test
    @DisplayName("exec plugin: an expired token runs the plugin again; a plugin without expiry runs once")
    void execPluginExpiry(@TempDir Path tmp) throws Exception {
        plugin(tmp, "{\"token\": \"short-lived\", \"expirationTimestamp\": \"" + Instant.now().minusSeconds(1) + "\"}");
        Config config = load(kubeconfig(tmp, """
                exec: {apiVersion: client.authentication.k8s.io/v1, command: ./bin/token-plugin, interactiveMode: IfAvailable}
                """), Impersonation.NONE).config();
        config.getOauthTokenProvider().getToken();
        config.getOauthTokenProvider().getToken();
        assertThat(Files.readAllLines(tmp.resolve("runs"))).hasSize(3);   // at load, and for each expired read
        assertThat(Files.readString(tmp.resolve("exec-info"))).doesNotContain("cluster");   // provideClusterInfo not asked
    }

    @Test
    @DisplayName("exec plugin failures are said as kubectl says them: Always without a terminal, exit code, not found with the install hint, no credential, old apiVersion")
    void execPluginFailures(@TempDir Path tmp) throws Exception {
        plugin(tmp, "{\"token\": \"t\"}");
        assertThatThrownBy(() -> load(kubeconfig(tmp, """
                exec: {apiVersion: client.authentication.k8s.io/v1, command: ./bin/token-plugin, interactiveMode: Always}
                """), Impersonation.NONE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("exec plugin ./bin/token-plugin cannot run: it needs a terminal (interactiveMode: Always) and "
                        + "standard input is not one");
        assertThat(tmp.resolve("runs")).doesNotExist();
        assertThatThrownBy(() -> load(kubeconfig(tmp, """
                exec: {apiVersion: client.authentication.k8s.io/v1, command: ./bin/token-plugin}
                """), Impersonation.NONE)).hasMessageContaining("interactiveMode must be set");
        assertThatThrownBy(() -> load(kubeconfig(tmp, """
                exec: {apiVersion: client.authentication.k8s.io/v1alpha1, command: ./bin/token-plugin}
                """), Impersonation.NONE)).hasMessageContaining("apiVersion client.authentication.k8s.io/v1alpha1 is not supported");
        assertThatThrownBy(() -> load(kubeconfig(tmp, """
                exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: no-such-plugin-here, installHint: "install it with apt"}
                """), Impersonation.NONE))
                .hasMessage("exec plugin: executable no-such-plugin-here not found on PATH (install it with apt)");
        assertThatThrownBy(() -> load(kubeconfig(tmp, """
                exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: "false"}
                """), Impersonation.NONE)).hasMessage("exec plugin false failed with exit code 1");
        plugin(tmp, "{}");
        assertThatThrownBy(() -> load(kubeconfig(tmp, """
                exec: {apiVersion: client.authentication.k8s.io/v1, command: ./bin/token-plugin, interactiveMode: Never}
                """), Impersonation.NONE)).hasMessageContaining("answered neither a token nor a client certificate and key");
    }
}
