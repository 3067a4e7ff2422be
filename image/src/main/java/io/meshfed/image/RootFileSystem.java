package io.meshfed.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The image's root file system, assembled in a folder as distroless images are made: Debian's
 * {@code libc6} package unpacked (all a jlinked Java runtime needs from the system), the runtime jlinked
 * from this machine's JDK with the modules meshfed uses, the Quarkus application, and the few files a
 * process expects ({@code /etc/passwd} with the image's user, {@code /etc/group}, {@code /etc/nsswitch.conf},
 * {@code /tmp}). Nothing else: no shell, no package manager.
 */
final class RootFileSystem {

    /** The runtime's modules: what the application loads (a training run fails on a missing one). */
    static final List<String> MODULES = List.of("java.base", "java.logging", "java.management", "java.naming",
            "java.net.http", "java.sql", "java.xml", "jdk.unsupported", "jdk.management", "jdk.zipfs", "jdk.crypto.ec");
    /** Debian's packages the runtime needs (ldd of java and libjvm: libc, libm, libdl, libpthread, librt). */
    static final List<String> PACKAGES = List.of("libc6");

    static final String JAVA = "/opt/java";
    static final String APP = "/opt/meshfed";
    /** The image's user: not root, group 0 (OpenShift runs any UID in group 0; files are group-readable). */
    static final String USER = "1001:0";

    private RootFileSystem() {
    }

    /** Assembles it in {@code root} (emptied first). */
    static void assemble(Path root, Path jdk, Path app, Path jvmArgs, Path downloads) throws IOException, InterruptedException {
        delete(root);
        Files.createDirectories(root);
        for (Path deb : debianPackages(downloads)) {
            Processes.run(List.of("dpkg-deb", "-x", deb.toString(), root.toString()), null);
        }
        delete(root.resolve("usr/share"));   // documentation and lintian overrides
        Processes.run(List.of(jdk.resolve("bin/jlink").toString(), "--add-modules", String.join(",", MODULES),
                "--strip-debug", "--no-man-pages", "--no-header-files", "--output",
                root.resolve(JAVA.substring(1)).toString()), null);
        Path target = root.resolve(APP.substring(1));
        copyTree(app, target);
        Files.copy(jvmArgs, target.resolve("jvm-cli.args"));
        Path etc = Files.createDirectories(root.resolve("etc"));
        Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/sbin/nologin\nmeshfed:x:1001:0:meshfed:/tmp:/sbin/nologin\n");
        Files.writeString(etc.resolve("group"), "root:x:0:\n");
        Files.writeString(etc.resolve("nsswitch.conf"), "hosts: files dns\n");
        Path tmp = Files.createDirectories(root.resolve("tmp"));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    /** The .deb files of {@link #PACKAGES}, at this machine's installed versions, downloaded once into {@code downloads}. */
    private static List<Path> debianPackages(Path downloads) throws IOException, InterruptedException {
        Files.createDirectories(downloads);
        List<Path> debs = new ArrayList<>();
        for (String name : PACKAGES) {
            String version = Processes.run(List.of("dpkg-query", "-W", "-f=${Version}", name), null).strip();
            String file = name + "_" + version.replace(":", "%3a") + "_amd64.deb";
            Path deb = downloads.resolve(file);
            if (!Files.exists(deb)) {
                Processes.run(List.of("apt-get", "download", "-q", name + "=" + version), downloads);
            }
            if (!Files.exists(deb)) {
                throw new IOException("apt-get download " + name + "=" + version + " did not write " + deb);
            }
            debs.add(deb);
        }
        return debs;
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                }
            }
        }
    }

    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
