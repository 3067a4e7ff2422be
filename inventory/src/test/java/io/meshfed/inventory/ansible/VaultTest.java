package io.meshfed.inventory.ansible;

import io.meshfed.inventory.InventoryException;
import io.meshfed.inventory.InventoryLoader;
import io.meshfed.model.inventory.Inventory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Ansible Vault, read as Ansible reads it, against texts {@code ansible-vault} itself encrypted (under
 * src/test/resources/vault, password {@code hunter2}; and, where ansible-vault is installed, a fresh one): a
 * vaulted value meshfed uses is decrypted, one nobody uses needs no password, a vault-encrypted variables file
 * is decrypted whole, and a value no password decrypts is an error at its place that never shows it.
 */
class VaultTest {

    private static final Path FIXTURES = Path.of("src/test/resources/vault");

    private static String envelope(String file) throws IOException {
        String text = Files.readString(FIXTURES.resolve(file));
        return text.substring(text.indexOf('$')).lines().map(String::strip).reduce((a, b) -> a + "\n" + b).orElseThrow();
    }

    private static List<Vault.Secret> password(String id, String file) {
        return List.of(new Vault.Secret(id, readFirstLine(FIXTURES.resolve(file))));
    }

    private static byte[] readFirstLine(Path file) {
        try {
            return Files.readAllLines(file).get(0).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    @DisplayName("1.1 and 1.2 (vault id prod) as ansible-vault wrote them; a wrong password, none, or a damaged text: said, not shown")
    void decrypts() throws IOException {
        assertThat(new String(Vault.decrypt(envelope("string-1.1.yml"), password(null, "password")), StandardCharsets.UTF_8))
                .isEqualTo("east-admin");
        assertThat(Vault.idOf(envelope("string-1.2.yml"))).isEqualTo("prod");
        // the secret of the envelope's id is tried first, the others after it
        List<Vault.Secret> both = List.of(password("dev", "wrong-password").get(0), password("prod", "password").get(0));
        assertThat(new String(Vault.decrypt(envelope("string-1.2.yml"), both), StandardCharsets.UTF_8)).isEqualTo("east-admin");

        Vault.VaultException wrong = catchThrowableOfType(Vault.VaultException.class,
                () -> Vault.decrypt(envelope("string-1.2.yml"), password(null, "wrong-password")));
        assertThat(wrong.getMessage()).isEqualTo("none of the 1 vault password(s) given decrypts it (its vault id: prod)");
        assertThat(catchThrowableOfType(Vault.VaultException.class, () -> Vault.decrypt(envelope("string-1.1.yml"), List.of()))
                .getMessage()).startsWith("no vault password given");
        String damaged = envelope("string-1.1.yml").replaceFirst("\n3", "\nz");
        assertThat(catchThrowableOfType(Vault.VaultException.class, () -> Vault.decrypt(damaged, password(null, "password")))
                .getMessage()).contains("damaged");
    }

    @Test
    @DisplayName("a fresh text from ansible-vault encrypt_string decrypts to what was encrypted (where ansible-vault is installed)")
    void roundTrip(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/ansible-vault")), "ansible-vault is not installed");
        String plain = "p@ss w0rd é " + System.nanoTime();
        Path pw = Files.writeString(tmp.resolve("pw"), "correct horse\n");
        Process p = new ProcessBuilder("/usr/bin/ansible-vault", "encrypt_string", "--vault-id", "team@" + pw, plain)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        String envelope = out.substring(out.indexOf('$')).lines().map(String::strip).reduce((a, b) -> a + "\n" + b).orElseThrow();
        assertThat(new String(Vault.decrypt(envelope, VaultSecrets.of(List.of(), List.of("team@" + pw))), StandardCharsets.UTF_8))
                .isEqualTo(plain);
    }

    private static Path inventory(Path dir, String hostVars) throws IOException {
        Files.writeString(dir.resolve("hosts.yaml"), """
                all:
                  vars:
                    meshfed_inventory_name: vaulted
                    federation: {peering: none}
                  hosts:
                    blue:
                      metallb_addresses: [10.0.0.1-10.0.0.9]
                %s""".formatted(hostVars.indent(6)));
        return dir;
    }

    private static String vaulted(String file, String key) throws IOException {
        String text = Files.readString(FIXTURES.resolve(file));
        return text.replace("kube_context:", key + ":").stripTrailing() + "\n";   // encrypt_string ends without one
    }

    @Test
    @DisplayName("a vaulted key meshfed uses is decrypted; a vaulted variable nobody uses needs no password; used without one: "
            + "an error at its line that names the key, never its value; the listing shows it as ansible-inventory does")
    void inInventories(@TempDir Path tmp) throws IOException {
        Path inv = inventory(tmp, vaulted("string-1.1.yml", "kube_context") + vaulted("string-1.2.yml", "db_password"));
        Inventory inventory = InventoryLoader.loadWithSource(inv, password(null, "password")).inventory();
        assertThat(inventory.clusters().get(0).connection().context()).isEqualTo("east-admin");

        // db_password (vault id prod) is not used: a wrong password for it is no error
        Path unused = inventory(Files.createDirectories(tmp.resolve("unused")), "kube_context: blue\n"
                + vaulted("string-1.2.yml", "db_password"));
        assertThat(InventoryLoader.loadWithSource(unused, List.of()).inventory().clusters().get(0).connection().context())
                .isEqualTo("blue");

        InventoryException none = catchThrowableOfType(InventoryException.class, () -> InventoryLoader.loadWithSource(inv, List.of()));
        assertThat(none.getMessage()).contains("hosts.yaml:8:21: ", "cannot decrypt kube_context: no vault password given")
                .doesNotContain("east-admin");

        @SuppressWarnings("unchecked")
        Map<String, Object> blue = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) InventoryLoader
                .loadAnsible(inv, List.of()).ansible().listing().get("_meta")).get("hostvars")).get("blue");
        assertThat(blue.get("db_password")).isInstanceOf(Map.class);
        assertThat(((String) ((Map<?, ?>) blue.get("db_password")).get("__ansible_vault")).strip())
                .isEqualTo(envelope("string-1.2.yml"));
    }

    @Test
    @DisplayName("a variables file ansible-vault encrypted whole is decrypted with the password; without it, an error at the file")
    void encryptedVarsFile(@TempDir Path tmp) throws IOException {
        Path inv = inventory(tmp, "");
        Files.createDirectories(tmp.resolve("group_vars/all"));
        Files.copy(FIXTURES.resolve("vars.enc.yml"), tmp.resolve("group_vars/all/vault.yml"));
        Inventory inventory = InventoryLoader.loadWithSource(inv, password(null, "password")).inventory();
        assertThat(inventory.clusters().get(0).connection().context()).isEqualTo("vaulted-ctx");
        assertThat(inventory.clusters().get(0).members()).containsExactly("apps");
        InventoryException e = catchThrowableOfType(InventoryException.class,
                () -> InventoryLoader.loadWithSource(inv, password(null, "wrong-password")));
        assertThat(e.getMessage()).contains("group_vars/all/vault.yml:1:1: cannot decrypt this vault-encrypted variables file: "
                + "none of the 1 vault password(s) given decrypts it");
    }

    @Test
    @DisplayName("a check refusing a vaulted value of meshfed's says so without the value: (vaulted) in its place")
    void errorMasksTheValue() {
        Path inv = FIXTURES.resolve("masked-error");
        InventoryException e = org.assertj.core.api.Assertions.catchThrowableOfType(InventoryException.class,
                () -> InventoryLoader.loadWithSource(inv, password(null, "password")));
        assertThat(e.getMessage()).contains("mesh_version must look like v2.3, not '(vaulted)'").doesNotContain("sekrit");
    }
}
