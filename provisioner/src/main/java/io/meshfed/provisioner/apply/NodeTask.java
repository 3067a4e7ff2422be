package io.meshfed.provisioner.apply;

import io.meshfed.model.ownership.ManagedFieldsMigration;
import io.meshfed.model.ownership.Provenance;
import io.meshfed.model.ownership.OwnershipLabels;
import io.meshfed.model.resource.DesiredObject;
import io.meshfed.model.resource.Live;
import io.meshfed.model.resource.LiveValue;
import io.meshfed.model.resource.ObjectRef;
import io.meshfed.model.resource.Readiness;
import io.meshfed.model.resource.Tree;

import java.time.Duration;
import java.util.List;
import io.meshfed.provisioner.trust.IntermediateCas;
import io.meshfed.provisioner.trust.ReaderTokens;
import io.meshfed.model.resource.IssuedToken;
import java.util.Map;
import java.util.function.Function;

/**
 * The work on one node: read live, decide what applying does ({@link ApplyDecision}), server-side
 * apply only what differs, then wait for the node's readiness condition. Destroy: what
 * {@link Deletion} decides — delete what this inventory created and wait until it is gone, give up
 * meshfed's fields of the rest.
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

        /** The inventory's records: who created what, and what this run creates and deletes. */
        InventoryRecords records();

        /** Why the run was asked to stop, or null: a waiting node then stops waiting. */
        String cancelled();

        /** Issues the OSSM 3 clusters' intermediate CAs, or keeps the ones on the clusters. */
        IntermediateCas cas();

        /** Judges whether a remote secret's token is kept. */
        ReaderTokens tokens();
    }

    private final DesiredObject node;
    private final Context ctx;
    private final ClusterClient client;
    /** System.nanoTime() of this node's write, 0 before it wrote. */
    private long writtenAt;

    NodeTask(DesiredObject node, Context ctx) {
        this.node = node;
        this.ctx = ctx;
        this.client = ctx.client(node.ref().cluster());
    }

    private boolean wrote() {
        return writtenAt != 0;
    }

    NodeResult apply() {
        long start = System.nanoTime();
        String action = node.managed() ? "error" : "observe";
        try {
            Converged converged = node.managed() ? converge() : new Converged("observe", null);
            action = converged.action();
            if (action.equals(ApplyDecision.Action.NOT_CREATED.word)) {
                String other = (String) Tree.get(converged.live(), "metadata", "name");
                return new NodeResult(node.ref(), NodeResult.Outcome.OK, action, Duration.ofNanos(System.nanoTime() - start),
                        "namespace " + node.ref().namespace() + " has OperatorGroup " + other + " already: meshfed does "
                                + "not add a second one (OLM would fail every operator there: TooManyOperatorGroups)", start, 0);
            }
            String reason = new ReadinessWait(node, ctx, client).await(converged.live(), start);
            return new NodeResult(node.ref(), wrote() ? NodeResult.Outcome.CHANGED : NodeResult.Outcome.OK, action,
                    Duration.ofNanos(System.nanoTime() - start), reason, start, writtenAt);
        } catch (Cancellation.Interrupted e) {
            // written, then stopped while waiting: a change all the same (the recap counts it), not a failure
            return new NodeResult(node.ref(), wrote() ? NodeResult.Outcome.CHANGED : NodeResult.Outcome.FAILED, "interrupted",
                    Duration.ofNanos(System.nanoTime() - start), (wrote() ? action + " written, then " : "") + message(e),
                    start, writtenAt);
        } catch (RuntimeException e) {
            return new NodeResult(node.ref(), NodeResult.Outcome.FAILED, "error", Duration.ofNanos(System.nanoTime() - start),
                    message(e), start, writtenAt);
        }
    }

    /** What converging did (create, adopt, update, unchanged, observe, not created) and the object as it then was. */
    private record Converged(String action, Map<String, Object> live) {
    }

    /**
     * Applies what {@link ApplyDecision} says differs: a missing object is created (with meshfed's
     * labels, its UID recorded); an adopted or drifted one is applied with the decided configuration.
     */
    private Converged converge() {
        String manager = OwnershipLabels.fieldManager(ctx.records().inventory());
        // readiness judged on a status (a namespace Active, a CSV installed, a peer connected) is never judged on the
        // listing's copy, seconds old: it is read as it is now, and decided on too (one read, not two)
        Map<String, Object> live = node.readiness() == Readiness.EXISTS ? client.firstRead(node.ref()) : client.freshRead(node.ref());
        if (live != null && ManagedFieldsMigration.needed(live)) {
            ctx.records().claim(node.ref().cluster(), live);   // judged as meshfed 0.1 left it: its writers were meshfed
            live = migrateLegacy(live, manager);
        }
        Map<String, Object> desired = IssuedValues.fill(resolve(live), (cluster, data) -> ctx.cas().data(cluster, node.ref().namespace(), data), live);
        ApplyDecision.Decision decision = ApplyDecision.decide(client, ctx.records(), node.ref(), desired, live, true, false,
                ctx.options().forceConflicts());
        if (decision.action() == ApplyDecision.Action.CONFLICT) {
            throw new IllegalStateException(decision.conflict());
        }
        if (!decision.writes()) {
            return new Converged(decision.action().word, decision.live());
        }
        boolean creating = decision.action() == ApplyDecision.Action.CREATE;
        Map<String, Object> written = client.apply(node.ref(), decision.config(), manager, false, creating);
        writtenAt = System.nanoTime();
        if (creating && "Namespace".equals(node.ref().kind()) && "v1".equals(node.ref().apiVersion())) {
            client.forgetListed(node.ref().name());   // created now: what the listing saw in it went with the old one
        }
        if (creating && Provenance.whyNotMeshfedAlone(written, ctx.records().inventory()) == null) {
            ctx.records().created(node.ref(), written);   // the proof that it is meshfed's: its UID, recorded as it is made
        }
        tellDiff(live, written);
        return new Converged(decision.action().word, written);
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
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> entries = Tree.get(live, "metadata", "managedFields") instanceof List<?> l
                ? (List<Map<String, Object>>) l : List.of();
        List<Map<String, Object>> migrated = ManagedFieldsMigration.migrate(entries, live, ManagedFieldsMigration.MESHFED_0_1_MANAGERS,
                manager,
                java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        client.patchMetadata(node.ref(), (String) Tree.get(live, "metadata", "resourceVersion"), migrated,
                List.of(Tree.pointer("metadata", "annotations", OwnershipLabels.LEGACY_LAST_APPLIED)));
        writtenAt = System.nanoTime();
        return client.get(node.ref());
    }

    /**
     * Destroy: what {@link Deletion} decides for the object — deleted (then waited for until it is
     * gone), kept (a namespace holding someone's objects), handed over, released or left alone.
     */
    NodeResult destroy() {
        long start = System.nanoTime();
        try {
            if (!node.managed()) {
                return new NodeResult(node.ref(), NodeResult.Outcome.OK, "observe", Duration.ZERO, "not meshfed's", start, 0);
            }
            Deletion.Outcome outcome = Deletion.settle(client, ctx.records(), node.ref());
            Deletion.Decision decision = outcome.decision();
            Deletion.Done done = outcome.done();
            if (done.wrote()) {
                writtenAt = System.nanoTime();
            }
            if (decision.action() == Deletion.Action.DELETE) {
                awaitGone(start + ctx.options().nodeTimeout().toNanos());
            }
            return new NodeResult(node.ref(), wrote() ? NodeResult.Outcome.CHANGED : NodeResult.Outcome.OK, done.action(),
                    Duration.ofNanos(System.nanoTime() - start), done.message(), start, writtenAt);
        } catch (RuntimeException e) {
            return new NodeResult(node.ref(), NodeResult.Outcome.FAILED, e instanceof Cancellation.Interrupted ? "interrupted" : "error",
                    Duration.ofNanos(System.nanoTime() - start), message(e), start, writtenAt);
        }
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

    /**
     * The desired content with every LiveValue replaced by the value its source published, and every token
     * by the one {@code live} holds where it is still good, else one the account's API server issues.
     */
    @SuppressWarnings("unchecked")
    private Map<String, Object> resolve(Map<String, Object> current) {
        Function<Object, Object> leaf = v -> {
            if (v instanceof Live live) {
                for (LiveValue value : live.values()) {
                    Map<String, Object> source = ctx.published(value.source());
                    if (source == null || value.readFrom(source) == null) {
                        throw new IllegalStateException("no value at " + value.jsonPath() + " of " + value.source().id());
                    }
                }
                return live.resolve(value -> value.readFrom(ctx.published(value.source())), token -> token(token, current));
            }
            return v;
        };
        return (Map<String, Object>) Tree.mapLeaves(node.content(), leaf);
    }

    private String token(IssuedToken token, Map<String, Object> current) {
        String uid = (String) token.account().readFrom(ctx.published(token.account().source()));
        String kept = ctx.tokens().kept(token, uid, current);
        return kept != null ? kept : ctx.client(token.cluster()).requestToken(token.namespace(), token.name(), token.lifetime());
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
