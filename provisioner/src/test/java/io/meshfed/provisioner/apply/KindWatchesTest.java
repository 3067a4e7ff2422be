package io.meshfed.provisioner.apply;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class KindWatchesTest {

    @Test
    @DisplayName("an informer's start that failed, or is still under way, is no informer: asking for it never throws (a run "
            + "that timed out while informers were starting ended without its recap)")
    void failedStartIsNoInformer() {
        CompletableFuture<KindWatches.KindWatch> failed = new CompletableFuture<>();
        failed.completeExceptionally(new IllegalStateException("interrupted"));
        assertThat(KindWatches.started(failed)).isNull();
        assertThat(KindWatches.started(new CompletableFuture<>())).isNull();
        assertThat(KindWatches.started(null)).isNull();
    }
}
