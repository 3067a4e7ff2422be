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

    public static void main(String... args) {
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
        try {
            return commandLine.execute(args);
        } finally {
            commandLine.getOut().flush();
            commandLine.getErr().flush();
        }
    }
}
