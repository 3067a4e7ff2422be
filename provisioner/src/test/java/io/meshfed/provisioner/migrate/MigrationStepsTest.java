package io.meshfed.provisioner.migrate;

import io.meshfed.model.inventory.MigrationPhase;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static io.meshfed.model.inventory.MigrationPhase.CUT_OVER;
import static io.meshfed.model.inventory.MigrationPhase.DISCOVERY;
import static io.meshfed.model.inventory.MigrationPhase.FEDERATED;
import static io.meshfed.model.inventory.MigrationPhase.PREPARED;
import static org.assertj.core.api.Assertions.assertThat;

class MigrationStepsTest {

    @Test
    @DisplayName("a move goes through every phase between, forward in order, back undoing each, and none when there")
    void neverSkipsAPhase() {
        assertThat(Migration.steps(FEDERATED, PREPARED)).containsExactly(PREPARED);
        assertThat(Migration.steps(FEDERATED, CUT_OVER)).containsExactly(PREPARED, DISCOVERY, CUT_OVER);
        assertThat(Migration.steps(CUT_OVER, FEDERATED)).containsExactly(DISCOVERY, PREPARED, FEDERATED);
        assertThat(Migration.steps(PREPARED, FEDERATED)).containsExactly(FEDERATED);
        assertThat(Migration.steps(PREPARED, PREPARED)).isEmpty();
        assertThat(MigrationPhase.of("cut-over")).isEqualTo(CUT_OVER);
        assertThat(MigrationPhase.of("prepare")).isNull();
    }
}
