package io.meshfed.cli;

import io.quarkus.test.junit.main.QuarkusMainIntegrationTest;

/** {@link CliTest} again, against the packaged application (the jar here; the binary under -Pnative). */
@QuarkusMainIntegrationTest
class CliIT extends CliTest {

    /**
     * One malformed inventory in eight, and the last: each is a process of its own here (about 1.3 s), and what the
     * packaged application adds to the in-process run — exit code 2, nothing on stdout, no stack trace — is the
     * same for every case; CliTest checks every message of every case.
     */
    /**
     * Three commands' --help (one process each): what packaging could break in it (picocli's reflection, the help's
     * resources) is the same for every command; CliTest runs each.
     */
    @Override
    java.util.List<String> helpCommands(java.util.List<String> all) {
        return java.util.List.of("apply", "migrate", "simulate");
    }

    @Override
    java.util.List<java.nio.file.Path> malformedCases(java.util.List<java.nio.file.Path> all) {
        java.util.List<java.nio.file.Path> some = new java.util.ArrayList<>();
        for (int i = 0; i < all.size(); i += 8) {
            some.add(all.get(i));
        }
        if (!some.contains(all.get(all.size() - 1))) {
            some.add(all.get(all.size() - 1));
        }
        return some;
    }
}
