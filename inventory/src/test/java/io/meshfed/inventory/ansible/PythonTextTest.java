package io.meshfed.inventory.ansible;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PythonTextTest {

    @Test
    @DisplayName("str() and repr() as Python 3 prints them (the expected texts are python3's own output)")
    void asPython() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("k", "v");
        assertThat(PythonText.str(Arrays.asList("a", 1, true, null, map, 1.0))).isEqualTo("['a', 1, True, None, {'k': 'v'}, 1.0]");
        assertThat(PythonText.repr("it's")).isEqualTo("\"it's\"");
        assertThat(PythonText.repr("say \"hi\"")).isEqualTo("'say \"hi\"'");
        assertThat(PythonText.repr("both ' and \"")).isEqualTo("'both \\' and \"'");
        assertThat(PythonText.repr("tab\there")).isEqualTo("'tab\\there'");
        assertThat(PythonText.str("plain text")).isEqualTo("plain text");
    }
}
