package io.meshfed.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where things are: the repository root (Maven passes it), the example inventories, shared/. */
final class Repo {

    static final List<String> EXAMPLES = List.of("blue-green", "triangle", "hub-spoke");

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

    static Path testResource(String relative) {
        return root().resolve("it/src/test/resources").resolve(relative);
    }
}
