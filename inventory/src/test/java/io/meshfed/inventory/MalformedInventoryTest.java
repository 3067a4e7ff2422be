package io.meshfed.inventory;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The corpus of malformed inventories: each folder under {@code src/test/resources/malformed} holds
 * an inventory and {@code expected.txt}, the exact messages it must produce, one per line, with the
 * file named relative to the folder (file:line:column: message).
 */
class MalformedInventoryTest {

    static final Path CORPUS = Path.of("src/test/resources/malformed");

    static Stream<Path> cases() throws IOException {
        try (Stream<Path> dirs = Files.list(CORPUS)) {
            return dirs.filter(Files::isDirectory).sorted().toList().stream();
        }
    }

    @Test
    @DisplayName("the corpus has at least 25 malformed inventories")
    void corpusSize() throws IOException {
        assertThat(cases()).hasSizeGreaterThanOrEqualTo(25);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @DisplayName("a malformed inventory fails with exactly the expected messages")
    void failsWithExpectedMessages(Path caseDir) throws IOException {
        List<String> expected = Files.readAllLines(caseDir.resolve("expected.txt"), StandardCharsets.UTF_8);

        InventoryException e = catchThrowableOfType(InventoryException.class, () -> InventoryLoader.load(caseDir));

        assertThat(e).as("no InventoryException for " + caseDir).isNotNull();
        String prefix = caseDir.toString();
        List<String> actual = e.getMessage().lines()
                .map(line -> line.startsWith(prefix + "/") ? line.substring(prefix.length() + 1)
                        : line.startsWith(prefix) ? line.substring(prefix.length()) : line)
                .toList();
        assertThat(actual).containsExactlyElementsOf(expected);
        assertThat(e.problems()).isNotEmpty();
    }

    @Test
    @DisplayName("a path that does not exist is bad input, not a crash")
    void missingPath() {
        assertThatThrownBy(() -> InventoryLoader.load(Path.of("no/such/inventory")))
                .isInstanceOf(InventoryException.class)
                .hasMessage("no/such/inventory: no such file or folder");
    }
}
