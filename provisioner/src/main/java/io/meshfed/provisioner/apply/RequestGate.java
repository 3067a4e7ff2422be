package io.meshfed.provisioner.apply;

import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every request to one cluster goes through: at most {@code forks} in flight on the cluster and
 * the run's overall limit, the {@link RetryPolicy} for transient failures, the observer that counts
 * requests (metrics, timings), and — for writes — the run lock's check ({@link RunLock#check}): a run
 * that lost its lock sends no write.
 */
final class RequestGate {

    private final String cluster;
    private final Semaphore inFlight;
    private final Semaphore overall;
    private final RetryPolicy retry;
    private final AtomicLong retries = new AtomicLong();
    private volatile RequestObserver observer = RequestObserver.NONE;
    private volatile Runnable writeGuard;

    RequestGate(String cluster, int forks, Semaphore overall, RetryPolicy retry) {
        this.cluster = cluster;
        this.inFlight = new Semaphore(forks, true);
        this.overall = overall;
        this.retry = retry;
    }

    void observe(RequestObserver observer) {
        this.observer = observer;
    }

    RequestObserver observer() {
        return observer;
    }

    /** Checked before every write; null: none. */
    void guardWrites(Runnable guard) {
        this.writeGuard = guard;
    }

    long retries() {
        return retries.get();
    }

    void retried() {
        retries.incrementAndGet();
    }

    /** A request; {@code what} starts with its verb ({@code apply}, {@code delete} and {@code patch} are writes). */
    <T> T call(String what, Callable<T> request) {
        return call(what.substring(0, what.indexOf(' ') < 0 ? what.length() : what.indexOf(' ')), cluster + ": " + what, retry,
                request);
    }

    /** A request by its verb, its failures told as {@code description}, retried by {@code policy}. */
    <T> T call(String verb, String description, RetryPolicy policy, Callable<T> request) {
        Runnable guard = writeGuard;
        if (guard != null && (verb.equals("apply") || verb.equals("delete") || verb.equals("patch"))) {
            guard.run();   // a run that lost its lock writes nothing more
        }
        acquire();
        try {
            return policy.call(description, () -> observed(verb, request), retries::incrementAndGet);
        } finally {
            release();
        }
    }

    /**
     * A request of the run lock: retried and observed like any other, but not queued behind the run's
     * requests — a Lease that waits for a slot while a large apply keeps every slot busy is not renewed in
     * time, and the run would lose its lock for being busy.
     */
    <T> T callAhead(String what, Callable<T> request) {
        String verb = what.substring(0, what.indexOf(' ') < 0 ? what.length() : what.indexOf(' '));
        return retry.call(cluster + ": " + what, () -> observed(verb, request), retries::incrementAndGet);
    }

    /** One attempt, reported to the observer with its status. */
    private <T> T observed(String verb, Callable<T> request) throws Exception {
        long start = System.nanoTime();
        int status = 200;
        try {
            return request.call();
        } catch (KubernetesClientException e) {
            status = Math.max(e.getCode(), 0);
            throw e;
        } finally {
            observer.observed(cluster, verb, status, System.nanoTime() - start);
        }
    }

    private void acquire() {
        try {
            inFlight.acquire();
            try {
                overall.acquire();
            } catch (InterruptedException e) {
                inFlight.release();
                throw e;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void release() {
        overall.release();
        inFlight.release();
    }
}
