package io.meshfed.it;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.meshfed.image.ImageBuild;
import io.meshfed.inventory.InventoryLoader;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.provisioner.simulate.SimulatedInventory;
import io.meshfed.provisioner.simulate.Simulation;
import io.meshfed.provisioner.simulate.SimulationTiming;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The container image built here (scripts/image.sh's build, into a temporary folder): its config as a
 * runtime reads it, and its entrypoint run from the unpacked layers as a container runtime would run it —
 * chroot into a read-only root file system with /tmp writable, as the image's non-root user — against
 * simulated clusters. No container runtime is installed here; chroot and mount need root.
 */
class ImageTest {

    private static String run(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(env);
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
        return out;
    }

    private static Path blob(Path layout, String digest) {
        return layout.resolve("blobs").resolve(digest.replace(':', '/'));
    }

    @Test
    @SuppressWarnings("unchecked")
    @DisplayName("the image: non-root user of group 0, entrypoint with the AOT cache, labels; from its layers, on a read-only root, it plans against simulated clusters and opens its AOT cache; no credential of the training run inside")
    void imageRunsAsShipped(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "chroot and mount need root");
        Path archive = tmp.resolve("meshfed.tar");
        ImageBuild.Built built = ImageBuild.build(new ImageBuild.Settings(Repo.root().resolve("native/target/quarkus-app"),
                Path.of(System.getProperty("java.home")), Repo.root().resolve("scripts/jvm-cli.args"),
                Repo.example("blue-green"), tmp.resolve("work"), archive, "meshfed:test",
                Map.of("org.opencontainers.image.version", "test", "org.opencontainers.image.title", "meshfed")));
        assertThat(built.digest()).startsWith("sha256:");
        System.out.printf("image: %d MB archive%n", Files.size(archive) >> 20);

        Path unpacked = Files.createDirectories(tmp.resolve("archive"));
        run(List.of("tar", "-xf", archive.toString(), "-C", unpacked.toString()), Map.of());
        // an OCI image layout: index.json → the manifest → its config and layers, each a blob named by its digest
        Map<String, Object> index = Serialization.unmarshal(Files.readString(unpacked.resolve("index.json")), Map.class);
        Map<String, Object> manifest = Serialization.unmarshal(Files.readString(blob(unpacked,
                (String) ((List<Map<String, Object>>) index.get("manifests")).get(0).get("digest"))), Map.class);
        Map<String, Object> config = Serialization.unmarshal(Files.readString(blob(unpacked,
                (String) ((Map<String, Object>) manifest.get("config")).get("digest"))), Map.class);
        Map<String, Object> container = (Map<String, Object>) config.get("config");
        assertThat(container.get("User")).isEqualTo("1001:0");
        List<String> entrypoint = (List<String>) container.get("Entrypoint");
        assertThat(entrypoint).containsExactly("/opt/java/bin/java", "@/opt/meshfed/jvm-cli.args",
                "-XX:AOTCache=/opt/meshfed/meshfed.aot", "-jar", "/opt/meshfed/quarkus-run.jar");
        assertThat((List<String>) container.get("Env")).contains("HOME=/tmp", "JAVA_HOME=/opt/java");
        assertThat((Map<String, String>) container.get("Labels")).containsEntry("org.opencontainers.image.version", "test");
        assertThat(((Map<String, Object>) container.get("ExposedPorts"))).containsKey("8080/tcp");

        Path root = Files.createDirectories(tmp.resolve("root"));
        List<Map<String, Object>> layers = (List<Map<String, Object>>) manifest.get("layers");
        assertThat(layers).hasSize(5);   // libc, java, dependencies, application, aot-cache
        for (Map<String, Object> layer : layers) {
            run(List.of("tar", "-xzf", blob(unpacked, (String) layer.get("digest")).toString(), "-C", root.toString()), Map.of());
        }
        try (Stream<Path> files = Files.walk(root)) {
            List<Path> all = files.toList();
            assertThat(all).as("no credential or inventory of the training run").noneMatch(p ->
                    p.toString().contains("kubeconfig") || p.startsWith(root.resolve("tmp/inventory")));
            assertThat(all).as("readable by any user (OpenShift's arbitrary UIDs)").allMatch(p -> {
                try {
                    return Files.isSymbolicLink(p) || Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_READ);
                } catch (java.io.IOException e) {
                    return false;
                }
            });
        }

        Inventory inventory = InventoryLoader.load(Repo.example("blue-green"));
        Path writable = Files.createDirectories(tmp.resolve("tmp-volume"));
        Files.setPosixFilePermissions(writable, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Repo.copyTree(Repo.example("blue-green"), writable.resolve("inventory"));
        List<String> mounted = new ArrayList<>();
        try (Simulation simulation = SimulatedInventory.start(inventory, SimulationTiming.INSTANT)) {
            Files.writeString(writable.resolve("kubeconfig"), SimulatedInventory.kubeconfig(inventory, simulation));
            Files.createDirectories(root.resolve("proc"));
            Files.createDirectories(root.resolve("dev"));
            // what a container runtime gives a container: its root read-only (readOnlyRootFilesystem), /tmp a
            // volume, /proc, and /dev with the usual nodes
            run(List.of("mount", "--bind", root.toString(), root.toString()), Map.of());
            mounted.add(0, root.toString());
            run(List.of("mount", "-o", "remount,bind,ro", root.toString()), Map.of());
            run(List.of("mount", "--bind", writable.toString(), root.resolve("tmp").toString()), Map.of());
            mounted.add(0, root.resolve("tmp").toString());
            run(List.of("mount", "-t", "proc", "proc", root.resolve("proc").toString()), Map.of());
            mounted.add(0, root.resolve("proc").toString());
            run(List.of("mount", "-t", "tmpfs", "tmpfs", root.resolve("dev").toString()), Map.of());
            mounted.add(0, root.resolve("dev").toString());
            for (String[] node : new String[][] {{"null", "3"}, {"zero", "5"}, {"random", "8"}, {"urandom", "9"}}) {
                run(List.of("mknod", "-m", "666", root.resolve("dev/" + node[0]).toString(), "c", "1", node[1]), Map.of());
            }
            Map<String, String> env = new java.util.HashMap<>();
            for (String e : (List<String>) container.get("Env")) {
                env.put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1));
            }
            env.put("KUBECONFIG", "/tmp/kubeconfig");
            env.put("JAVA_TOOL_OPTIONS", "-Xlog:aot:file=/tmp/aot.log");
            List<String> command = new ArrayList<>(List.of("chroot", "--userspec=" + container.get("User"), root.toString()));
            command.addAll(entrypoint);
            command.addAll(List.of("plan", "-i", "/tmp/inventory"));
            String out = run(command, env);
            assertThat(out).contains("Plan: 50 to create");
            assertThat(Files.readString(writable.resolve("aot.log"))).contains("Opened AOT cache /opt/meshfed/meshfed.aot");
        } finally {
            for (String m : mounted) {
                new ProcessBuilder("umount", "-l", m).start().waitFor();
            }
        }
    }
}
