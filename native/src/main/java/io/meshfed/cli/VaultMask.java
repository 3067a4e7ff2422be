package io.meshfed.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.Collection;
import java.util.Comparator;
import java.util.function.Supplier;

/**
 * Keeps what Ansible Vault protected out of meshfed's output: every text meshfed decrypted (a {@code !vault} value it
 * used, the values of a vault-encrypted variables file) is printed as {@value #SHOWN}, in plans' diffs, renderings,
 * progress and errors alike. Lines are masked whole (a value split over two writes is still found).
 */
final class VaultMask {

    static final String SHOWN = "(vaulted)";
    /** Shorter texts (yes, 1, on) are everywhere: masking them would mask the output, not the secret. */
    private static final int SHORTEST = 4;

    private VaultMask() {
    }

    /** {@code text} with every secret of {@code secrets} replaced, the longest first. */
    static String mask(String text, Collection<String> secrets) {
        String out = text;
        for (String secret : secrets.stream().filter(s -> s.length() >= SHORTEST)
                .sorted(Comparator.comparingInt(String::length).reversed()).toList()) {
            out = out.replace(secret, SHOWN);
        }
        return out;
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
