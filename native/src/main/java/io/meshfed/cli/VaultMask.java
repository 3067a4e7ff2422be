package io.meshfed.cli;

import io.meshfed.inventory.ansible.Vault;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Keeps what Ansible Vault protected out of meshfed's output: every text meshfed decrypted (a {@code !vault} value it
 * used, the values of a vault-encrypted variables file) is printed as {@value Vault#SHOWN}, in plans' diffs, renderings,
 * progress, errors and the reports written to files alike. Lines are masked whole (a value split over two writes is still found).
 */
final class VaultMask {

    /** Every text decrypted in this process: the reports written to files are masked with them too. */
    private static final Set<String> REMEMBERED = ConcurrentHashMap.newKeySet();

    private VaultMask() {
    }

    /** {@code text} with every secret of {@code secrets} replaced ({@link Vault#mask}). */
    static String mask(String text, Collection<String> secrets) {
        return Vault.mask(text, secrets);
    }

    static void remember(Collection<String> secrets) {
        REMEMBERED.addAll(secrets);
    }

    /** {@code text} masked with every text decrypted in this process (a report before it is written). */
    static String masked(String text) {
        return Vault.mask(text, REMEMBERED);
    }

    /** A writer that masks each line before {@code out} sees it (and what is left at a flush). */
    static PrintWriter wrap(PrintWriter out, Supplier<? extends Collection<String>> secrets) {
        return new PrintWriter(new Writer() {
            private final StringBuilder line = new StringBuilder();

            @Override
            public void write(char[] buf, int off, int len) {
                for (int i = off; i < off + len; i++) {
                    line.append(buf[i]);
                    if (buf[i] == '\n') {
                        emit();
                    }
                }
            }

            private void emit() {
                if (!line.isEmpty()) {
                    out.write(mask(line.toString(), secrets.get()));
                    line.setLength(0);
                }
            }

            @Override
            public void flush() {
                emit();
                out.flush();
            }

            @Override
            public void close() {
                flush();
            }
        }, true);
    }
}
