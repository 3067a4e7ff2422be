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
}
