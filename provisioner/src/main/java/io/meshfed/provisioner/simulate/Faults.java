package io.meshfed.provisioner.simulate;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * What a simulated API server does wrong, deterministically: a latency added to every response, and
 * a seeded share (or every n-th) of the requests answered with an error status instead of being
 * served. The store stays live: a failed request changes nothing.
 *
 * @param latency      added to every response (zero for none)
 * @param errorRate    share of eligible requests that fail, 0..1, drawn from {@code seed}
 * @param everyNth     fail every n-th eligible request (0 for none)
 * @param statuses     the statuses failures cycle through (for example 500, 503, 429)
 * @param retryAfter   the Retry-After seconds sent with 429 and 503
 * @param methods      the HTTP methods that are eligible (empty: all)
 * @param seed         the random seed
 */
public record Faults(Duration latency, double errorRate, int everyNth, List<Integer> statuses, int retryAfter,
                     Set<String> methods, long seed) {

    public static final Faults NONE = new Faults(Duration.ZERO, 0, 0, List.of(), 0, Set.of(), 0);

    public Faults {
        statuses = List.copyOf(statuses);
        methods = Set.copyOf(methods);
    }

    public static Faults latency(Duration latency) {
        return new Faults(latency, 0, 0, List.of(), 0, Set.of(), 0);
    }

    public Faults withErrors(double rate, long seed, Integer... statuses) {
        return new Faults(latency, rate, everyNth, List.of(statuses), retryAfter, methods, seed);
    }

    public Faults withEveryNth(int n, Integer... statuses) {
        return new Faults(latency, errorRate, n, List.of(statuses), retryAfter, methods, seed);
    }

    public Faults onlyFor(String... httpMethods) {
        return new Faults(latency, errorRate, everyNth, statuses, retryAfter, Set.of(httpMethods), seed);
    }

    public Faults withRetryAfter(int seconds) {
        return new Faults(latency, errorRate, everyNth, statuses, seconds, methods, seed);
    }

    boolean failsAny() {
        return !statuses.isEmpty() && (errorRate > 0 || everyNth > 0);
    }

    /** Decides request by request; one instance per server, used under its lock. */
    static final class Decider {
        private final Faults faults;
        private final Random random;
        private long eligible;
        private int next;

        Decider(Faults faults) {
            this.faults = faults;
            this.random = new Random(faults.seed());
        }

        /** The error status to answer with, or 0 to serve the request. */
        synchronized int decide(String method) {
            if (!faults.failsAny() || (!faults.methods().isEmpty() && !faults.methods().contains(method))) {
                return 0;
            }
            eligible++;
            boolean fail = (faults.everyNth() > 0 && eligible % faults.everyNth() == 0)
                    || (faults.errorRate() > 0 && random.nextDouble() < faults.errorRate());
            if (!fail) {
                return 0;
            }
            int status = faults.statuses().get(next % faults.statuses().size());
            next++;
            return status;
        }
    }
}
