package io.meshfed.provisioner.apply;

import io.meshfed.model.diff.AppliedAlready;
import io.meshfed.model.diff.DryRunComparison;
import io.meshfed.model.ownership.Claim;
import io.meshfed.model.ownership.ManagedFieldsMigration;
import io.meshfed.model.ownership.OwnershipLabels;
import io.meshfed.model.resource.DesiredObject;
import io.meshfed.model.resource.LiveValue;
import io.meshfed.model.resource.ObjectRef;
import io.meshfed.model.resource.Tree;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The work on one node: read live, server-side apply only what a dry run shows would change, then
 * wait for the node's readiness condition. Destroy: delete what meshfed created and wait until it is
 * gone; give up meshfed's fields of what it adopted.
 */
final class NodeTask {

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

        /** Why the run was asked to stop, or null: a waiting node then stops waiting. */
        String cancelled();
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
            if (converged.action().equals(NOT_CREATED)) {
                String other = (String) Tree.get(converged.live(), "metadata", "name");
                return new NodeResult(node.ref(), NodeResult.Outcome.OK, NOT_CREATED, Duration.ofNanos(System.nanoTime() - start),
                        "namespace " + node.ref().namespace() + " has OperatorGroup " + other + " already: meshfed does "
                                + "not add a second one (OLM would fail every operator there: TooManyOperatorGroups)", start, 0);
            }
            String reason = new ReadinessWait(node, ctx, client).await(converged.live(), start);
            return new NodeResult(node.ref(), written > 0 ? NodeResult.Outcome.CHANGED : NodeResult.Outcome.OK, converged.action(),
                    Duration.ofNanos(System.nanoTime() - start), reason, start, written);
        } catch (RuntimeException e) {
            return new NodeResult(node.ref(), NodeResult.Outcome.FAILED, e instanceof Cancellation.Interrupted ? "interrupted" : "error", Duration.ofNanos(System.nanoTime() - start),
                    message(e), start, written);
        }
    }

    /** An object meshfed leaves uncreated because another stands in its place. */
    static final String NOT_CREATED = "not created";

    /**
     * For an OperatorGroup meshfed would create: another OperatorGroup already in its namespace (made
     * by hand, or by the console when an operator was installed there), or null.
     */
    static Map<String, Object> otherOperatorGroup(ClusterClient client, ObjectRef ref) {
        if (!ref.kind().equals("OperatorGroup")) {
            return null;
        }
        return client.list(ref.apiVersion(), ref.kind(), null).stream()
                .filter(g -> ref.namespace().equals(Tree.get(g, "metadata", "namespace"))).findFirst().orElse(null);
    }

    /** What converging did (create, adopt, update, unchanged, observe) and the object as it then was. */
    private record Converged(String action, Map<String, Object> live) {
    }

    /**
     * Server-side apply when the object differs: a missing object is created (with meshfed's labels);
     * an existing one is left alone when its managedFields and values show the apply would change
     * nothing ({@link AppliedAlready}); otherwise a dry-run apply says what the server would store, and
     * only a difference from the live object is written.
     */
    private Converged converge(Map<String, Object> desired) {
        String inventory = ctx.inventoryName();
        String manager = OwnershipLabels.fieldManager(inventory);
        Map<String, Object> live = client.firstRead(node.ref());
        Map<String, Object> other = live == null ? otherOperatorGroup(client, node.ref()) : null;
        if (other != null) {
            return new Converged(NOT_CREATED, other);
        }
        if (live == null) {
            Map<String, Object> created = client.apply(node.ref(), desired, manager, false, true);
            written = System.nanoTime();
            tellDiff(null, created);
            return new Converged("create", created);
        }
        live = migrateLegacy(live, manager);
        Map<String, Object> config = Claim.configuration(desired, live, inventory);
        if (AppliedAlready.test(live, config, manager)) {
            return new Converged("unchanged", live);   // certain from managedFields and values: no dry run needed
        }
        Map<String, Object> wouldStore = client.apply(node.ref(), config, manager, true, false);
        if (DryRunComparison.differences(live, wouldStore).isEmpty()) {
            return new Converged("unchanged", live);
        }
        boolean adopting = Claim.adopting(live, inventory);
        Map<String, Object> updated = client.apply(node.ref(), config, manager, false, false);
        written = System.nanoTime();
        tellDiff(live, updated);
        return new Converged(adopting ? "adopt" : "update", updated);
    }

    private void tellDiff(Map<String, Object> before, Map<String, Object> after) {
        if (ctx.progress().wantsDiffs()) {
            ctx.progress().changed(node.ref(), Planner.unifiedDiff(node.ref(), before, after));
        }
    }

    /**
     * An object meshfed 0.1 wrote (client-side, with its record in an annotation): the fields of those
     * writes move to meshfed's apply manager (so that the next apply removes what they set and the
     * inventory no longer has) and the record goes (it could hold Secret data).
     */
    private Map<String, Object> migrateLegacy(Map<String, Object> live, String manager) {
        if (!ManagedFieldsMigration.needed(live)) {
            return live;
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> entries = Tree.get(live, "metadata", "managedFields") instanceof List<?> l
                ? (List<Map<String, Object>>) l : List.of();
        List<Map<String, Object>> migrated = ManagedFieldsMigration.migrate(entries, ManagedFieldsMigration.MESHFED_0_1_MANAGERS,
                manager,
                java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        client.patchMetadata(node.ref(), (String) Tree.get(live, "metadata", "resourceVersion"), migrated,
                List.of(Tree.pointer("metadata", "annotations", OwnershipLabels.LEGACY_LAST_APPLIED)));
        written = System.nanoTime();
        return client.get(node.ref());
    }

    /**
     * Deletes what this inventory created and no other inventory adopted since; gives up meshfed's
     * fields of what it adopted (or shares); leaves everything else alone.
     */
    NodeResult destroy() {
        long start = System.nanoTime();
        try {
            if (!node.managed()) {
                return new NodeResult(node.ref(), NodeResult.Outcome.OK, "observe", Duration.ZERO, "not meshfed's", start, 0);
            }
            Map<String, Object> live = client.get(node.ref());
            if (live == null) {
                return done("absent", "already gone", start);
            }
            String inventory = ctx.inventoryName();
            if (Claim.deletable(live, inventory)) {
                client.delete(node.ref());
                written = System.nanoTime();
                awaitGone(start + ctx.options().nodeTimeout().toNanos());
                return done("delete", "deleted", start);
            }
            GiveUp.Result given = GiveUp.object(client, node.ref(), live, inventory);
            if (given.wrote()) {
                written = System.nanoTime();
            }
            return done(given.action(), given.message(), start);
        } catch (RuntimeException e) {
            return new NodeResult(node.ref(), NodeResult.Outcome.FAILED, e instanceof Cancellation.Interrupted ? "interrupted" : "error", Duration.ofNanos(System.nanoTime() - start),
                    message(e), start, written);
        }
    }

    private NodeResult done(String action, String message, long start) {
        return new NodeResult(node.ref(), written > 0 ? NodeResult.Outcome.CHANGED : NodeResult.Outcome.OK, action,
                Duration.ofNanos(System.nanoTime() - start), message, start, written);
    }

    /**
     * Waits until the deleted object is gone (finalizers may hold it): by its kind's watch where one
     * opens, looked up in the watch's cache once right after following and again after pollMax without
     * news; else by polling.
     */
    private void awaitGone(long deadline) {
        ObjectWatch watch = client.watch(node.ref());
        try {
            boolean gone = client.current(node.ref()) == null;
            long pause = 20;
            while (!gone) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new IllegalStateException("still there " + RunOptions.describe(ctx.options().nodeTimeout())
                            + " after deletion (a finalizer?)");
                }
                ctx.waitingFor(node.ref(), "deletion");
                if (ctx.cancelled() != null) {
                    throw new Cancellation.Interrupted("interrupted (" + ctx.cancelled() + ") while waiting for the deletion");
                }
                if (watch == null) {
                    sleep(Math.min(pause, left));
                    pause = Math.min(ctx.options().pollMax().toMillis(), pause * 2);
                    gone = client.current(node.ref()) == null;
                    continue;
                }
                ObjectWatch.Event event = watch.next(Math.min(ctx.options().pollMax().toMillis(), left));
                if (event == null) {
                    gone = client.current(node.ref()) == null;
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
