package io.meshfed.provisioner.simulate;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TimeZone;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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

    @Test
    @DisplayName("a control plane whose etcd exits while it starts (a port taken by another) is started again with new ports, at once")
    void startsAgainWhenAProcessExitsWhileStarting() throws Exception {
        Set<Long> before = etcdChildren();
        Set<Long> apiServersBefore = apiServerChildren();
        CompletableFuture<ControlPlane> starting = CompletableFuture.supplyAsync(ControlPlane::start);
        Set<Long> seen = new LinkedHashSet<>();
        long killed = -1;
        while (!starting.isDone()) {
            for (long pid : etcdChildren()) {
                if (!before.contains(pid) && seen.add(pid) && killed < 0) {
                    killed = pid;
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
            Thread.sleep(5);
        }
        // kube-api-test alone would wait for readiness until its timeout (two minutes) and fail
        try (ControlPlane controlPlane = starting.get(60, TimeUnit.SECONDS)) {
            assertThat(killed).as("the first etcd was seen and killed").isPositive();
            assertThat(seen).as("etcd processes started: the killed one, then the second attempt's").hasSize(2);
            assertThat(etcdChildren()).as("the second attempt's etcd runs").contains(seen.toArray(Long[]::new)[1]);
            assertThat(defaultNamespace(controlPlane)).isEqualTo("namespace/default");
        }
        assertThat(apiServerChildren()).as("no kube-apiserver of either attempt is left").isEqualTo(apiServersBefore);
    }

    @Test
    @DisplayName("a control plane started a minute before midnight starts (kube-api-test times its wait by the time of day)")
    void startsBeforeMidnight() throws Exception {
        TimeZone saved = TimeZone.getDefault();
        int utc = LocalTime.now(ZoneOffset.UTC).toSecondOfDay();
        int offset = 23 * 3600 + 59 * 60 - utc;   // local time 23:59 now, so the two-minute wait ends "before" it began
        if (offset > 14 * 3600) {
            offset -= 24 * 3600;
        } else if (offset < -12 * 3600) {
            offset += 24 * 3600;
        }
        TimeZone.setDefault(TimeZone.getTimeZone(ZoneOffset.ofTotalSeconds(offset)));
        try (ControlPlane controlPlane = ControlPlane.start()) {
            assertThat(LocalTime.now().getHour()).as("the test's local time").isEqualTo(23);
            assertThat(defaultNamespace(controlPlane)).isEqualTo("namespace/default");
        } finally {
            TimeZone.setDefault(saved);
        }
    }

    /** What kubectl, with the control plane's client certificate, says of the default namespace. */
    private static String defaultNamespace(ControlPlane controlPlane) throws IOException {
        Process kubectl = new ProcessBuilder(Simulation.kubectl().toString(),
                "--client-certificate=" + controlPlane.clientCertificate(), "--client-key=" + controlPlane.clientKey(),
                "--certificate-authority=" + controlPlane.caCertificate(),
                "--server=https://127.0.0.1:" + controlPlane.port(), "get", "ns", "default", "-o", "name")
                .redirectErrorStream(true).start();
        return new String(kubectl.getInputStream().readAllBytes()).trim();
    }

    private static Set<Long> etcdChildren() {
        return children("/etcd");
    }

    private static Set<Long> apiServerChildren() {
        return children("/kube-apiserver");
    }

    private static Set<Long> children(String command) {
        Set<Long> pids = new LinkedHashSet<>();
        ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith(command)).orElse(false))
                .forEach(p -> pids.add(p.pid()));
        return pids;
    }
}
