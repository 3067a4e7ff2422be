package io.meshfed.inventory.ansible;

import io.meshfed.inventory.InventoryException;
import io.meshfed.model.inventory.Location;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The vault passwords, from where Ansible takes them: {@code --vault-password-file FILE}, {@code --vault-id
 * [ID@]FILE} and {@code ANSIBLE_VAULT_PASSWORD_FILE}. A file holds the password (its first line, trailing
 * whitespace stripped, as Ansible reads it); an executable file is a script whose output is the password
 * (Ansible's password scripts; a {@code -client} script is asked with {@code --vault-id ID}). {@code prompt} is
 * refused: meshfed runs in pipelines.
 */
public final class VaultSecrets {

    private VaultSecrets() {
    }

    /** ANSIBLE_VAULT_PASSWORD_FILE's password, where it is set. */
    public static List<Vault.Secret> fromEnvironment() {
        String file = System.getenv("ANSIBLE_VAULT_PASSWORD_FILE");
        return file == null || file.isBlank() ? List.of() : List.of(read(null, file));
    }

    /**
     * @param passwordFiles {@code --vault-password-file} values
     * @param vaultIds      {@code --vault-id} values: {@code FILE} or {@code ID@FILE}
     */
    public static List<Vault.Secret> of(List<String> passwordFiles, List<String> vaultIds) {
        List<Vault.Secret> secrets = new ArrayList<>();
        passwordFiles.forEach(f -> secrets.add(read(null, f)));
        for (String id : vaultIds) {
            int at = id.indexOf('@');
            secrets.add(read(at < 0 ? null : id.substring(0, at), at < 0 ? id : id.substring(at + 1)));
        }
        if (secrets.isEmpty()) {
            return fromEnvironment();
        }
        return secrets;
    }

    private static Vault.Secret read(String id, String source) {
        Location where = new Location(source, 0, 0);
        if (source.equals("prompt")) {
            throw new InventoryException(where, "a vault password prompt cannot be answered here (meshfed runs in "
                    + "pipelines): give a password file or script");
        }
        Path file = Path.of(source);
        if (!Files.isRegularFile(file)) {
            throw new InventoryException(where, "no such vault password file");
        }
        byte[] password;
        if (Files.isExecutable(file)) {
            password = run(file, id, where);
        } else {
            try {
                password = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new InventoryException(where, "cannot read the vault password file: " + e.getMessage());
            }
        }
        String text = new String(password, StandardCharsets.UTF_8);
        Arrays.fill(password, (byte) 0);
        String first = text.lines().findFirst().orElse("").stripTrailing();
        if (first.isEmpty()) {
            throw new InventoryException(where, "the vault password file is empty");
        }
        return new Vault.Secret(id, first.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] run(Path script, String id, Location where) {
        List<String> command = new ArrayList<>(List.of(script.toAbsolutePath().toString()));
        if (id != null && script.getFileName().toString().contains("-client")) {
            command.addAll(List.of("--vault-id", id));
        }
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new InventoryException(where, "the vault password script failed (exit "
                        + (process.isAlive() ? "none: timed out" : process.exitValue()) + ")");
            }
            return out;
        } catch (IOException e) {
            throw new InventoryException(where, "cannot run the vault password script: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InventoryException(where, "interrupted while the vault password script ran");
        }
    }
}
