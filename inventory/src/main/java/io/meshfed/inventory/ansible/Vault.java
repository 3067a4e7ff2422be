package io.meshfed.inventory.ansible;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Ansible Vault's format 1.1 and 1.2 ({@code $ANSIBLE_VAULT;1.1;AES256}, {@code $ANSIBLE_VAULT;1.2;AES256;<vault id>}),
 * decrypted with the JDK's own crypto as Ansible's VaultAES256 does it (ansible/parsing/vault/__init__.py): the
 * body is hex of {@code hex(salt) \n hex(hmac) \n hex(ciphertext)}; PBKDF2-HMAC-SHA256 of the password and salt,
 * 10000 rounds, gives 80 bytes — the AES-256 key, the HMAC-SHA256 key and the CTR counter's start; the HMAC of
 * the ciphertext is checked (in constant time) before AES-256-CTR decrypts it, and the PKCS#7 padding goes.
 * Never encrypts: meshfed reads what {@code ansible-vault} wrote.
 */
public final class Vault {

    private static final String HEADER = "$ANSIBLE_VAULT;";
    private static final int ROUNDS = 10_000;

    /** A password, and the vault id it is for (null: any), as {@code --vault-id label@source} gives it. */
    public record Secret(String id, byte[] password) {
    }

    /** Why a vaulted value could not be read; its message never holds the password or the plaintext. */
    public static final class VaultException extends RuntimeException {
        VaultException(String message) {
            super(message, null, false, false);
        }
    }

    private Vault() {
    }

    public static boolean isVaulted(String text) {
        return text != null && text.stripLeading().startsWith(HEADER);
    }

    /** The vault id an envelope names (1.2), or null (1.1). */
    public static String idOf(String envelope) {
        String[] header = envelope.strip().lines().findFirst().orElse("").split(";");
        return header.length > 3 ? header[3].strip() : null;
    }

    /**
     * The plaintext: tried with the secret of the envelope's vault id first, then the others (as Ansible does).
     *
     * @throws VaultException no secret given, none of them matches (the HMAC differs), or the text is not a vault
     */
    public static byte[] decrypt(String envelope, List<Secret> secrets) {
        String text = envelope.strip();
        List<String> lines = text.lines().toList();
        String[] header = lines.isEmpty() ? new String[0] : lines.get(0).strip().split(";");
        if (header.length < 3 || !lines.get(0).startsWith(HEADER)) {
            throw new VaultException("not an Ansible Vault text (it starts with " + HEADER + "1.1;AES256)");
        }
        if (!header[1].equals("1.1") && !header[1].equals("1.2") || !header[2].strip().equals("AES256")) {
            throw new VaultException("vault format " + header[1] + ";" + header[2] + " is not supported (1.1 and 1.2 with AES256 are)");
        }
        if (secrets.isEmpty()) {
            throw new VaultException("no vault password given (--vault-password-file, --vault-id or ANSIBLE_VAULT_PASSWORD_FILE)");
        }
        byte[] salt;
        byte[] hmac;
        byte[] ciphertext;
        try {
            String body = new String(HexFormat.of().parseHex(String.join("", lines.subList(1, lines.size())).replaceAll("\\s", "")),
                    StandardCharsets.US_ASCII);
            String[] parts = body.split("\n");
            salt = HexFormat.of().parseHex(parts[0].strip());
            hmac = HexFormat.of().parseHex(parts[1].strip());
            ciphertext = HexFormat.of().parseHex(parts[2].strip());
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            throw new VaultException("the vault text is damaged (its body is not the hex of salt, HMAC and ciphertext)");
        }
        String id = header.length > 3 ? header[3].strip() : null;
        List<Secret> ordered = new java.util.ArrayList<>(secrets.stream().filter(s -> id != null && id.equals(s.id())).toList());
        secrets.stream().filter(s -> !ordered.contains(s)).forEach(ordered::add);
        for (Secret secret : ordered) {
            byte[] derived = derive(secret.password(), salt);
            byte[] key = Arrays.copyOfRange(derived, 0, 32);
            byte[] macKey = Arrays.copyOfRange(derived, 32, 64);
            byte[] iv = Arrays.copyOfRange(derived, 64, 80);
            if (MessageDigest.isEqual(hmac, hmac(macKey, ciphertext))) {
                return unpad(aesCtr(key, iv, ciphertext));
            }
        }
        throw new VaultException("none of the " + secrets.size() + " vault password(s) given decrypts it"
                + (id == null ? "" : " (its vault id: " + id + ")"));
    }

    private static byte[] derive(byte[] password, byte[] salt) {
        char[] chars = new String(password, StandardCharsets.UTF_8).toCharArray();
        try {
            // PBEKeySpec takes chars: the JDK's PBKDF2 encodes them as UTF-8, as Python hands Ansible's bytes over
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(chars, salt, ROUNDS, 80 * 8)).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no PBKDF2WithHmacSHA256", e);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256", e);
        }
    }

    private static byte[] aesCtr(byte[] key, byte[] iv, byte[] data) {
        try {
            Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            return cipher.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no AES/CTR", e);
        }
    }

    private static byte[] unpad(byte[] padded) {
        int n = padded.length == 0 ? 0 : padded[padded.length - 1] & 0xff;
        if (n < 1 || n > 16 || n > padded.length) {
            throw new VaultException("the decrypted text's padding is wrong: the vault text is damaged");
        }
        return Arrays.copyOf(padded, padded.length - n);
    }

    /** How a decrypted text is printed. */
    public static final String SHOWN = "(vaulted)";
    /** Shorter texts (yes, 1, on) are everywhere: masking them would mask the output, not the secret. */
    private static final int SHORTEST = 4;

    /** {@code text} with every decrypted text of {@code secrets} shown as {@value #SHOWN}, the longest first. */
    public static String mask(String text, java.util.Collection<String> secrets) {
        String out = text;
        for (String secret : secrets.stream().filter(s -> s.length() >= SHORTEST)
                .sorted(java.util.Comparator.comparingInt(String::length).reversed()).toList()) {
            out = out.replace(secret, SHOWN);
        }
        return out;
    }
}
