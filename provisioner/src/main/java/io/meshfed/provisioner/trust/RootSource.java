package io.meshfed.provisioner.trust;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the inventory's root of trust is read from, when an intermediate must be checked (the certificate)
 * or signed (the key too): files beside the inventory, or a Secret on a cluster outside the mesh. Read only
 * in this process; never written anywhere, never printed.
 */
public interface RootSource {

    /** The root certificate (PEM). */
    String certificate();

    /** Its private key (PEM). */
    String key();

    /** How messages name where the certificate ({@code key} false) or the key is, for example {@code mesh_trust.root_cert FILE}. */
    String describe(boolean key);

    /** The files {@code mesh_trust.root_cert} and {@code root_key} name. */
    static RootSource files(String certificate, String key) {
        return new RootSource() {
            @Override
            public String certificate() {
                return read(certificate);
            }

            @Override
            public String key() {
                return read(key);
            }

            @Override
            public String describe(boolean isKey) {
                return isKey ? "mesh_trust.root_key " + key : "mesh_trust.root_cert " + certificate;
            }

            private String read(String file) {
                try {
                    return Files.readString(Path.of(file));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
                }
            }
        };
    }
}
