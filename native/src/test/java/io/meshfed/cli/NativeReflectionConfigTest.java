package io.meshfed.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.Jinjava;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jinjava makes its filters, tags and tests with {@code Class.newInstance()} and calls its functions by
 * reflection: a native image must be told of every one. The reflection configuration beside the CLI
 * lists them; this checks it against the Jinjava on the classpath, so that a new version's classes
 * are not forgotten (no native image can be built on these machines to find out otherwise).
 */
class NativeReflectionConfigTest {

    private static final String CONFIG = "META-INF/native-image/io.meshfed/meshfed-native/reflect-config.json";

    @Test
    @DisplayName("the native reflection configuration names every class of Jinjava's libraries and expression language")
    void coversJinjava() throws Exception {
        Set<String> configured = new TreeSet<>();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(CONFIG)) {
            assertThat(in).as(CONFIG).isNotNull();
            for (JsonNode entry : new ObjectMapper().readTree(in)) {
                assertThat(entry.get("allDeclaredConstructors").asBoolean()).isTrue();
                configured.add(entry.get("name").asText());
            }
        }
        Set<String> needed = new TreeSet<>();
        Path jar = Path.of(Jinjava.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (JarFile file = new JarFile(jar.toFile())) {
            file.stream().map(e -> e.getName())
                    .filter(n -> n.endsWith(".class") && (n.startsWith("com/hubspot/jinjava/lib/") || n.startsWith("com/hubspot/jinjava/el/")))
                    .forEach(n -> needed.add(n.substring(0, n.length() - ".class".length()).replace('/', '.')));
        }
        assertThat(needed).as("Jinjava's classes in " + jar.getFileName()).hasSizeGreaterThan(100);
        assertThat(configured).containsAll(needed);
    }

    @Test
    @DisplayName("every resource the simulated clusters read at run time is in quarkus.native.resources.includes")
    void resourcesIncluded() throws Exception {
        java.util.Properties properties = new java.util.Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("application.properties")) {
            properties.load(in);
        }
        java.util.List<java.nio.file.PathMatcher> includes = java.util.Arrays.stream(
                        properties.getProperty("quarkus.native.resources.includes").split(","))
                .map(glob -> java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + glob.trim())).toList();
        java.util.List<String> read = new java.util.ArrayList<>();
        io.meshfed.provisioner.crd.CrdCatalog.FILES.forEach(f -> read.add("crds/" + f));
        io.meshfed.provisioner.crd.CrdCatalog.OSSM3_FILES.forEach(f -> read.add("crds/" + f));
        io.meshfed.provisioner.crd.CrdCatalog.PLATFORM_FILES.forEach(f -> read.add("crds/" + f));
        assertThat(read).hasSizeGreaterThan(20).allSatisfy(resource -> {
            assertThat(getClass().getClassLoader().getResource(resource)).as(resource).isNotNull();
            assertThat(includes).as(resource + " in the native image").anyMatch(m -> m.matches(Path.of(resource)));
        });
    }
}
