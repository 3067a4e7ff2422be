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

/** The inventory's name marks what meshfed owns on the clusters: it is the same wherever the folder is. */
class InventoryNameTest {

    private static final String HOSTS = """
            all:
              vars:
                meshfed_inventory_name: blue-green
              hosts:
                blue: {metallb_addresses: [10.0.0.1-10.0.0.9]}
            """;

    @Test
    @DisplayName("checked out as 'blue-green' or mounted at /etc/meshfed/inventory: the same name")
    void sameNameWhereverMounted(@TempDir Path tmp) throws IOException {
        Path workstation = Files.createDirectories(tmp.resolve("checkout/blue-green"));
        Path job = Files.createDirectories(tmp.resolve("etc/meshfed/inventory"));
        Files.writeString(workstation.resolve("hosts.yaml"), HOSTS);
        Files.writeString(job.resolve("hosts.yaml"), HOSTS);
        Inventory a = InventoryLoader.load(workstation);
        Inventory b = InventoryLoader.load(job);
        assertThat(a.name()).isEqualTo("blue-green").isEqualTo(b.name());
    }

    @Test
    @DisplayName("without meshfed_inventory_name the folder's name is not taken: it is an error at the hosts file")
    void required(@TempDir Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("blue-green"));
        Files.writeString(dir.resolve("hosts.yaml"), HOSTS.replace("    meshfed_inventory_name: blue-green\n", "    x: 1\n"));
        assertThatThrownBy(() -> InventoryLoader.load(dir)).isInstanceOf(InventoryException.class)
                .hasMessageContaining("hosts.yaml:1:1: meshfed_inventory_name is not set");
    }
}
