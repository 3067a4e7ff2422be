package io.meshfed.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.meshfed.inventory.InventoryLoader;
import io.meshfed.inventory.Warnings;
import io.meshfed.inventory.ansible.AnsibleInventory;
import io.meshfed.model.render.FederationRenderer;
import io.meshfed.model.resource.DesiredObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code meshfed inventory --list} must agree with {@code ansible-inventory --list} (Debian's
 * ansible-core 2.14). Each inventory is compared with the output recorded from ansible-inventory; where
 * ansible-inventory is installed (./run-tests installs it), it is also run now and must print the same.
 */
class AnsibleAgreementTest {

    /** Reads Python's json as ansible-inventory writes it: Infinity and NaN bare. */
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"blue-green", "triangle", "hub-spoke"})
    @DisplayName("every example inventory lists the same groups and host variables as ansible-inventory")
    void examples(String name) throws Exception {
        Path hosts = Repo.example(name).resolve("hosts.yaml");
        Map<String, Object> ours = InventoryLoader.loadWithSource(Repo.example(name)).ansible().listing();
        compare(name, hosts, ours);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"blue-green", "triangle", "hub-spoke"})
    @DisplayName("every example written in INI (hosts.ini beside hosts.yaml) lists as ansible-inventory lists it, the same as "
            + "its YAML, and renders the same objects")
    void examplesInIni(String name) throws Exception {
        Path ini = Repo.example(name).resolve("hosts.ini");
        InventoryLoader.Loaded fromIni = InventoryLoader.loadWithSource(ini);
        compare(name, ini, fromIni.ansible().listing());
        List<DesiredObject> fromYaml = FederationRenderer.render(InventoryLoader.load(Repo.example(name)));
        assertThat(FederationRenderer.render(fromIni.inventory())).isEqualTo(fromYaml);
    }

    @Test
    @DisplayName("INI fixture: ungrouped hosts, Python-literal values, a port, host ranges, [g:vars], [g:children], comments")
    void ini() throws Exception {
        Path hosts = Repo.testResource("ansible/ini/hosts");
        JsonNode listed = compare("ini", hosts, AnsibleInventory.load(hosts, "hosts", new Warnings()).listing());
        JsonNode vars = listed.get("_meta").get("hostvars");
        assertThat(vars.get("green").get("ansible_port").asInt()).isEqualTo(6443);
        assertThat(vars.get("blue").get("metallb_addresses").get(0).asText()).isEqualTo("10.19.3.29-10.19.3.31");
        assertThat(vars.get("blue").get("enabled").isBoolean()).isTrue();
        assertThat(vars.get("blue").get("flag").asText()).as("FALSE is not a Python literal").isEqualTo("FALSE");
        assertThat(listed.get("meshes").get("hosts")).extracting(JsonNode::asText)
                .containsExactly("blue", "green", "node01", "node02", "node03", "db-a", "db-b", "db-c");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource(delimiterString = "=>", textBlock = """
            meshes            => east west
            datacenter:!vms   => jump.example.com bastion2 east west
            all:!bastions     => db1 db2 east west
            d*                => jump.example.com bastion2 db1 db2 east west
            ~^(east|west)$    => east west
            vms:&datacenter   => db1 db2
            bastions,meshes   => jump.example.com bastion2 east west
            west,east         => west east
            """)
    @DisplayName("a host pattern (meshfed_clusters, destroy --limit) names the hosts ansible -l names, in its order "
            + "(recorded from ansible PATTERN --list-hosts; run again where ansible is installed)")
    void hostPatterns(String pattern, String recorded) throws Exception {
        Path hosts = Repo.testResource("ansible/site/hosts");
        List<String> selected = AnsibleInventory.load(hosts, "hosts", new Warnings()).select(pattern.strip());
        assertThat(selected).containsExactly(recorded.strip().split(" "));
        if (onPath("ansible")) {
            Process p = new ProcessBuilder("ansible", "-i", hosts.toString(), pattern.strip(), "--list-hosts")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String live = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(live.lines().skip(1).map(String::strip).toList()).as("live ansible --list-hosts").isEqualTo(selected);
        }
    }

    @Test
    @DisplayName("--limit names the hosts ansible-playbook -l limits a play of all hosts to (live, where ansible-playbook is "
            + "installed; compared as sets: ansible-playbook's order changes from run to run, a set intersection's)")
    void limitAsAnsiblePlaybook(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(onPath("ansible-playbook"), "ansible-playbook is not installed");
        Path hosts = Repo.testResource("ansible/site/hosts");
        Path play = Files.writeString(tmp.resolve("play.yml"), "- hosts: all\n  gather_facts: false\n  tasks: []\n");
        AnsibleInventory inventory = AnsibleInventory.load(hosts, "hosts", new Warnings());
        for (String pattern : List.of("datacenter:!vms", "west,east", "~^(east|west)$")) {
            Process p = new ProcessBuilder("ansible-playbook", "-i", hosts.toString(), "-l", pattern, "--list-hosts",
                    play.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            List<String> listed = out.lines().dropWhile(l -> !l.strip().startsWith("hosts (")).skip(1).map(String::strip)
                    .filter(l -> !l.isEmpty()).toList();
            List<String> limited = inventory.hosts().stream().filter(inventory.select(pattern)::contains).toList();
            assertThat(limited).as("-l " + pattern).containsExactlyInAnyOrderElementsOf(listed).isNotEmpty();
        }
    }

    @Test
    @DisplayName("a site inventory not written for meshfed (a bastion, VMs, Ansible's own variables, inline comments in every section) lists as ansible-inventory lists it, --graph and --graph --vars too")
    void siteInventory() throws Exception {
        Path hosts = Repo.testResource("ansible/site/hosts");
        JsonNode listed = compare("site", hosts, AnsibleInventory.load(hosts, "hosts", new Warnings()).listing());
        JsonNode east = listed.get("_meta").get("hostvars").get("east");
        assertThat(east.get("http_port").asInt()).as("'8080 # all members': a Python literal and its comment").isEqualTo(8080);
        assertThat(east.get("mesh_version").asText()).as("not a literal: kept whole").isEqualTo("v2.6 ; a semicolon comment");
        assertThat(listed.has("ungrouped")).as("jump.example.com is a bastion too: ungrouped is empty").isFalse();
        String graph = AnsibleInventory.load(hosts, "hosts", new Warnings()).graph("all") + "\n";
        assertThat(graph).isEqualTo(Files.readString(Repo.testResource("ansible/recorded/site-graph.txt")));
        String withVars = AnsibleInventory.load(hosts, "hosts", new Warnings()).graph("all", true) + "\n";
        assertThat(withVars).isEqualTo(Files.readString(Repo.testResource("ansible/recorded/site-graph-vars.txt")));
        if (onPath("ansible-inventory")) {
            for (String[] graphed : new String[][] {{"--graph", graph}, {"--vars", withVars}}) {
                List<String> command = new java.util.ArrayList<>(List.of("ansible-inventory", "-i", hosts.toString(), "--graph"));
                if (graphed[0].equals("--vars")) {
                    command.add("--vars");
                }
                Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
                String live = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
                assertThat(live).as("live ansible-inventory " + String.join(" ", command.subList(3, command.size())))
                        .isEqualTo(graphed[1]);
            }
        }
    }

    @Test
    @DisplayName("Jinja in variables: rendered as Ansible renders them (its debug module, recorded and live); listed raw, as "
            + "ansible-inventory lists them")
    void jinja() throws Exception {
        Path hosts = Repo.testResource("ansible/jinja/hosts.yaml");
        AnsibleInventory inventory = AnsibleInventory.load(hosts, "hosts.yaml", new Warnings());
        compare("jinja", hosts, inventory.listing());
        List<String> names = List.of("prefix", "mesh_name", "kube_context", "metallb_addresses", "peers_count", "first",
                "groups_of_host", "other_site", "raw", "flag", "mixed");
        Map<String, Object> ours = new java.util.LinkedHashMap<>();
        for (String host : inventory.hosts()) {
            Map<String, Object> vars = new java.util.LinkedHashMap<>();
            names.forEach(n -> vars.put(n, inventory.renderedVars(host).get(n).plain()));
            ours.put(host, vars);
        }
        JsonNode actual = JSON.valueToTree(ours);
        assertThat(actual).isEqualTo(JSON.readTree(Files.readString(Repo.testResource("ansible/recorded/jinja-rendered.json"))));
        if (onPath("ansible")) {
            String expression = names.stream().map(n -> "'" + n + "': " + n)
                    .collect(java.util.stream.Collectors.joining(", ", "{{ {", "} }}"));
            Process p = new ProcessBuilder("ansible", "-i", hosts.toString(), "all", "-c", "local", "-m", "debug", "-a",
                    "msg=" + expression).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?ms)^(\\S+) \\| SUCCESS => (\\{.*?^\\})").matcher(out);
            int hostsSeen = 0;
            while (m.find()) {
                assertThat(actual.get(m.group(1))).as("live ansible for " + m.group(1))
                        .isEqualTo(JSON.readTree(m.group(2)).get("msg"));
                hostsSeen++;
            }
            assertThat(hostsSeen).as(out).isEqualTo(2);
        }
    }

    @Test
    @DisplayName("precedence fixture: inline vs group_vars vs host_vars, depth, ansible_group_priority, YAML 1.1")
    void precedence() throws Exception {
        Path hosts = Repo.testResource("ansible/precedence/hosts.yaml");
        Map<String, Object> ours = AnsibleInventory.load(hosts, "hosts.yaml", new Warnings()).listing();
        JsonNode listed = compare("precedence", hosts, ours);
        // the cases the fixture exists for, spelled out
        JsonNode vars = listed.get("_meta").get("hostvars");
        assertThat(vars.get("blue").get("a").asText()).isEqualTo("hv");
        assertThat(vars.get("blue").get("b").asText()).isEqualTo("from-gv-all");
        assertThat(vars.get("green").get("d").asText()).isEqualTo("from-aaa");
        assertThat(vars.get("red").get("d").asText()).isEqualTo("from-sub");
        assertThat(vars.get("lonely").get("yesno").asBoolean()).isTrue();
    }

    @Test
    @DisplayName("YAML 1.1 as PyYAML reads it: timestamps, floats, octal, sexagesimal, yes/on, big integers, merge keys, "
            + "!unsafe, a duplicate key (warned, last wins), ansible_group_priority as a string, falsy vars files")
    void yaml11() throws Exception {
        Path hosts = Repo.testResource("ansible/yaml11/hosts.yaml");
        Warnings warnings = new Warnings();
        Map<String, Object> ours = AnsibleInventory.load(hosts, "hosts.yaml", warnings).listing();
        JsonNode listed = compare("yaml11", hosts, ours);
        JsonNode blue = listed.get("_meta").get("hostvars").get("blue");
        assertThat(blue.get("e6").asText()).isEqualTo("1e6");
        assertThat(blue.get("ts_z").asText()).isEqualTo("2024-03-02T03:30:00+00:00");
        assertThat(blue.get("inf").asDouble()).isInfinite();
        assertThat(blue.get("team").asText()).as("a key beside a merge key wins").isEqualTo("blue-team");
        assertThat(blue.get("chosen").asText()).as("ansible_group_priority: \"10\"").isEqualTo("from-first");
        assertThat(listed.get("_meta").get("hostvars").get("green").get("team").asText()).as("<<: [*a, *b]: the first wins")
                .isEqualTo("platform");
        assertThat(warnings.list()).extracting(Object::toString).containsExactly(
                "hosts.yaml:63:7: duplicate key 'dup' (also at 62:7): the last value is used, as Ansible does");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"nested.yaml", "typing.ini", "ranges.ini", "templates.yaml", "vault.yaml"})
    @DisplayName("a corpus of inventories written for this (nested groups, INI typing and comments, host ranges, Jinja and "
            + "lookups nobody evaluates, an unused vaulted value) lists as ansible-inventory --list and --host list it")
    void corpus(String file) throws Exception {
        Path hosts = Repo.testResource("ansible/corpus/" + file);
        AnsibleInventory inventory = AnsibleInventory.load(hosts, file, new Warnings());
        compare("corpus/" + file, hosts, inventory.listing());
        JsonNode recorded = JSON.readTree(Files.readString(Repo.testResource("ansible/recorded/corpus/" + file + ".hosts.json")));
        List<String> names = new java.util.ArrayList<>();
        recorded.fieldNames().forEachRemaining(names::add);
        assertThat(inventory.hosts()).containsExactlyInAnyOrderElementsOf(names);
        for (String host : names) {
            JsonNode ours = JSON.valueToTree(inventory.listedVars(host));
            assertThat(ours).as("--host " + host).isEqualTo(recorded.get(host));
        }
        if (onPath("ansible-inventory")) {
            String host = names.get(0);
            Process p = new ProcessBuilder("ansible-inventory", "-i", hosts.toString(), "--host", host)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String live = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(JSON.readTree(live)).as("live ansible-inventory --host " + host).isEqualTo(recorded.get(host));
        }
    }

    private JsonNode compare(String name, Path hosts, Map<String, Object> ours) throws Exception {
        JsonNode actual = JSON.valueToTree(ours);
        JsonNode recorded = JSON.readTree(Files.readString(Repo.testResource("ansible/recorded/" + name + ".json")));
        assertThat(actual).as("meshfed vs recorded ansible-inventory output for " + name).isEqualTo(recorded);
        String live = runAnsibleInventory(hosts);
        if (live != null) {
            assertThat(JSON.readTree(live)).as("live ansible-inventory output for " + name).isEqualTo(actual);
        }
        return actual;
    }

    /** ansible-inventory's output, or null where it is not installed. */
    static String runAnsibleInventory(Path hosts) throws IOException, InterruptedException {
        if (!onPath("ansible-inventory")) {
            System.out.println("ansible-inventory is not installed: compared with the recorded output only");
            return null;
        }
        Path out = Files.createTempFile("ansible-inventory", ".json");
        Process p = new ProcessBuilder("ansible-inventory", "-i", hosts.toString(), "--list")
                .redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("ansible-inventory finished").isTrue();
        assertThat(p.exitValue()).as("ansible-inventory exit code").isZero();
        String json = Files.readString(out, StandardCharsets.UTF_8);
        Files.delete(out);
        return json;
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
