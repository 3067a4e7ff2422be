package io.meshfed.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import picocli.CommandLine;

/**
 * meshfed's entry point. Before Quarkus starts, it decides the default of the HTTP server (health and
 * metrics): on for {@code serve}, a long-running service that a Job probes; off for the short
 * commands. application.properties turns the decision into {@code quarkus.http.host-enabled}'s
 * default, so the usual Quarkus settings (-Dquarkus.http.host-enabled, QUARKUS_HTTP_HOST_ENABLED,
 * a config/application.properties) still decide when given.
 */
@QuarkusMain
public class Main implements QuarkusApplication {

    /** The property application.properties reads as the default of quarkus.http.host-enabled. */
    static final String HTTP_DEFAULT = "meshfed.http.default";

    @Inject
    CommandLine commandLine;

    @Inject
    RunState state;

    /**
     * PKCS#12 key stores made in this process hold a cluster's client certificate in memory only (the
     * Kubernetes client's TLS set-up): their password-based protection guards no file, and its 10,000
     * PBKDF2 rounds cost each cluster's client about 0.1 s. Set where not set already.
     */
    static final java.util.List<String> IN_MEMORY_KEY_STORES = java.util.List.of("keystore.pkcs12.keyPbeIterationCount",
            "keystore.pkcs12.certPbeIterationCount", "keystore.pkcs12.macIterationCount");

    public static void main(String... args) {
        Timings.mark("main");
        IN_MEMORY_KEY_STORES.forEach(p -> {
            if (System.getProperty(p) == null) {
                System.setProperty(p, "1");
            }
        });
        System.setProperty(HTTP_DEFAULT, String.valueOf(httpByDefault(args)));
        Quarkus.run(Main.class, args);
    }

    /** Whether the command line runs {@code serve}: the first argument that is not an option. */
    static boolean httpByDefault(String... args) {
        for (String arg : args) {
            if (!arg.startsWith("-")) {
                return arg.equals("serve");
            }
        }
        return false;
    }

    @Override
    public int run(String... args) {
        Timings.mark("Quarkus started");
        try {
            return commandLine.execute(args);
        } finally {
            commandLine.getOut().flush();
            commandLine.getErr().flush();
            Timings.end(() -> state.requests());   // RunState made only when timings are on
        }
    }
}
