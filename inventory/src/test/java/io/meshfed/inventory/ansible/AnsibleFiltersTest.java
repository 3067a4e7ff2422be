package io.meshfed.inventory.ansible;

import io.meshfed.inventory.InventoryException;
import io.meshfed.inventory.yaml.Located;
import io.meshfed.model.inventory.Location;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Ansible's filters that Jinjava lacks (and Jinjava's own where Ansible users rely on them: b64encode, b64decode,
 * bool), each compared with what ansible-playbook 2.x prints for the same
 * expression over the same variables (recorded here: {@code debug: msg="{{ EXPR }}"} with
 * {@code d: {b: 1, a: [1, 2], c: {x: é}}}, {@code e: {c: {y: 2}, z: null}}, {@code j: '{"a": [1, 2]}'}), and an
 * unknown filter named as one.
 */
class AnsibleFiltersTest {

    private static Object eval(String expression) {
        Location at = new Location("hosts.yaml", 1, 1);
        Map<String, Located> vars = new LinkedHashMap<>();
        vars.put("d", new Located("{{ {'b': 1, 'a': [1, 2], 'c': {'x': 'é'} } }}", at));
        vars.put("e", new Located("{{ {'c': {'y': 2}, 'z': none} }}", at));
        vars.put("j", new Located("{\"a\": [1, 2]}", at));
        vars.put("out", new Located("{{ " + expression + " }}", at));
        return HostTemplates.render(vars, Map::of).get("out").plain();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "=>", quoteCharacter = '`', textBlock = """
            d | to_json                                   => `{"b": 1, "a": [1, 2], "c": {"x": "\\\\u00e9"}}`
            d | to_nice_json                              => `{\\n    "a": [\\n        1,\\n        2\\n    ],\\n    "b": 1,\\n    "c": {\\n        "x": "\\\\u00e9"\\n    }\\n}`
            d | combine(e) | to_json                      => `{"b": 1, "a": [1, 2], "c": {"y": 2}, "z": null}`
            d | combine(e, recursive=True) | to_json      => `{"b": 1, "a": [1, 2], "c": {"x": "\\\\u00e9", "y": 2}, "z": null}`
            {'a':1,'b':2} | dict2items | to_json          => `[{"key": "a", "value": 1}, {"key": "b", "value": 2}]`
            [{'key':'a','value':1}] | items2dict | to_json => `{"a": 1}`
            'api.east.example.com:6443' | regex_search('[0-9]+$') => `6443`
            '10.0.0.1 10.0.0.2' | regex_findall('[0-9.]+') | to_json => `["10.0.0.1", "10.0.0.2"]`
            (1 == 1) | ternary('yes', 'no')               => `yes`
            (1 == 2) | ternary('yes', 'no')               => `no`
            j | from_json | to_json                       => `{"a": [1, 2]}`
            d | to_nice_yaml                              => `a:\\n- 1\\n- 2\\nb: 1\\nc:\\n    x: é\\n`
            d | to_yaml                                   => `a: [1, 2]\\nb: 1\\nc: {x: é}\\n`
            1.0 | to_json                                 => `1.0`
            {'z': 1, 'a': 2} | to_nice_json               => `{\\n    "a": 2,\\n    "z": 1\\n}`
            'hunter2' | b64encode                         => `aHVudGVyMg==`
            'aHVudGVyMg==' | b64decode                    => `hunter2`
            'yes' | bool                                  => `true`
            'off' | bool                                  => `false`
            'a b' | quote                                 => `'a b'`
            "it's" | quote                                => `'it'"'"'s'`
            '/etc/kube/config' | basename                 => `config`
            '/etc/kube/config' | dirname                  => `/etc/kube`
            'Hello' | hash('sha1')                        => `f7ff9e8b7bb2e09b70935a5d785e0cc5d9d0abf0`
            'x' | to_uuid                                 => `66b2f013-1baa-5313-9c8c-e6f1182e0e90`
            [1,[2,[3]]] | flatten | to_json               => `[1, 2, 3]`
            'a.b' | regex_escape                          => `a\\\\.b`
            ['a','b'] | zip([1,2]) | list | to_json       => `[["a", 1], ["b", 2]]`
            'https://api.east.example.com:6443/x' | urlsplit('hostname') => `api.east.example.com`
            'https://api.east.example.com:6443/x' | urlsplit('port')     => `6443`
            '192.0.2.1' | ipaddr                          => `192.0.2.1`
            '192.0.2.7/24' | ipaddr                       => `192.0.2.7/24`
            'x' | ipaddr                                  => `false`
            '192.0.2.7/24' | ipaddr('address')            => `192.0.2.7`
            '192.0.2.7/24' | ipaddr('network')            => `192.0.2.0`
            '192.0.2.7/24' | ipaddr('netmask')            => `255.255.255.0`
            '192.0.2.7/24' | ipaddr('prefix')             => `24`
            '192.0.2.7/24' | ipaddr('size')               => `256`
            '192.0.2.7/24' | ipaddr('broadcast')          => `192.0.2.255`
            '192.0.2.7/24' | ipaddr('host')               => `192.0.2.7/24`
            '10.0.0.1' | ipaddr('private')                => `10.0.0.1`
            '8.8.8.8' | ipaddr('private')                 => ``
            '8.8.8.8' | ipaddr('public')                  => `8.8.8.8`
            '2001:db8::1' | ipaddr                        => `2001:db8::1`
            '192.0.2.1' | ipaddr('prefix')                => `32`
            ['192.0.2.1', 'x', '10.0.0.0/8'] | ipaddr | to_json => `["192.0.2.1", "10.0.0.0/8"]`
            '10.19.3.29-10.19.3.31' | ipaddr              => `false`
            '2001:db8::/64' | ipaddr('network')           => `2001:db8::`
            '192.0.2.7/24' | ipaddr('size') | int + 1     => `257`
            """)
    @DisplayName("as ansible-playbook prints it")
    void asAnsible(String expression, String expected) {
        assertThat(String.valueOf(eval(expression.strip()))).isEqualTo(expected.strip().translateEscapes());
    }

    @Test
    @DisplayName("one expression keeps its type: a list from dict2items, a mapping from combine")
    void nativeTypes() {
        assertThat(eval("{'a': 1} | dict2items")).isEqualTo(List.of(Map.of("key", "a", "value", 1L)));
        assertThat(eval("{'a': 1} | combine({'b': 2})")).isEqualTo(Map.of("a", 1L, "b", 2L));
    }

    @Test
    @DisplayName("a filter nobody defines is named as an unknown filter, with the closest one; a '|' inside quotes is text")
    void unknownFilter() {
        InventoryException typo = catchThrowableOfType(InventoryException.class, () -> eval("d | to_jsn"));
        assertThat(typo.getMessage()).contains("no filter 'to_jsn' (did you mean to_json?)");
        InventoryException unknown = catchThrowableOfType(InventoryException.class, () -> eval("d | frobnicate"));
        assertThat(unknown.getMessage()).contains("no filter 'frobnicate'").doesNotContain("did you mean");
        assertThat(eval("'a|b' ~ '|c'")).isEqualTo("a|b|c");
    }
}
