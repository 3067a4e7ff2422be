package io.meshfed.it;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.meshfed.inventory.InventoryLoader;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.model.resource.DesiredObject;
import io.meshfed.provisioner.apply.KnownKinds;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of the packaged application in the middle of a first apply — after the operators, during
 * the control plane, during the peering — on clusters that live on (simulate up, its own process):
 * each next apply goes on from what the killed one left, and the last converges to the state an
 * uninterrupted run makes (exactly the inventory's objects, nothing twice), which a further apply
 * finds converged.
 */
class KillAndResumeTest {

    private static Process start(Path out, Path kubeconfig, String... args) throws Exception {
        return AppProcess.start(out, kubeconfig == null ? Map.of() : Map.of("KUBECONFIG", kubeconfig.toString()), List.of(), args);
    }

    /** {@code simulate up} of blue-green in its own process, running once its kubeconfig is written. */
    private static Process simulateUp(Path tmp, Path kubeconfig) throws Exception {
        Path upOut = tmp.resolve("up.out");
        Process up = start(upOut, null, "simulate", "up", "-i", Repo.example("blue-green").toString(), "--kubeconfig-out",
                kubeconfig.toString());
        try {
            AppProcess.await(up, upOut, "Ctrl-C stops");
        } catch (AssertionError e) {
            up.destroy();
            throw e;
        }
        return up;
    }

    /** Waits for a line matching {@code regex}; true when it came, false when the run ended first. */
    private static boolean awaitLine(Process process, Path out, String regex) throws Exception {
        java.util.regex.Pattern pattern = java.util.regex.Pattern.compile(regex, java.util.regex.Pattern.MULTILINE);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (pattern.matcher(Files.readString(out)).find()) {
                return true;
            }
            if (!process.isAlive()) {
                return false;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no line matching " + regex + " in 120 s");
    }

    @Test
    @DisplayName("two runs of one inventory at once: the second waits for the first's lock (naming it), or exits 5 after "
            + "--lock-timeout")
    void oneRunAtATime(@TempDir Path tmp) throws Exception {
        Path kubeconfig = tmp.resolve("kubeconfig");
        Process up = simulateUp(tmp, kubeconfig);
        try {
            // another run holds the lock (a live holder: renewed just now): a run with --lock-timeout 1s exits 5
            try (KubernetesClient blue = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig("blue",
                    Files.readString(kubeconfig), kubeconfig.toString())).build()) {
                var now = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC);
                var lease = blue.leases().inNamespace("default").resource(
                        new io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder().withNewMetadata()
                                .withName("meshfed-blue-green").endMetadata().withNewSpec().withHolderIdentity("pipeline-7/42")
                                .withLeaseDurationSeconds(15).withAcquireTime(now).withRenewTime(now).endSpec().build()).create();
                Path impatientOut = tmp.resolve("impatient.out");
                Process impatient = start(impatientOut, kubeconfig, "apply", "-i", Repo.example("blue-green").toString(),
                        "--lock-timeout", "1s");
                assertThat(impatient.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(impatient.exitValue()).as(Files.readString(impatientOut)).isEqualTo(5);
                assertThat(Files.readString(impatientOut)).contains("is held by pipeline-7/42 (another run of this inventory)")
                        .doesNotContain("changed: ");
                blue.leases().inNamespace("default").resource(lease).delete();
            }
            // two runs started at once: one takes the lock, the other waits for it (naming the first) and then finds
            // nothing to do
            Path aOut = tmp.resolve("a.out");
            Path bOut = tmp.resolve("b.out");
            Process a = start(aOut, kubeconfig, "apply", "-i", Repo.example("blue-green").toString());
            Process b = start(bOut, kubeconfig, "apply", "-i", Repo.example("blue-green").toString());
            assertThat(a.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(b.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String aText = Files.readString(aOut);
            String bText = Files.readString(bOut);
            assertThat(a.exitValue()).as(aText).isZero();
            assertThat(b.exitValue()).as(bText).isZero();
            assertThat(aText.contains("waiting for the lock ") ^ bText.contains("waiting for the lock "))
                    .as("exactly one waited:%n%s%n---%n%s", aText, bText).isTrue();
            String waited = aText.contains("waiting for the lock ") ? aText : bText;
            assertThat(waited).contains("held by ", "nothing to do: already converged");
        } finally {
            up.destroy();
            up.waitFor(60, TimeUnit.SECONDS);
        }
    }

    @Test
    @DisplayName("kill -9 after the operators, mid-control-plane and mid-peering: the next applies converge, nothing duplicated")
    void killedThreeTimesThenConverges(@TempDir Path tmp) throws Exception {
        Path kubeconfig = tmp.resolve("kubeconfig");
        Process up = simulateUp(tmp, kubeconfig);
        try {
            // after an operator, after a first control plane (the other may be starting), after a first peer
            String[] killPoints = {
                    "^changed: \\[\\w+\\] Subscription openshift-operators/servicemeshoperator",
                    "^changed: \\[\\w+\\] ServiceMeshControlPlane ",
                    "^changed: \\[\\w+\\] ServiceMeshPeer "};
            int run = 0;
            int killed = 0;
            for (String point : killPoints) {
                Path out = tmp.resolve("apply-" + ++run + ".out");
                Process apply = start(out, kubeconfig, "apply", "-i", Repo.example("blue-green").toString());
                boolean reached;
                try {
                    reached = awaitLine(apply, out, point);
                } finally {
                    apply.destroyForcibly();   // SIGKILL: no recap, no cleanup, requests cut where they are
                }
                assertThat(apply.waitFor(10, TimeUnit.SECONDS)).isTrue();
                if (reached && !Files.readString(out).contains("PLAY RECAP")) {
                    killed++;
                }
            }
            System.out.printf("[benchmark] kill -9 and resume: %d of %d applies killed mid-run%n", killed, killPoints.length);
            // the killed run's lock expired: the next one waited for it, naming its holder
            assertThat(Files.readString(tmp.resolve("apply-2.out"))).contains("waiting: cluster ", "waiting for the lock ",
                    "held by ");
            assertThat(killed).as("applies killed before their end").isGreaterThanOrEqualTo(2);
            Path last = tmp.resolve("apply-last.out");
            Process apply = start(last, kubeconfig, "apply", "-i", Repo.example("blue-green").toString());
            assertThat(apply.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(apply.exitValue()).as(Files.readString(last)).isZero();
            Path again = tmp.resolve("apply-again.out");
            Process noop = start(again, kubeconfig, "apply", "-i", Repo.example("blue-green").toString());
            assertThat(noop.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(again)).contains("0 changed in", "nothing to do: already converged");

            // the state an uninterrupted run makes: exactly the inventory's objects, each once
            Inventory inventory = InventoryLoader.load(Repo.example("blue-green"));
            for (String cluster : List.of("blue", "green")) {
                Set<String> expected = new TreeSet<>();
                Set<String> kinds = new TreeSet<>();
                for (DesiredObject node : ConvergeTest.graph(inventory).nodes()) {
                    if (node.managed() && node.ref().cluster().equals(cluster)) {
                        expected.add(node.ref().describe());
                        kinds.add(node.ref().apiVersion() + " " + node.ref().kind());
                    }
                }
                Set<String> actual = new TreeSet<>();
                try (KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(cluster,
                        Files.readString(kubeconfig), kubeconfig.toString())).build()) {
                    for (String kind : kinds) {
                        String[] k = kind.split(" ");
                        var context = KnownKinds.find(k[0], k[1]).orElseThrow();
                        for (GenericKubernetesResource r : client.genericKubernetesResources(context).inAnyNamespace()
                                .withLabel("meshfed.io/inventory", "blue-green").list().getItems()) {
                            String namespace = r.getMetadata().getNamespace();
                            actual.add(k[1] + " " + (namespace == null ? "" : namespace + "/") + r.getMetadata().getName());
                        }
                    }
                }
                // objects that were there before the first apply (adopted) carry no ownership label
                Set<String> missing = new TreeSet<>(expected);
                missing.removeAll(actual);
                assertThat(actual).as(cluster + ": meshfed's objects").isSubsetOf(expected);
                assertThat(missing).as(cluster + ": objects without meshfed's label (there before it)")
                        .allMatch(d -> d.startsWith("Namespace openshift-"));
            }
        } finally {
            up.destroy();
            up.waitFor(60, TimeUnit.SECONDS);
        }
    }
}
