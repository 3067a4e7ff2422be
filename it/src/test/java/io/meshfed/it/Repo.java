package io.meshfed.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where things are: the repository root (Maven passes it), the example inventories, shared/. */
final class Repo {

    static final List<String> EXAMPLES = List.of("blue-green", "triangle", "hub-spoke", "ossm3-multi-primary");

    private Repo() {
    }

    static Path root() {
        String root = System.getProperty("meshfed.repo.root");
        Path path = root != null ? Path.of(root) : Path.of("..");
        return path.toAbsolutePath().normalize();
    }

    static Path example(String name) {
        return root().resolve("inventory").resolve(name);
    }

    /** The shared specification folder beside the repository, when this checkout has one. */
    static Path shared() {
        Path shared = root().resolveSibling("shared");
        return Files.isDirectory(shared) ? shared : null;
    }

    /**
     * The packaged application (the native module's build, which runs before this module's); tests of
     * it are skipped, saying why, where it was not built.
     */
    static Path packagedApplication() {
        Path jar = root().resolve("native/target/quarkus-app/quarkus-run.jar");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(jar),
                "the application is packaged by the native module's build first");
        return jar;
    }

    /** Copies a folder and everything in it (an example inventory to edit in a test). */
    static void copyTree(Path from, Path to) throws java.io.IOException {
        try (java.util.stream.Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    static Path testResource(String relative) {
        return root().resolve("it/src/test/resources").resolve(relative);
    }
}
