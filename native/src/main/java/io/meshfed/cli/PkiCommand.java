package io.meshfed.cli;

import io.meshfed.provisioner.trust.RootCa;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code meshfed pki}: the root of trust of an OSSM 3 mesh. */
@Command(name = "pki", mixinStandardHelpOptions = true, subcommands = PkiCommand.Root.class,
        description = "The root of trust OSSM 3 clusters share (mesh_trust).")
public class PkiCommand {

    /** {@code meshfed pki root --out DIR}. */
    @Command(name = "root", mixinStandardHelpOptions = true,
            description = {"Makes a root CA for a mesh without a PKI, as Istio's Makefile.selfsigned.mk does (RSA 4096, "
                    + "O=Istio, CN=Root CA): DIR/root-cert.pem and DIR/root-key.pem (readable by you only). Name them in "
                    + "mesh_trust; meshfed issues each cluster's intermediate CA (its cacerts Secret) from them. Keep the "
                    + "key out of Git: a vaulted file, a pipeline secret. Existing files are never overwritten."})
    static class Root implements Callable<Integer> {

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "The folder to write the two files to.")
        Path out;

        @Option(names = "--days", defaultValue = "3650", paramLabel = "N", description = "Validity in days (default: ${DEFAULT-VALUE}).")
        int days;

        @Option(names = "--org", defaultValue = "Istio", paramLabel = "NAME", description = "The O= of its subject (default: ${DEFAULT-VALUE}).")
        String organization;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Path cert = out.resolve("root-cert.pem");
            Path key = out.resolve("root-key.pem");
            var err = spec.commandLine().getErr();
            for (Path p : new Path[] {cert, key}) {
                if (Files.exists(p)) {
                    err.println("meshfed: " + p + " exists: a root is never overwritten (its clusters' intermediates would no "
                            + "longer chain to it); choose another --out");
                    return ExitCodes.BAD_INPUT;
                }
            }
            if (days < 1) {
                err.println("meshfed: --days must be at least 1, not " + days);
                return ExitCodes.BAD_INPUT;
            }
            RootCa.Pem root = RootCa.create(organization, Duration.ofDays(days));
            try {
                Files.createDirectories(out);
                // made readable by its owner only before the key is in it
                Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(key, root.privateKey(), StandardOpenOption.TRUNCATE_EXISTING);
                Files.writeString(cert, root.certificate(), StandardOpenOption.CREATE_NEW);
            } catch (FileAlreadyExistsException e) {
                err.println("meshfed: " + e.getFile() + " exists: a root is never overwritten");
                return ExitCodes.BAD_INPUT;
            } catch (IOException e) {
                err.println("meshfed: cannot write to " + out + ": " + e.getMessage());
                return ExitCodes.BAD_INPUT;
            }
            spec.commandLine().getOut().println("wrote " + cert + " and " + key + " (mode 0600); in group_vars/all:\n"
                    + "mesh_trust:\n  root_cert: " + cert + "\n  root_key: " + key);
            return ExitCodes.OK;
        }
    }
}
