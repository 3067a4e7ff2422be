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

    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
    picocli.CommandLine.Model.CommandSpec mixee;

    /** What meshfed decrypted of the inventory: masked in everything the command prints. */
    private final java.util.Set<String> revealed = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private boolean masking;
    private java.io.PrintWriter unmaskedOut;
    private java.io.PrintWriter unmaskedErr;

    /** The decrypted texts, as the inventory's last load revealed them. */
    java.util.Set<String> revealed() {
        return java.util.Set.copyOf(revealed);
    }

    /**
     * Once something was decrypted: the command's standard output and error mask it from then on
     * ({@link VaultMask}); commands fetch their writers after loading the inventory.
     */
    private void mask(java.util.Set<String> secrets) {
        revealed.addAll(secrets);
        VaultMask.remember(secrets);
        if (masking || revealed.isEmpty() || mixee == null) {
            return;
        }
        masking = true;
        picocli.CommandLine cmd = mixee.commandLine();
        unmaskedOut = cmd.getOut();
        unmaskedErr = cmd.getErr();
        cmd.setOut(VaultMask.wrap(unmaskedOut, this::revealed));
        cmd.setErr(VaultMask.wrap(unmaskedErr, this::revealed));
    }

    /** Prints decrypted texts as they are from now on (render --show-secrets: the user asked for them). */
    void showSecrets() {
        if (masking) {
            mixee.commandLine().getOut().flush();
            mixee.commandLine().setOut(unmaskedOut);
            mixee.commandLine().setErr(unmaskedErr);
            masking = false;
            revealed.clear();
        }
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
        mask(loaded.ansible().revealed());
        if (!loaded.warnings().equals(warned)) {
            loaded.warnings().forEach(w -> System.err.println("warning: " + w));
            System.err.flush();
            warned = loaded.warnings();
        }
        return loaded;
    }
}
