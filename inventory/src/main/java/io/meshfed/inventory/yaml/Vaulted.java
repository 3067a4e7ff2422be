package io.meshfed.inventory.yaml;

/**
 * A value encrypted with Ansible Vault ({@code !vault |} and its envelope), as written: decrypted only where it
 * is used, so a vaulted value nobody uses needs no password. Its text is never the plaintext.
 */
public record Vaulted(String envelope) {

    @Override
    public String toString() {
        return "(vaulted)";
    }
}
