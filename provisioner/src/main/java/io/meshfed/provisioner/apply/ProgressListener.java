package io.meshfed.provisioner.apply;

import io.meshfed.model.resource.ObjectRef;

/** What a run tells as it goes (the CLI prints it); every method may be called from many threads. */
public interface ProgressListener {

    ProgressListener NONE = new ProgressListener() {
    };

    default void finished(NodeResult result) {
    }

    /** A step of the run is done ({@code MESHFED_TIMINGS} prints when). */
    default void milestone(String what) {
    }

    /** A node still waits for its readiness condition, {@code reason} saying what it sees. */
    default void waiting(ObjectRef ref, String reason) {
    }

    /** A request was retried after a transient failure. */
    default void retried(ObjectRef ref, String what) {
    }

    /** Whether the run should tell what it writes as a diff ({@code apply --diff}): it costs a rendering per write. */
    default boolean wantsDiffs() {
        return false;
    }

    /** What a write changed: a unified YAML diff of the object before and as the server stored it (Secret data masked). */
    default void changed(ObjectRef ref, String diff) {
    }
}
