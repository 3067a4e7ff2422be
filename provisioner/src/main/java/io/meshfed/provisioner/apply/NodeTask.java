package io.meshfed.provisioner.apply;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.meshfed.model.diff.ObjectDiff;
import io.meshfed.model.render.OwnershipLabels;
import io.meshfed.model.resource.DesiredObject;
import io.meshfed.model.resource.LiveValue;
import io.meshfed.model.resource.ObjectRef;
import io.meshfed.model.resource.Tree;

import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * The work on one node: read live, diff on meshfed's fields, write only a difference (create, or PUT
 * carrying resourceVersion; a 409 is re-read and re-diffed), then wait for the node's readiness
 * condition. Destroy: delete what meshfed owns and wait until it is gone.
 */
final class NodeTask {

    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private static final int CONFLICT_RETRIES = 10;

    /** What the task needs from the run: clients, published live objects, options, progress. */
    interface Context {
        ClusterClient client(String cluster);

        /** The live object a ready node was last seen as (for the values it publishes). */
        Map<String, Object> published(ObjectRef ref);

        void publish(ObjectRef ref, Map<String, Object> live);

        RunOptions options();

        ProgressListener progress();

        void waitingFor(ObjectRef ref, String reason);

        String inventoryName();
    }

    private final DesiredObject node;
    private final Context ctx;
    private final ClusterClient client;
    private long written;

    NodeTask(DesiredObject node, Context ctx) {
        this.node = node;
        this.ctx = ctx;
        this.client = ctx.client(node.ref().cluster());
    }

    NodeResult apply() {
        long start = System.nanoTime();
        try {
            Converged converged = node.managed() ? converge(resolve()) : new Converged("observe", null);
            String reason = new ReadinessWait(node, ctx, client).await(converged.live(), start);
            return new NodeResult(node.ref(), written > 0 ? NodeResult.Outcome.CHANGED : NodeResult.Outcome.OK, converged.action(),
                    Duration.ofNanos(System.nanoTime() - start), reason, start, written);
        } catch (RuntimeException e) {
            return new NodeResult(node.ref(), NodeResult.Outcome.FAILED, "error", Duration.ofNanos(System.nanoTime() - start),
                    message(e), start, written);
        }
    }

    /** What converging wrote (create, update, unchanged, observe) and the object as it then was. */
    private record Converged(String action, Map<String, Object> live) {
    }

    /** Re-reads and re-diffs after a conflict. */
    private Converged converge(Map<String, Object> desired) {
        String record = canonical(desired);
        for (int attempt = 1; ; attempt++) {
            Map<String, Object> live = client.get(node.ref());
            Map<String, Object> last = lastApplied(live);
            ObjectDiff.Result diff = ObjectDiff.compute(desired, record, live, last);
            try {
                switch (diff.action()) {
                    case UNCHANGED -> {
                        return new Converged("unchanged", live);
                    }
                    case CREATE -> {
                        Map<String, Object> created = client.create(node.ref(), diff.target());
                        written = System.nanoTime();
                        return new Converged("create", created);
                    }
                    default -> {
                        Map<String, Object> updated = client.replace(node.ref(), diff.target());
                        written = System.nanoTime();
                        return new Converged("update", updated);
                    }
                }
            } catch (ApiException e) {
                if (e.code() != 409 || attempt >= CONFLICT_RETRIES) {
                    throw e;
                }
                ctx.progress().retried(node.ref(), "conflict: re-reading and re-diffing");
                sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(1, 10L * attempt + 2));
            }
        }
    }

    NodeResult destroy() {
        long start = System.nanoTime();
        try {
            if (!node.managed()) {
                return new NodeResult(node.ref(), NodeResult.Outcome.OK, "observe", Duration.ZERO, "not meshfed's", start, 0);
            }
            Map<String, Object> live = client.get(node.ref());
            if (live == null) {
                return new NodeResult(node.ref(), NodeResult.Outcome.OK, "absent", Duration.ofNanos(System.nanoTime() - start),
                        "already gone", start, 0);
            }
            Object labels = Tree.get(live, "metadata", "labels");
            Map<?, ?> l = labels instanceof Map<?, ?> m ? m : Map.of();
            if (!OwnershipLabels.MANAGED_BY_VALUE.equals(l.get(OwnershipLabels.MANAGED_BY))
                    || !ctx.inventoryName().equals(l.get(OwnershipLabels.INVENTORY))) {
                return new NodeResult(node.ref(), NodeResult.Outcome.OK, "not-owned", Duration.ofNanos(System.nanoTime() - start),
                        "not owned by meshfed inventory " + ctx.inventoryName() + ": left alone", start, 0);
            }
            client.delete(node.ref());
            written = System.nanoTime();
            awaitGone(start + ctx.options().nodeTimeout().toNanos());
            return new NodeResult(node.ref(), NodeResult.Outcome.CHANGED, "delete", Duration.ofNanos(System.nanoTime() - start),
                    "deleted", start, written);
        } catch (RuntimeException e) {
            return new NodeResult(node.ref(), NodeResult.Outcome.FAILED, "error", Duration.ofNanos(System.nanoTime() - start),
                    message(e), start, written);
        }
    }

    /**
     * Waits until the deleted object is gone (finalizers may hold it): by watch where one opens, read
     * once right after it opened and again after pollMax without news; else by polling.
     */
    private void awaitGone(long deadline) {
        ObjectWatch watch = client.watch(node.ref());
        try {
            boolean gone = client.get(node.ref()) == null;
            long pause = 20;
            while (!gone) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new IllegalStateException("still there " + ctx.options().nodeTimeout().toSeconds()
                            + "s after deletion (a finalizer?)");
                }
                ctx.waitingFor(node.ref(), "deletion");
                if (watch == null) {
                    sleep(Math.min(pause, left));
                    pause = Math.min(ctx.options().pollMax().toMillis(), pause * 2);
                    gone = client.get(node.ref()) == null;
                    continue;
                }
                ObjectWatch.Event event = watch.next(Math.min(ctx.options().pollMax().toMillis(), left));
                if (event == null) {
                    gone = client.get(node.ref()) == null;
                } else if (event.ended()) {
                    watch.close();
                    watch = null;
                } else {
                    gone = event.object() == null;
                }
            }
        } finally {
            if (watch != null) {
                watch.close();
            }
        }
    }

    /** The desired content with every LiveValue replaced by the value its source published. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> resolve() {
        Function<Object, Object> leaf = v -> {
            if (v instanceof LiveValue value) {
                Map<String, Object> source = ctx.published(value.source());
                Object resolved = source == null ? null : value.readFrom(source);
                if (resolved == null) {
                    throw new IllegalStateException("no value at " + value.jsonPath() + " of " + value.source().id());
                }
                return resolved;
            }
            return v;
        };
        return (Map<String, Object>) Tree.mapLeaves(node.content(), leaf);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> lastApplied(Map<String, Object> live) {
        Object record = live == null ? null : Tree.get(live, "metadata", "annotations");
        Object json = record instanceof Map<?, ?> m ? m.get(ObjectDiff.LAST_APPLIED) : null;
        if (!(json instanceof String s)) {
            return null;
        }
        try {
            return CANONICAL.readValue(s, Map.class);
        } catch (JsonProcessingException e) {
            return null; // a damaged record: nothing is removed, everything meshfed wants is still written
        }
    }

    static String canonical(Map<String, Object> desired) {
        try {
            return CANONICAL.writeValueAsString(desired);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String message(RuntimeException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}
