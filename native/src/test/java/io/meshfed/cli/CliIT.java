package io.meshfed.cli;

import io.quarkus.test.junit.main.QuarkusMainIntegrationTest;

/** {@link CliTest} again, against the packaged application (the jar here; the binary under -Pnative). */
@QuarkusMainIntegrationTest
class CliIT extends CliTest {
}
