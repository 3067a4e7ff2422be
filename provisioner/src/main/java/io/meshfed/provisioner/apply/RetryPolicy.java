package io.meshfed.provisioner.apply;

import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Retries transient failures — 5xx, 429 (honouring Retry-After), timeouts and connection errors —
 * with exponential backoff and full jitter, within a number of attempts; everything else fails at
 * once. Conflicts (409) are not retried here: the caller re-reads and re-diffs.
 *
 * @param attempts   how many tries in all
 * @param base       the first backoff
 * @param max        the largest backoff
 */
public record RetryPolicy(int attempts, Duration base, Duration max) {

    public static final RetryPolicy DEFAULT = new RetryPolicy(8, Duration.ofMillis(100), Duration.ofSeconds(5));

    /** Runs {@code call}, retrying transient failures; {@code retried} is told about every retry. */
    public <T> T call(String what, Callable<T> call, Runnable retried) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.call();
            } catch (KubernetesClientException e) {
                int code = e.getCode();
                if (!transientCode(code) || attempt >= attempts) {
                    throw new ApiException(code, what + ": " + message(e) + (transientCode(code) ? " (after " + attempt
                            + " attempts)" : ""), e);
                }
                retried.run();
                sleep(backoff(attempt, retryAfter(e)));
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static boolean transientCode(int code) {
        return code <= 0 || code == 429 || code >= 500; // 0 or -1: no answer (refused, reset, timeout)
    }

    Duration backoff(int attempt, Duration retryAfter) {
        long cap = Math.min(max.toMillis(), base.toMillis() << Math.min(attempt - 1, 20));
        long jittered = ThreadLocalRandom.current().nextLong(cap / 2, cap + 1);
        return retryAfter != null && retryAfter.toMillis() > jittered ? retryAfter : Duration.ofMillis(jittered);
    }

    private static Duration retryAfter(KubernetesClientException e) {
        Integer seconds = e.getStatus() != null && e.getStatus().getDetails() != null
                ? e.getStatus().getDetails().getRetryAfterSeconds() : null;
        return seconds == null ? null : Duration.ofSeconds(seconds);
    }

    /** A failed request said shortly: the status the server answered, else the root cause (TLS, connection refused...). */
    public static String message(KubernetesClientException e) {
        if (e.getStatus() != null && e.getStatus().getMessage() != null) {
            return e.getCode() + " " + e.getStatus().getMessage();
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return (e.getCode() <= 0 ? "" : e.getCode() + " ") + (root.getMessage() == null ? root.getClass().getSimpleName()
                : root.getMessage());
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
