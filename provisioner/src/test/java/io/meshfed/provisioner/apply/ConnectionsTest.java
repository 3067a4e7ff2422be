package io.meshfed.provisioner.apply;

import io.meshfed.model.inventory.Connection;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectionsTest {

    private static Connection cluster(String context, String kubeconfig) {
        return new Connection(context, kubeconfig, false);
    }

    @Test
    @DisplayName("a kubeconfig that does not exist is said so, not reported as a missing context; a misspelt context gets a did-you-mean")
    void missingKubeconfig(@TempDir Path tmp) throws Exception {
        assertThatThrownBy(() -> Connections.config(cluster("far-admin", tmp.resolve("nope").toString()), Impersonation.NONE))
                .hasMessage("kubeconfig " + tmp.resolve("nope") + " does not exist");
        Path kubeconfig = Files.writeString(tmp.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters: [{name: near, cluster: {server: "https://127.0.0.1:6443"}}]
                users: [{name: admin, user: {token: t}}]
                contexts:
                  - {name: near-admin, context: {cluster: near, user: admin}}
                  - {name: green, context: {cluster: near, user: admin}}
                current-context: near-admin
                """);
        assertThatThrownBy(() -> Connections.config(cluster("far-admin", kubeconfig.toString()), Impersonation.NONE))
                .hasMessage("context far-admin is not in kubeconfig " + kubeconfig + " (did you mean 'near-admin'?)");
        assertThatThrownBy(() -> Connections.config(cluster("blue", kubeconfig.toString()), Impersonation.NONE))
                .hasMessage("context blue is not in kubeconfig " + kubeconfig);
    }
}
