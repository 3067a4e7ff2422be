package io.meshfed.image;

import io.meshfed.inventory.InventoryLoader;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.provisioner.simulate.SimulatedInventory;
import io.meshfed.provisioner.simulate.Simulation;
import io.meshfed.provisioner.simulate.SimulationTiming;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JDK's AOT cache (JEP 483/515) made for the image, by the image's own runtime at the image's own
 * paths (a cache is only used by the runtime and class path that made it): the root file system is
 * entered with chroot and meshfed applies an example inventory to simulated clusters running beside it
 * (on loopback, which chroot shares). Needs root (chroot, mount, mknod); everything the run needed —
 * the kubeconfig, the inventory, /proc, the device nodes — is removed before the layers are made.
 */
final class AotTraining {

    static final String CACHE = RootFileSystem.APP + "/meshfed.aot";

    private AotTraining() {
    }

    /** Writes {@link #CACHE} into {@code root}; {@code inventory} is the training run's (an example of the repository). */
    static void run(Path root, Path inventory) throws IOException, InterruptedException {
        Inventory loaded = InventoryLoader.load(inventory);
        Path tmp = root.resolve("tmp");
        Path dev = root.resolve("dev");
        Path proc = root.resolve("proc");
        boolean mounted = false;
        try (Simulation simulation = SimulatedInventory.start(loaded, SimulationTiming.INSTANT)) {
            RootFileSystem.copyTree(inventory, tmp.resolve("inventory"));
            Files.writeString(tmp.resolve("kubeconfig"), SimulatedInventory.kubeconfig(loaded, simulation));
            Files.createDirectories(dev);
            // what the JVM reads from /dev: random numbers for TLS, and /dev/null
            for (String[] node : new String[][] {{"null", "1", "3"}, {"zero", "1", "5"}, {"random", "1", "8"},
                    {"urandom", "1", "9"}}) {
                Processes.run(List.of("mknod", "-m", "666", dev.resolve(node[0]).toString(), "c", node[1], node[2]), null);
            }
            Files.createDirectories(proc);
            Processes.run(List.of("mount", "-t", "proc", "proc", proc.toString()), null);
            mounted = true;
            List<String> command = new ArrayList<>(List.of("chroot", root.toString(), RootFileSystem.JAVA + "/bin/java",
                    "@" + RootFileSystem.APP + "/jvm-cli.args", "-XX:AOTCacheOutput=" + CACHE, "-XX:+DisplayVMOutputToStderr",
                    "-Xlog:aot=off", "-Xlog:cds=off", "-jar", RootFileSystem.APP + "/quarkus-run.jar", "apply", "-i", "/tmp/inventory"));
            Processes.run(command, null, Map.of("KUBECONFIG", "/tmp/kubeconfig", "HOME", "/tmp", "PATH", RootFileSystem.JAVA + "/bin"));
        } finally {
            if (mounted) {
                Processes.run(List.of("umount", proc.toString()), null);
            }
            RootFileSystem.delete(dev);
            RootFileSystem.delete(proc);
            try (var left = Files.list(tmp)) {
                for (Path p : left.toList()) {
                    RootFileSystem.delete(p);   // the kubeconfig (an admin's credentials) never reaches a layer
                }
            }
        }
        if (!Files.isRegularFile(root.resolve(CACHE.substring(1)))) {
            throw new IOException("the training run made no AOT cache at " + CACHE);
        }
    }
}
