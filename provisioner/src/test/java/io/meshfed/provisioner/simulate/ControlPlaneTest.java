package io.meshfed.provisioner.simulate;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ControlPlaneTest {

    @Test
    @DisplayName("the Kubernetes version the simulation looks for is the one scripts/control-plane/go.mod builds, staging modules alike")
    void versionMatchesTheGoModule() throws IOException {
        String goMod = Files.readString(Path.of(System.getProperty("meshfed.repo.root", ".."), "scripts", "control-plane",
                "go.mod"));
        String minorPatch = ControlPlane.KUBERNETES_VERSION.substring(ControlPlane.KUBERNETES_VERSION.indexOf('.') + 1);
        assertThat(goMod).contains("k8s.io/kubernetes v" + ControlPlane.KUBERNETES_VERSION + "\n");
        long staging = goMod.lines().filter(l -> l.matches("\\s*k8s\\.io/[a-z-]+ => k8s\\.io/[a-z-]+ v0\\.\\d+\\.\\d+")).count();
        long matching = goMod.lines().filter(l -> l.trim().endsWith(" v0." + minorPatch)).count();
        assertThat(staging).as("staging modules replaced").isGreaterThanOrEqualTo(30).isEqualTo(matching);
        assertThat(ControlPlane.binaries("/x")).isEqualTo(Path.of("/x", "k8s", ControlPlane.KUBERNETES_VERSION + "-linux-amd64"));
    }
}
