package io.meshfed.cli;

import io.meshfed.provisioner.apply.NodeResult;
import io.meshfed.provisioner.apply.RequestObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the running command is doing, for the health endpoints and metrics: the phase, how many
 * objects are done in each state, when the last one finished. Metrics (Prometheus, /q/metrics):
 * {@code meshfed_nodes{state}}, {@code meshfed_node_duration_seconds{cluster,kind,result}},
 * {@code meshfed_api_requests_seconds{cluster,verb,status}} (count and sum; status 2xx, or the error's
 * code, 0 for no answer) and {@code meshfed_api_errors_total{cluster,status}}.
 */
@ApplicationScoped
public class RunState implements RequestObserver {

    /** Where the command is. */
    public enum Phase { IDLE, RUNNING, SUCCEEDED, FAILED }

    private final MeterRegistry registry;
    private final Map<NodeResult.Outcome, AtomicInteger> counts = new EnumMap<>(NodeResult.Outcome.class);
    private final AtomicInteger total = new AtomicInteger();
    private final AtomicLong lastProgress = new AtomicLong(System.nanoTime());
    private volatile Phase phase = Phase.IDLE;
    private volatile String reason;
    private final java.util.concurrent.atomic.AtomicBoolean firstRequest = new java.util.concurrent.atomic.AtomicBoolean();
    private final Map<String, java.util.concurrent.atomic.LongAdder> requests = new java.util.concurrent.ConcurrentHashMap<>();

    public RunState(MeterRegistry registry) {
        this.registry = registry;
        for (NodeResult.Outcome o : NodeResult.Outcome.values()) {
            AtomicInteger count = new AtomicInteger();
            counts.put(o, count);
            Gauge.builder("meshfed_nodes", count, AtomicInteger::get).tag("state", o.name().toLowerCase())
                    .description("objects of the current run, by result").register(registry);
        }
        Gauge.builder("meshfed_nodes", this, RunState::pending).tag("state", "pending")
                .description("objects of the current run, by result").register(registry);
    }

    void started(int objects) {
        counts.values().forEach(c -> c.set(0));
        total.set(objects);
        lastProgress.set(System.nanoTime());
        phase = Phase.RUNNING;
        reason = null;
    }

    void finished(NodeResult r) {
        counts.get(r.outcome()).incrementAndGet();
        lastProgress.set(System.nanoTime());
        Timer.builder("meshfed_node_duration_seconds").tag("cluster", r.ref().cluster()).tag("kind", r.ref().kind())
                .tag("result", r.outcome().name().toLowerCase()).register(registry)
                .record(r.duration().toNanos(), TimeUnit.NANOSECONDS);
    }

    void done(boolean succeeded) {
        done(succeeded, null);
    }

    /** @param reason why a run failed, for the readiness check's data (null: it did not, or the counts say it) */
    void done(boolean succeeded, String reason) {
        phase = succeeded ? Phase.SUCCEEDED : Phase.FAILED;
        this.reason = succeeded ? null : reason;
        lastProgress.set(System.nanoTime());
    }

    /** Why the last run failed, where known. */
    String reason() {
        return reason;
    }

    @Override
    public void observed(String cluster, String verb, int status, long nanos) {
        if (firstRequest.compareAndSet(false, true)) {
            Timings.mark("first API request answered");
        }
        requests.computeIfAbsent(verb, v -> new java.util.concurrent.atomic.LongAdder()).increment();
        // the client's high-level calls say that a request succeeded, not with which 2xx code
        String code = status >= 200 && status < 300 ? "2xx" : String.valueOf(status);
        Timer.builder("meshfed_api_requests_seconds").tag("cluster", cluster).tag("verb", verb)
                .tag("status", code).register(registry).record(nanos, TimeUnit.NANOSECONDS);
        if (status >= 500 || status == 429 || status == 0) {
            Counter.builder("meshfed_api_errors_total").tag("cluster", cluster).tag("status", String.valueOf(status))
                    .register(registry).increment();
        }
    }

    /** The API requests sent so far (attempts, retries included), by verb: get, list, dry-run, apply, patch, delete, watch. */
    Map<String, Long> requests() {
        Map<String, Long> out = new java.util.HashMap<>();
        requests.forEach((verb, n) -> out.put(verb, n.sum()));
        return out;
    }

    public Phase phase() {
        return phase;
    }

    public int count(NodeResult.Outcome outcome) {
        return counts.get(outcome).get();
    }

    public int total() {
        return total.get();
    }

    public int pending() {
        return Math.max(0, total.get() - counts.values().stream().mapToInt(AtomicInteger::get).sum());
    }

    public Duration sinceProgress() {
        return Duration.ofNanos(System.nanoTime() - lastProgress.get());
    }
}
