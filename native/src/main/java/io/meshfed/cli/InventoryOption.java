package io.meshfed.cli;

import io.meshfed.inventory.InventoryLoader;
import io.meshfed.model.inventory.Inventory;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code -i PATH}, as ansible-playbook takes it. */
public class InventoryOption {

    @Option(names = {"-i", "--inventory"}, required = true, paramLabel = "PATH",
            description = "The inventory: a hosts.yaml file, or a folder with hosts.yaml, group_vars/ and host_vars/.")
    Path path;

    Inventory load() {
        return InventoryLoader.load(path);
    }

    InventoryLoader.Loaded loadWithSource() {
        return InventoryLoader.loadWithSource(path);
    }
}
