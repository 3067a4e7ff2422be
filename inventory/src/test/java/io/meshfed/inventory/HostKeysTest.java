package io.meshfed.inventory;

import io.meshfed.model.inventory.Inventory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A site's own variables are its own; only a key a typo away from one of meshfed's is an error. */
class HostKeysTest {

    private static final String HOSTS = """
            all:
              vars:
                meshfed_inventory_name: site
                kube_version: v1.28.3
                mesh_owner_team: platform
                operator_email: ops@example.com
                metallb_notes: "racks 3 and 4"
                kubeconfig_path: /etc/kube/config
                federation_ticket: NET-1234
                load_balancer_vendor: f5
              hosts:
                blue: {metallb_addresses: [10.0.0.1-10.0.0.9]%s}
            """;

    @Test
    @DisplayName("kube_version, mesh_owner_team, operator_email, metallb_notes, kubeconfig_path...: the user's, accepted")
    void sitesOwnVariables(@TempDir Path tmp) throws IOException {
        Files.writeString(tmp.resolve("hosts.yaml"), HOSTS.formatted(""));
        Inventory inventory = InventoryLoader.load(tmp);
        assertThat(inventory.clusters()).hasSize(1);
        assertThat(inventory.clusters().get(0).mesh().name()).isEqualTo("blue-mesh");
    }

    @Test
    @DisplayName("mesh_nmae, federaton, metallb_adresses: typos of meshfed's keys, each at its key with a did-you-mean")
    void typos(@TempDir Path tmp) throws IOException {
        Files.writeString(tmp.resolve("hosts.yaml"), HOSTS.formatted(", mesh_nmae: x, federaton: {}, metallb_adresses: []"));
        String file = tmp.resolve("hosts.yaml").toString();
        assertThatThrownBy(() -> InventoryLoader.load(tmp)).isInstanceOf(InventoryException.class)
                .hasMessage(file + ":12:52: host 'blue': unknown meshfed key 'mesh_nmae' (did you mean 'mesh_name'?)\n"
                        + file + ":12:66: host 'blue': unknown meshfed key 'federaton' (did you mean 'federation'?)\n"
                        + file + ":12:81: host 'blue': unknown meshfed key 'metallb_adresses' (did you mean 'metallb_addresses'?)");
    }
}
