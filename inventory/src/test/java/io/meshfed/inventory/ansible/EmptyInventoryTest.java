package io.meshfed.inventory.ansible;

import io.meshfed.inventory.InventoryException;
import io.meshfed.inventory.InventoryLoader;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class EmptyInventoryTest {

    @Test
    @DisplayName("an empty inventory lists as ansible-inventory --list prints it; what needs clusters says it has no hosts")
    void listedAsAnsible(@TempDir Path tmp) throws IOException {
        Path empty = Files.writeString(tmp.resolve("hosts.yaml"), "");
        // ansible-inventory -i empty.yaml --list (ansible-core 2.14)
        assertThat(InventoryLoader.loadAnsible(empty, List.of()).ansible().listing()).isEqualTo(Map.of(
                "_meta", Map.of("hostvars", Map.of()), "all", Map.of("children", List.of("ungrouped"))));
        assertThat(catchThrowableOfType(InventoryException.class, () -> InventoryLoader.load(empty)).getMessage())
                .endsWith("hosts.yaml:1:1: the inventory has no hosts: list each cluster as a host");
    }
}
