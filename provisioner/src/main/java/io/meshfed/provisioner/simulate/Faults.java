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
 * @param pathPattern  a regular expression the request path must contain a match of to be failed or delayed (null:
 *                     every path)
 * @param lost         serve the request, then answer with the error anyway: a response lost on the way back
 * @param seed         the random seed
 */
public record Faults(Duration latency, double errorRate, int everyNth, List<Integer> statuses, int retryAfter,
                     Set<String> methods, String pathPattern, boolean lost, long seed) {

    public static final Faults NONE = new Faults(Duration.ZERO, 0, 0, List.of(), 0, Set.of(), null, false, 0);

    public Faults {
        statuses = List.copyOf(statuses);
        methods = Set.copyOf(methods);
    }

    public static Faults latency(Duration latency) {
        return new Faults(latency, 0, 0, List.of(), 0, Set.of(), null, false, 0);
    }

    public Faults withErrors(double rate, long seed, Integer... statuses) {
        return new Faults(latency, rate, everyNth, List.of(statuses), retryAfter, methods, pathPattern, lost, seed);
    }

    public Faults withEveryNth(int n, Integer... statuses) {
        return new Faults(latency, errorRate, n, List.of(statuses), retryAfter, methods, pathPattern, lost, seed);
    }

    public Faults onlyFor(String... httpMethods) {
        return new Faults(latency, errorRate, everyNth, statuses, retryAfter, Set.of(httpMethods), pathPattern, lost, seed);
    }

    public Faults onlyPaths(String regex) {
        return new Faults(latency, errorRate, everyNth, statuses, retryAfter, methods, regex, lost, seed);
    }

    /** Failed requests are served first: their effect happens, their answer is lost. */
    public Faults withLostResponses() {
        return new Faults(latency, errorRate, everyNth, statuses, retryAfter, methods, pathPattern, true, seed);
    }

    public Faults withRetryAfter(int seconds) {
        return new Faults(latency, errorRate, everyNth, statuses, seconds, methods, pathPattern, lost, seed);
    }

    boolean failsAny() {
        return !statuses.isEmpty() && (errorRate > 0 || everyNth > 0);
    }

    /** Decides request by request; one instance per server, used under its lock. */
    static final class Decider {
        private final Faults faults;
        private final java.util.regex.Pattern paths;
        private final Random random;
        private long eligible;
        private int next;

        Decider(Faults faults) {
            this.faults = faults;
            this.paths = faults.pathPattern() == null ? null : java.util.regex.Pattern.compile(faults.pathPattern());
            this.random = new Random(faults.seed());
        }

        /** Whether the latency applies to a request of {@code path}. */
        boolean delays(String path) {
            return !faults.latency().isZero() && (paths == null || paths.matcher(path).find());
        }

        /** The error status to answer with, or 0 to serve the request. */
        synchronized int decide(String method, String path) {
            if (!faults.failsAny() || (!faults.methods().isEmpty() && !faults.methods().contains(method))
                    || (paths != null && !paths.matcher(path).find())) {
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
