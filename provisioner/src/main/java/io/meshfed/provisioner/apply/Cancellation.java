package io.meshfed.provisioner.apply;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A run's stop request (a SIGTERM to a Job's pod, a cancelled pipeline, Ctrl-C): the executor starts
 * no more nodes, waiting nodes stop waiting, requests in flight finish.
 */
public final class Cancellation {

    private final CountDownLatch requested = new CountDownLatch(1);
    private volatile String reason;

    /** Asks the run to stop; the first reason stays. */
    public synchronized void cancel(String why) {
        if (reason == null) {
            reason = why;
            requested.countDown();
        }
    }

    public boolean cancelled() {
        return reason != null;
    }

    /** Why the run was stopped, or null. */
    public String reason() {
        return reason;
    }

    /** Thrown by a node that stops waiting because its run was asked to stop. */
    static final class Interrupted extends RuntimeException {
        Interrupted(String message) {
            super(message, null, false, false);
        }
    }

    /** Waits up to {@code millis} for a stop request; true when there is one. */
    public boolean await(long millis) throws InterruptedException {
        return requested.await(millis, TimeUnit.MILLISECONDS);
    }
}
