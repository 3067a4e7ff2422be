package io.meshfed.cli;

import io.quarkus.test.junit.main.QuarkusMainIntegrationTest;

/** {@link CliRunsTest} again, against the packaged application (the jar here; the binary under -Pnative). */
@QuarkusMainIntegrationTest
class CliRunsIT extends CliRunsTest {
}
