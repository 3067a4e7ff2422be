package io.meshfed.inventory;

import io.meshfed.inventory.yaml.Located;
import io.meshfed.inventory.yaml.YamlReader;
import io.meshfed.model.inventory.Location;
import io.meshfed.model.resource.ClusterScopedKinds;
import io.meshfed.model.inventory.Manifest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads a cluster's own manifests: files or folders (every {@code .yaml}/{@code .yml} below, sorted)
 * of multi-document YAML, paths relative to the inventory folder. Every document must be a
 * Kubernetes object with apiVersion, kind and metadata.name.
 */
final class ManifestReader {

    private final Path baseDir;
    private final String displayBase;
    private final Warnings warnings;

    ManifestReader(Path baseDir, String displayBase, Warnings warnings) {
        this.baseDir = baseDir;
        this.displayBase = displayBase;
        this.warnings = warnings;
    }

    /**
     * @param namespace the namespace of objects of namespaced kinds that name none (kubectl would use the
     *                  context's; meshfed names it explicitly, so that what it renders and prunes does not
     *                  depend on where it runs)
     */
    List<Manifest> read(List<String> paths, String namespace, Location where, Problems problems) {
        List<Manifest> manifests = new ArrayList<>();
        for (String path : paths) {
            Path resolved = baseDir.resolve(path).normalize();
            if (!Files.exists(resolved)) {
                problems.add(where, "mesh_manifests: '" + path + "' does not exist (paths are relative to the inventory folder)");
                continue;
            }
            for (Path file : files(resolved)) {
                try {
                    for (Located doc : YamlReader.readAll(file, display(file), warnings.duplicates())) {
                        Manifest m = manifest(doc, namespace, problems);
                        if (m != null) {
                            manifests.add(m);
                        }
                    }
                } catch (InventoryException e) {
                    e.problems().forEach(p -> problems.add(p.location(), p.message()));
                }
            }
        }
        return manifests;
    }

    @SuppressWarnings("unchecked")
    private static Manifest manifest(Located doc, String namespace, Problems problems) {
        if (!doc.isMap()) {
            problems.add(doc.location(), "a manifest must be a Kubernetes object (a mapping), not " + doc.typeName());
            return null;
        }
        Map<String, Object> object = (Map<String, Object>) doc.plain();
        Object metadata = object.get("metadata");
        Object name = metadata instanceof Map<?, ?> m ? m.get("name") : null;
        for (Object[] required : new Object[][] {{"apiVersion", object.get("apiVersion")}, {"kind", object.get("kind")},
                {"metadata.name", name}}) {
            if (!(required[1] instanceof String)) {
                problems.add(doc.location(), "manifest object has no " + required[0]);
                return null;
            }
        }
        if (((Map<String, Object>) metadata).get("namespace") == null
                && !ClusterScopedKinds.contains((String) object.get("apiVersion"), (String) object.get("kind"))) {
            Map<String, Object> copy = new java.util.LinkedHashMap<>(object);
            Map<String, Object> meta = new java.util.LinkedHashMap<>((Map<String, Object>) metadata);
            meta.put("namespace", namespace);
            copy.put("metadata", meta);
            object = copy;
        }
        return new Manifest(doc.location(), object);
    }

    private List<Path> files(Path path) {
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> walk = Files.walk(path)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new InventoryException(new Location(display(path), 0, 0), "cannot list folder: " + e.getMessage());
        }
    }

    private String display(Path file) {
        return displayBase + baseDir.relativize(file.toAbsolutePath());
    }
}
