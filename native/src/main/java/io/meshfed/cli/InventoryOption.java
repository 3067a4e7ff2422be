package io.meshfed.cli;

import io.meshfed.inventory.InventoryException;
import io.meshfed.inventory.InventoryLoader;
import io.meshfed.model.inventory.Inventory;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/** {@code -i PATH}, as ansible-playbook takes it. */
public class InventoryOption {

    @Option(names = {"-i", "--inventory"}, required = true, paramLabel = "PATH",
            description = "The inventory: a file (YAML, or Ansible's INI format), or a folder with hosts.yaml (or hosts.yml, "
                    + "hosts, hosts.ini), group_vars/ and host_vars/.")
    Path path;

    @Option(names = "--vault-password-file", paramLabel = "FILE", description = "A file holding the Ansible Vault password "
            + "(or a script printing it), as ansible-playbook takes it; ANSIBLE_VAULT_PASSWORD_FILE where not given.")
    List<String> vaultPasswordFiles = new java.util.ArrayList<>();

    @Option(names = "--vault-id", paramLabel = "[ID@]FILE", description = "A vault password for the values of one vault id "
            + "(format 1.2), from a file or script; may be repeated.")
    List<String> vaultIds = new java.util.ArrayList<>();

    private List<io.meshfed.inventory.ansible.Vault.Secret> secrets() {
        return io.meshfed.inventory.ansible.VaultSecrets.of(vaultPasswordFiles, vaultIds);
    }

    /** What was last printed: serve reads the inventory every cycle and says a warning once, until it changes. */
    private List<InventoryException.Problem> warned = List.of();

    Inventory load() {
        return loadWithSource().inventory();
    }

    /** The inventory as Ansible reads it, unchecked by meshfed; its warnings go to stderr first. */
    InventoryLoader.Listed loadAnsible() {
        InventoryLoader.Listed listed = InventoryLoader.loadAnsible(path, secrets());
        listed.warnings().forEach(w -> System.err.println("warning: " + w));
        System.err.flush();
        return listed;
    }

    /** The inventory; its warnings (a key given twice) go to stderr first, as ansible-inventory prints them. */
    InventoryLoader.Loaded loadWithSource() {
        InventoryLoader.Loaded loaded = InventoryLoader.loadWithSource(path, secrets());
        if (!loaded.warnings().equals(warned)) {
            loaded.warnings().forEach(w -> System.err.println("warning: " + w));
            System.err.flush();
            warned = loaded.warnings();
        }
        return loaded;
    }
}
