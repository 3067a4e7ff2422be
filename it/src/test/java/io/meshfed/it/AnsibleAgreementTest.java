package io.meshfed.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshfed.inventory.InventoryLoader;
import io.meshfed.inventory.ansible.AnsibleInventory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code meshfed inventory --list} must agree with {@code ansible-inventory --list} (Debian's
 * ansible-core 2.14). Each inventory is compared with the output recorded from ansible-inventory; where
 * ansible-inventory is installed (./run-tests installs it), it is also run now and must print the same.
 */
class AnsibleAgreementTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"blue-green", "triangle", "hub-spoke"})
    @DisplayName("every example inventory lists the same groups and host variables as ansible-inventory")
    void examples(String name) throws Exception {
        Path hosts = Repo.example(name).resolve("hosts.yaml");
        Map<String, Object> ours = InventoryLoader.loadWithSource(Repo.example(name)).ansible().listing();
        compare(name, hosts, ours);
    }

    @Test
    @DisplayName("precedence fixture: inline vs group_vars vs host_vars, depth, ansible_group_priority, YAML 1.1")
    void precedence() throws Exception {
        Path hosts = Repo.testResource("ansible/precedence/hosts.yaml");
        Map<String, Object> ours = AnsibleInventory.load(hosts, "hosts.yaml").listing();
        JsonNode listed = compare("precedence", hosts, ours);
        // the cases the fixture exists for, spelled out
        JsonNode vars = listed.get("_meta").get("hostvars");
        assertThat(vars.get("blue").get("a").asText()).isEqualTo("hv");
        assertThat(vars.get("blue").get("b").asText()).isEqualTo("from-gv-all");
        assertThat(vars.get("green").get("d").asText()).isEqualTo("from-aaa");
        assertThat(vars.get("red").get("d").asText()).isEqualTo("from-sub");
        assertThat(vars.get("lonely").get("yesno").asBoolean()).isTrue();
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
