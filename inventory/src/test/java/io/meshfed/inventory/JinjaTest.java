package io.meshfed.inventory;

import io.meshfed.model.inventory.ClusterSpec;
import io.meshfed.model.inventory.Inventory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Jinja in inventory variables: rendered where meshfed reads them, and an error at its line where it cannot be. */
class JinjaTest {

    private static final String HOSTS = """
            all:
              vars:
                meshfed_inventory_name: jinja
                federation: {peering: none}
                ranges: {blue: [10.0.0.1-10.0.0.9]}
              hosts:
                blue:
                  mesh_name: "{{ inventory_hostname }}-mesh-{{ site }}"
                  site: eu1
                  metallb_addresses: "{{ ranges[inventory_hostname] }}"
                  mesh_members: "{{ ['apps', inventory_hostname ~ '-apps'] }}"
                  %s
            """;

    private static Path write(Path dir, String extra) throws IOException {
        Files.writeString(dir.resolve("hosts.yaml"), HOSTS.formatted(extra));
        return dir;
    }

    @Test
    @DisplayName("mesh_name, metallb_addresses and mesh_members from templates: text, a list from a mapping, a list expression")
    void rendered(@TempDir Path tmp) throws IOException {
        Inventory inventory = InventoryLoader.load(write(tmp, "note: plain"));
        ClusterSpec blue = inventory.clusters().get(0);
        assertThat(blue.mesh().name()).isEqualTo("blue-mesh-eu1");
        assertThat(blue.mesh().namespace()).isEqualTo("blue-mesh-eu1-system");
        assertThat(blue.loadBalancer().addresses()).containsExactly("10.0.0.1-10.0.0.9");
        assertThat(blue.members()).containsExactly("apps", "blue-apps");
    }

    @Test
    @DisplayName("an undefined variable, a lookup plugin, a loop: errors at the value naming the expression")
    void errors(@TempDir Path tmp) throws IOException {
        String file = tmp.resolve("hosts.yaml").toString();
        assertThatThrownBy(() -> InventoryLoader.load(write(tmp, "kube_context: \"{{ cluster_admin }}\"")))
                .isInstanceOf(InventoryException.class)
                .hasMessage(file + ":12:21: cannot evaluate {{ cluster_admin }}: 'cluster_admin' is undefined");
        assertThatThrownBy(() -> InventoryLoader.load(write(tmp, "kube_context: \"{{ lookup('env', 'CTX') }}\"")))
                .hasMessage(file + ":12:21: cannot evaluate {{ lookup('env', 'CTX') }}: lookup() runs an Ansible lookup "
                        + "plugin, which meshfed does not run: set the value itself");
        assertThatThrownBy(() -> InventoryLoader.load(write(tmp, "kube_context: \"{{ b }}\"\n      b: \"{{ kube_context }}\"")))
                .hasMessageContaining(file + ":12:21: cannot evaluate kube_context = {{ b }}: it uses itself, through other variables");
    }

    @Test
    @DisplayName("as Ansible, a variable is evaluated when used: one meshfed does not use may be undefined, a lookup or a loop; "
            + "where meshfed's key uses it, the error is that variable's own, at its line")
    void evaluatedWhenUsed(@TempDir Path tmp) throws IOException {
        String unused = "python: \"{{ ansible_playbook_python }}\"\n      secret: \"{{ lookup('file', '/nope') }}\"\n"
                + "      a: \"{{ b }}\"\n      b: \"{{ a }}\"";
        Inventory inventory = InventoryLoader.load(write(tmp, unused));
        assertThat(inventory.clusters().get(0).mesh().name()).isEqualTo("blue-mesh-eu1");
        String file = tmp.resolve("hosts.yaml").toString();
        assertThatThrownBy(() -> InventoryLoader.load(write(tmp, unused + "\n      kube_context: \"{{ python }}-ctx\"")))
                .isInstanceOf(InventoryException.class)
                .hasMessage(file + ":12:15: cannot evaluate {{ ansible_playbook_python }}: 'ansible_playbook_python' is "
                        + "undefined (kube_context uses python)");
    }

    @Test
    @DisplayName("!unsafe is never rendered, and the listing shows templates as written")
    void unsafeAndListing(@TempDir Path tmp) throws IOException {
        InventoryLoader.Loaded loaded = InventoryLoader.loadWithSource(write(tmp, "kube_context: !unsafe \"{{ ctx }}\""));
        assertThat(loaded.inventory().clusters().get(0).connection().context()).isEqualTo("{{ ctx }}");
        @SuppressWarnings("unchecked")
        var blue = (java.util.Map<String, Object>) ((java.util.Map<String, Object>) ((java.util.Map<String, Object>)
                loaded.ansible().listing().get("_meta")).get("hostvars")).get("blue");
        assertThat(blue.get("mesh_name")).isEqualTo("{{ inventory_hostname }}-mesh-{{ site }}");
    }
}
