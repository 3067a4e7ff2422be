package io.meshfed.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Port;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Builds meshfed's container image without a Docker daemon and without a base image (no registry is
 * reachable here): the root file system assembled from Debian's libc and a jlinked runtime
 * ({@link RootFileSystem}), the AOT cache trained in it ({@link AotTraining}), and the layers, config and
 * manifest written by Jib into an image archive ({@code podman load}, {@code docker load}, {@code skopeo
 * copy docker-archive:...}). Layers from the least to the most often changed: libc, Java, the
 * application's libraries, the application, its AOT cache. Runs as {@value RootFileSystem#USER} (not root;
 * OpenShift's arbitrary UIDs work: every file is readable by group 0), on a read-only root file system
 * (the Job mounts /tmp).
 */
public final class ImageBuild {

    /**
     * @param app       the Quarkus application (native/target/quarkus-app)
     * @param jdk       a JDK 25+ whose jlink makes the runtime
     * @param jvmArgs   the JVM options of a one-shot command (scripts/jvm-cli.args)
     * @param training  the inventory of the AOT cache's training run; null: no AOT cache
     * @param work      a folder for the root file system and Jib's caches
     * @param output    the image archive to write
     * @param name      the image's name and tag, e.g. meshfed:0.1.0
     * @param labels    OCI annotations (org.opencontainers.image.*)
     */
    public record Settings(Path app, Path jdk, Path jvmArgs, Path training, Path work, Path output, String name,
                           Map<String, String> labels) {
    }

    /** What was built: the archive, the image's digest and id. */
    public record Built(Path archive, String digest, String imageId) {
    }

    private ImageBuild() {
    }

    public static Built build(Settings settings) throws Exception {
        Path root = settings.work().resolve("rootfs");
        RootFileSystem.assemble(root, settings.jdk(), settings.app(), settings.jvmArgs(),
                settings.work().resolve("debian-packages"));
        if (settings.training() != null) {
            AotTraining.run(root, settings.training());
        }
        List<String> entrypoint = new java.util.ArrayList<>(List.of(RootFileSystem.JAVA + "/bin/java",
                "@" + RootFileSystem.APP + "/jvm-cli.args"));
        if (settings.training() != null) {
            entrypoint.add("-XX:AOTCache=" + AotTraining.CACHE);
        }
        entrypoint.addAll(List.of("-jar", RootFileSystem.APP + "/quarkus-run.jar"));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", RootFileSystem.JAVA + "/bin");
        env.put("JAVA_HOME", RootFileSystem.JAVA);
        env.put("HOME", "/tmp");
        env.put("LANG", "C.UTF-8");
        JibContainerBuilder image = Jib.fromScratch()
                .setFormat(ImageFormat.OCI)
                .setCreationTime(Instant.now())
                .addFileEntriesLayer(layer("libc", root, p -> !p.startsWith("opt")))
                .addFileEntriesLayer(layer("java", root, p -> p.startsWith("opt/java")))
                .addFileEntriesLayer(layer("dependencies", root, p -> p.startsWith("opt/meshfed/lib")))
                .addFileEntriesLayer(layer("application", root, p -> p.startsWith("opt/meshfed")
                        && !p.startsWith("opt/meshfed/lib") && !p.toString().equals("opt/meshfed/meshfed.aot")))
                .setEntrypoint(entrypoint)
                .setProgramArguments("--help")
                .setEnvironment(env)
                .setUser(RootFileSystem.USER)
                .setWorkingDirectory(AbsoluteUnixPath.get("/tmp"))
                .addExposedPort(Port.tcp(8080))
                .setLabels(settings.labels());
        if (settings.training() != null) {
            image.addFileEntriesLayer(layer("aot-cache", root, p -> p.toString().equals("opt/meshfed/meshfed.aot")
                    || p.toString().equals("opt/meshfed") || p.toString().equals("opt")));
        }
        Files.createDirectories(settings.output().toAbsolutePath().getParent());
        JibContainer built = image.containerize(Containerizer.to(TarImage.at(settings.output()).named(settings.name()))
                .setOfflineMode(true)
                .setToolName("meshfed-image")
                .setBaseImageLayersCache(settings.work().resolve("jib-base-cache"))
                .setApplicationLayersCache(settings.work().resolve("jib-cache")));
        return new Built(settings.output(), built.getDigest().toString(), built.getImageId().toString());
    }

    /**
     * A layer of the files under {@code root} that {@code include} takes (paths relative to root). A
     * symbolic link becomes a copy of its target inside the root file system (Debian's absolute links
     * point into the image, never into this machine); executables keep their executable bits; every file
     * is readable by group 0 and others.
     */
    static FileEntriesLayer layer(String name, Path root, Predicate<Path> include) throws IOException {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(name);
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths.sorted()::iterator) {
                Path relative = root.relativize(p);
                if (relative.toString().isEmpty() || !include.test(relative)) {
                    continue;
                }
                AbsoluteUnixPath target = AbsoluteUnixPath.get("/" + relative.toString().replace('\\', '/'));
                Path source = Files.isSymbolicLink(p) ? inside(root, p) : p;
                if (source == null) {
                    continue;   // a link to nothing in the image
                }
                boolean directory = Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS);
                String mode = relative.toString().equals("tmp") ? "777"
                        : directory || Files.isExecutable(source) ? "755" : "644";
                layer.addEntry(source, target, FilePermissions.fromOctalString(mode));
            }
        }
        return layer.build();
    }

    /** A link's target as the image sees it: absolute targets are taken from the root file system. */
    private static Path inside(Path root, Path link) throws IOException {
        Path target = link;
        for (int hops = 0; hops < 16 && Files.isSymbolicLink(target); hops++) {
            Path next = Files.readSymbolicLink(target);
            target = next.isAbsolute() ? root.resolve(next.toString().substring(1)) : target.getParent().resolve(next);
        }
        target = target.normalize();
        return target.startsWith(root) && Files.exists(target, LinkOption.NOFOLLOW_LINKS)
                && !Files.isSymbolicLink(target) ? target : null;
    }

    /**
     * {@code ImageBuild APP JDK JVM_ARGS TRAINING_INVENTORY WORK OUTPUT NAME [LABEL=VALUE...]}; TRAINING_INVENTORY
     * {@code -} for none. Prints the archive, digest and image id.
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 7) {
            System.err.println("usage: ImageBuild APP JDK JVM_ARGS TRAINING_INVENTORY|- WORK OUTPUT NAME [LABEL=VALUE...]");
            System.exit(2);
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 7; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            labels.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        Built built = build(new Settings(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]),
                "-".equals(args[3]) ? null : Path.of(args[3]), Path.of(args[4]), Path.of(args[5]), args[6], labels));
        System.out.println("image " + args[6] + ": " + built.archive() + "\ndigest " + built.digest() + "\nid " + built.imageId());
        System.exit(0);
    }
}
