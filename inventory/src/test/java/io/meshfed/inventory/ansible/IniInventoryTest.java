package io.meshfed.inventory.ansible;

import io.meshfed.inventory.InventoryException;
import io.meshfed.inventory.yaml.Located;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IniInventoryTest {

    @Test
    @DisplayName("values as Python's literal_eval types them, else the text")
    void pythonLiterals() {
        assertThat(PythonLiteral.evalOrText("22")).isEqualTo(22);
        assertThat(PythonLiteral.evalOrText("-0x1F")).isEqualTo(-31);
        assertThat(PythonLiteral.evalOrText("1_000")).isEqualTo(1000);
        assertThat(PythonLiteral.evalOrText("12345678901")).isEqualTo(12345678901L);
        assertThat(PythonLiteral.evalOrText("123456789012345678901234567890")).isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(PythonLiteral.evalOrText("1e3")).isEqualTo(1000.0);
        assertThat(PythonLiteral.evalOrText("0.5")).isEqualTo(0.5);
        assertThat(PythonLiteral.evalOrText("010")).as("a leading zero is a syntax error in Python 3").isEqualTo("010");
        assertThat(PythonLiteral.evalOrText("True")).isEqualTo(true);
        assertThat(PythonLiteral.evalOrText("true")).isEqualTo("true");
        assertThat(PythonLiteral.evalOrText("None")).isNull();
        assertThat(PythonLiteral.evalOrText("'a' \"b\"")).isEqualTo("ab");
        assertThat(PythonLiteral.evalOrText("'tab\\there'")).isEqualTo("tab\there");
        assertThat(PythonLiteral.evalOrText("[1, 'x', [True]]")).isEqualTo(List.of(1, "x", List.of(true)));
        assertThat(PythonLiteral.evalOrText("(1, 2)")).isEqualTo(List.of(1, 2));
        assertThat(PythonLiteral.evalOrText("(1)")).isEqualTo(1);
        assertThat(PythonLiteral.evalOrText("(1,)")).isEqualTo(List.of(1));
        assertThat(PythonLiteral.evalOrText("{'a': 1, 2: None}")).isEqualTo(new java.util.LinkedHashMap<>(
                Map.of("a", 1)) {{ put("2", null); }});
        assertThat(PythonLiteral.evalOrText("[1, 2")).isEqualTo("[1, 2");
        assertThat(PythonLiteral.evalOrText("two words")).isEqualTo("two words");
        assertThat(PythonLiteral.evalOrText("")).isEqualTo("");
    }

    @Test
    @DisplayName("host lines split as shlex splits them: quotes, escapes, comments")
    void shlex() {
        assertThat(Shlex.split("web note=\"two words\" q='a \"b\"' e=a\\ b # gone").stream().map(Shlex.Token::text))
                .containsExactly("web", "note=two words", "q=a \"b\"", "e=a b");
        assertThat(Shlex.split("  host  x=1").get(1).column()).isEqualTo(9);
        assertThatThrownBy(() -> Shlex.split("host x='open")).hasMessage("No closing quotation");
    }

    @Test
    @DisplayName("host ranges and ports as Ansible expands them")
    void hostPatterns() {
        assertThat(HostPattern.parse("node[01:03]").hosts()).containsExactly("node01", "node02", "node03");
        assertThat(HostPattern.parse("db-[a:c]").hosts()).containsExactly("db-a", "db-b", "db-c");
        assertThat(HostPattern.parse("n[1:9:4]x[a:b]").hosts()).containsExactly("n1xa", "n1xb", "n5xa", "n5xb", "n9xa", "n9xb");
        HostPattern withPort = HostPattern.parse("web[1:2]:2222");
        assertThat(withPort.hosts()).containsExactly("web1", "web2");
        assertThat(withPort.port()).isEqualTo(2222);
        assertThatThrownBy(() -> HostPattern.parse("n[01:3]")).hasMessage("host range must specify equal-length begin and end formats");
    }

    @Test
    @DisplayName("sections become the YAML inventory's tree: groups, hosts with their values, vars, children declared later")
    void tree() {
        Located root = IniInventory.read("""
                solo
                [meshes]
                blue x=1 list="['a']"
                [meshes:vars]
                v=True
                [top:children]
                meshes
                """, "hosts");
        Map<String, Object> plain = (Map<String, Object>) root.plain();
        assertThat(plain).isEqualTo(Map.of("all", Map.of("children", Map.of(
                "ungrouped", Map.of("hosts", java.util.Collections.singletonMap("solo", null)),
                "top", Map.of("children", Map.of("meshes", Map.of(
                        "hosts", Map.of("blue", Map.of("x", 1, "list", List.of("a"))),
                        "vars", Map.of("v", true))))))));
    }

    @Test
    @DisplayName("what Ansible rejects, at its line: an unknown section type, vars or children of an undefined group, a bare word")
    void errors() {
        assertThatThrownBy(() -> IniInventory.read("[g:hostz]\n", "hosts")).isInstanceOf(InventoryException.class)
                .hasMessage("hosts:1:1: section [g:hostz] has unknown type: hostz (hosts, children or vars)");
        assertThatThrownBy(() -> IniInventory.read("[a]\nh\n[b:vars]\nx=1\n", "hosts"))
                .hasMessage("hosts:3:1: section [b:vars] not valid for undefined group: b");
        assertThatThrownBy(() -> IniInventory.read("[p:children]\nmissing\n", "hosts"))
                .hasMessage("hosts:2:1: section [p:children] includes undefined group: missing");
        assertThatThrownBy(() -> IniInventory.read("[a]\nhost novalue\n", "hosts"))
                .hasMessage("hosts:2:6: expected key=value host variable assignment, got: novalue");
        assertThatThrownBy(() -> IniInventory.read("[a:vars]\n[a]\n[a:vars]\njustakey\n", "hosts"))
                .hasMessage("hosts:4:1: expected key=value, got: justakey");
    }
}
