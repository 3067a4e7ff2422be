package io.meshfed.inventory.yaml;

import io.meshfed.inventory.InventoryException;
import io.meshfed.model.inventory.Location;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class YamlReaderTest {

    private final List<String> duplicates = new ArrayList<>();

    private Located read(String yaml) {
        return YamlReader.readAll(new StringReader(yaml), "f.yaml",
                (kept, key, dropped) -> duplicates.add(key + " " + kept + " " + dropped)).get(0);
    }

    @Test
    @DisplayName("merge keys: one source, several (the first that has a key gives it), keys beside them win")
    void mergeKeys() {
        Located doc = read("""
                a: &a {x: 1, y: 1}
                b: &b {y: 2, z: 2}
                one: {<<: *a, x: 9}
                two:
                  <<: [*a, *b]
                """);
        assertThat(doc.asMap().get("one").plain()).isEqualTo(Map.of("x", 9, "y", 1));
        assertThat(doc.asMap().get("two").plain()).isEqualTo(Map.of("x", 1, "y", 1, "z", 2));
        assertThat(duplicates).as("overriding a merged key is not a duplicate").isEmpty();
        assertThatThrownBy(() -> read("a: {<<: 3}")).isInstanceOf(InventoryException.class)
                .hasMessage("f.yaml:1:5: a merge key (<<) takes a mapping or a list of mappings, not an integer");
    }

    @Test
    @DisplayName("!unsafe: a plain string marked never to be templated, on a scalar or everything in a list; !vault kept as written; other tags are errors")
    void unsafe() {
        Located doc = read("a: !unsafe '{{ x }}'\nb: !unsafe ['{{ y }}']\nc: '{{ z }}'\n");
        assertThat(doc.asMap().get("a").value()).isEqualTo("{{ x }}");
        assertThat(doc.asMap().get("a").unsafe()).isTrue();
        assertThat(doc.asMap().get("b").listed()).isEqualTo(List.of(Map.of("__ansible_unsafe", "{{ y }}")));
        assertThat(doc.asMap().get("c").unsafe()).isFalse();
        assertThat(doc.asMap().get("c").listed()).isEqualTo("{{ z }}");
        assertThat(read("password: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n").asMap().get("password").value())
                .isEqualTo(new Vaulted("$ANSIBLE_VAULT;1.1;AES256\n"));   // decrypted where used (VaultTest)
        assertThatThrownBy(() -> read("password: !secret abc\n")).isInstanceOf(InventoryException.class)
                .hasMessageStartingWith("f.yaml:1:11: YAML tag !secret is not supported");
    }

    @Test
    @DisplayName("a key given twice: the last value, in the first one's place, and both places reported")
    void duplicateKeys() {
        Located doc = read("a: 1\nb: 2\na: 3\n");
        assertThat(doc.asMap().keySet()).containsExactly("a", "b");
        assertThat(doc.asMap().get("a").value()).isEqualTo(3);
        assertThat(duplicates).containsExactly("a " + new Location("f.yaml", 3, 1) + " " + new Location("f.yaml", 1, 1));
    }

    @Test
    @SuppressWarnings("unchecked")
    @DisplayName("scalars as PyYAML types them, timestamps as Python prints them")
    void scalars() {
        Map<String, Object> v = (Map<String, Object>) read("""
                e6: 1e6
                e6dot: 1.0e6
                e6signed: 1.0e+6
                octal: 0755
                octal_o: 0o755
                y: y
                on_: on
                big: 123456789012345678901234567890
                long: 12345678901
                sexagesimal: 190:20:30
                date: 2024-03-02
                ts: 2024-3-2 1:02:03.5 +5
                """).plain();
        assertThat(v).containsEntry("e6", "1e6").containsEntry("e6dot", "1.0e6").containsEntry("e6signed", 1_000_000.0)
                .containsEntry("octal", 493).containsEntry("octal_o", "0o755").containsEntry("y", "y").containsEntry("on_", true)
                .containsEntry("big", new BigInteger("123456789012345678901234567890")).containsEntry("long", 12345678901L)
                .containsEntry("sexagesimal", 685230).containsEntry("date", "2024-03-02")
                .containsEntry("ts", "2024-03-02T01:02:03.500000+05:00");
    }

    @Test
    @DisplayName("a file that is not UTF-8: the line and column of its first bad byte; a byte-order mark is skipped")
    void encoding(@TempDir Path tmp) throws Exception {
        Path latin1 = Files.write(tmp.resolve("l.yaml"), "a: 1\nname: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> YamlReader.readFile(latin1, "l.yaml", (k, key, d) -> { }))
                .hasMessage("l.yaml:2:10: cannot read file: not UTF-8 text (byte 0xE9 at offset 14)");
        Path bom = Files.write(tmp.resolve("b.yaml"), "\uFEFFa: 1\n".getBytes(StandardCharsets.UTF_8));
        assertThat(YamlReader.readFile(bom, "b.yaml", (k, key, d) -> { }).plain()).isEqualTo(Map.of("a", 1));
    }

    @Test
    @DisplayName("a [, { or quote never closed is reported where it was opened, with where the reader stopped")
    void unclosed() {
        assertThatThrownBy(() -> read("a:\n  b: [1, 2\nc: 3\n")).hasMessage(
                "f.yaml:2:6: YAML syntax error: this flow sequence is not closed (expected ',' or ']', but got : at 3:2)");
        assertThatThrownBy(() -> read("a: {x: 1\n")).hasMessageStartingWith("f.yaml:1:4: YAML syntax error: this flow mapping is not closed");
        assertThatThrownBy(() -> read("a: 'open\n")).hasMessageStartingWith("f.yaml:1:4: YAML syntax error: this quoted scalar is not closed");
        assertThatThrownBy(() -> read("a: b: c\n")).hasMessage("f.yaml:1:5: YAML syntax error: mapping values are not allowed here");
    }
}
