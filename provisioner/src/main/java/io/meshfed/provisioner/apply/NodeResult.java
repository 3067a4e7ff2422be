package io.meshfed.provisioner.apply;

import io.meshfed.model.resource.ObjectRef;

import java.time.Duration;

/**
 * What happened to one node in a run.
 *
 * @param ref      the object
 * @param outcome  ok (nothing to write), changed (written), failed, skipped (a dependency failed), unreachable
 * @param action   create, update, unchanged, observe, delete, absent, not-owned
 * @param duration from start to ready (or failure)
 * @param message  why it failed or was skipped, or what readiness saw
 * @param started  System.nanoTime() when the node started
 * @param written  System.nanoTime() of its write, or 0 when nothing was written
 */
public record NodeResult(ObjectRef ref, Outcome outcome, String action, Duration duration, String message, long started,
                         long written) {

    public enum Outcome { OK, CHANGED, FAILED, SKIPPED, UNREACHABLE }

    public boolean succeeded() {
        return outcome == Outcome.OK || outcome == Outcome.CHANGED;
    }
}
