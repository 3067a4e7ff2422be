package io.meshfed.provisioner.apply;

import io.meshfed.model.inventory.OperatorSpec;
import io.meshfed.model.readiness.ConditionResult;
import io.meshfed.model.readiness.InstallPlanApproval;
import io.meshfed.model.readiness.ReadinessCheck;
import io.meshfed.model.resource.DesiredObject;
import io.meshfed.model.resource.ObjectRef;
import io.meshfed.model.resource.Readiness;
import io.meshfed.model.resource.Tree;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Waits until a node's readiness condition holds, as {@code kubectl wait} does: it follows the object
 * the condition depends on (for a Subscription, first the Subscription, then the
 * ClusterServiceVersion it installed) through its kind's watch in its namespace, one informer shared
 * by every wait of the run ({@link KindWatches}), and re-evaluates on every change. Right after it
 * starts following, and again after {@code pollMax} without news, it reads the object from that
 * watch's cache (no request), so a change made before it followed is not missed. Where watches cannot
 * be opened, it polls (20 ms, growing by half up to {@code pollMax}).
 */
final class ReadinessWait {

    private final DesiredObject node;
    private final NodeTask.Context ctx;
    private final ClusterClient client;

    /** The object and, for a Subscription, its CSV, as last seen; whether the CSV was read for the current object. */
    private Map<String, Object> live;
    private Map<String, Object> related;
    private boolean relatedRead;
    /** The InstallPlan this wait approved, if any. */
    private String approved;
    /** For an ExportedServiceSet: what was last found missing, and when (System.nanoTime(), 0 before). */
    private String servicesMissing;
    private long servicesCheckedAt;

    ReadinessWait(DesiredObject node, NodeTask.Context ctx, ClusterClient client) {
        this.node = node;
        this.ctx = ctx;
        this.client = client;
    }

    /**
     * @param known the object as last read or written, or null to read it first
     * @return what readiness saw when it held
     */
    String await(Map<String, Object> known, long start) {
        long deadline = start + ctx.options().nodeTimeout().toNanos();
        long nextReport = System.nanoTime() + ctx.options().reportEvery().toNanos();
        long pause = 20;
        live = known != null ? known : client.current(node.ref());
        ObjectWatch watch = null;
        ObjectRef watched = null;
        boolean polling = false;
        try {
            while (true) {
                ObjectRef relatedRef = relatedRef(live);
                if (relatedRef != null && !relatedRead) {
                    if (!polling && watch != null && !relatedRef.equals(watched)) {
                        // already waiting by watch: move it to the CSV before reading it, so no change is missed
                        close(watch);
                        watch = client.watch(relatedRef);
                        watched = watch == null ? null : relatedRef;
                        polling = watch == null && !client.watchable();   // else: read now, try the watch again next round
                    }
                    related = client.current(relatedRef);
                    relatedRead = true;
                }
                ConditionResult ready = ReadinessCheck.evaluate(node, live, relatedRef == null ? null : related);
                String approval = ready.met() ? null : approveWhereAsked();
                if (approval != null) {
                    ready = ConditionResult.notMet(approval);
                }
                String missing = ready.met() ? null : missingServices();
                if (missing != null) {
                    ready = ConditionResult.notMet(ready.reason() + "; " + missing);
                }
                if (ready.met()) {
                    ctx.publish(node.ref(), live);
                    return ready.reason();
                }
                ctx.waitingFor(node.ref(), ready.reason());
                if (ctx.cancelled() != null) {
                    throw new Cancellation.Interrupted("interrupted (" + ctx.cancelled() + ") while waiting: " + ready.reason());
                }
                long now = System.nanoTime();
                if (now >= deadline) {
                    throw new IllegalStateException("not ready after " + RunOptions.describe(ctx.options().nodeTimeout()) + ": "
                            + ready.reason());
                }
                if (now >= nextReport) {
                    ctx.progress().waiting(node.ref(), ready.reason());
                    nextReport = now + ctx.options().reportEvery().toNanos();
                }
                long left = Math.max(1, (deadline - now) / 1_000_000);
                ObjectRef target = relatedRef != null ? relatedRef : node.ref();
                if (!polling && !Objects.equals(target, watched)) {
                    close(watch);
                    watch = client.watch(target);
                    watched = watch == null ? null : target;
                    polling = watch == null && !client.watchable();   // else: read now, try the watch again next round
                    if (watch != null) {
                        catchUp(target);   // what changed before it was followed
                        continue;
                    }
                }
                if (watch == null) {
                    NodeTask.sleep(Math.min(pause, left));
                    pause = Math.min(ctx.options().pollMax().toMillis(), pause * 3 / 2 + 1);
                    reread();
                    continue;
                }
                ObjectWatch.Event event = watch.next(Math.min(ctx.options().pollMax().toMillis(), left));
                if (event == null) {
                    // quiet for a while: read anyway (from the watch's cache, where one runs), in case a change was
                    // not delivered (the Subscription too: an upgrade names another CSV)
                    reread();
                } else if (event.ended()) {
                    close(watch);
                    watch = null;
                    watched = null;   // re-opened on the next round (or polled from then on, if it cannot be)
                } else if (target.equals(node.ref())) {
                    live = ObjectWatch.later(live, event.object());
                    relatedRead = false;
                } else if (event.object() == null) {
                    reread();   // the CSV went away (replaced by an upgrade?): which one does the Subscription name now
                } else {
                    related = ObjectWatch.later(related, event.object());
                }
            }
        } finally {
            close(watch);
        }
    }

    /**
     * A Subscription whose operator the inventory lets meshfed approve ({@code approve}), waiting on an
     * InstallPlan: the plan is read and, when it is one to approve, approved (once); its state in
     * words, or null where nothing of this applies.
     */
    private String approveWhereAsked() {
        if (node.readiness() != Readiness.CSV_SUCCEEDED || InstallPlanApproval.mode(node) == OperatorSpec.Approve.NONE) {
            return null;
        }
        ObjectRef planRef = InstallPlanApproval.pendingPlan(node, live);
        if (planRef == null) {
            return null;
        }
        if (planRef.name().equals(approved)) {
            return "approved InstallPlan " + approved + "; OLM has not installed it yet";
        }
        Map<String, Object> plan = client.get(planRef);
        if (plan == null) {
            return null;
        }
        InstallPlanApproval.Decision decision = InstallPlanApproval.decide(node, plan);
        if (decision.approve() && ctx.cancelled() == null) {
            client.patchField(planRef, (String) Tree.get(plan, "metadata", "resourceVersion"), "/spec/approved", true);
            approved = planRef.name();
            ctx.progress().waiting(node.ref(), decision.reason());
        }
        return decision.reason();
    }

    /**
     * For an ExportedServiceSet still waiting: the Services it names that do not exist on its cluster
     * (read again at most every {@code reportEvery}), in words, or null.
     */
    private String missingServices() {
        if (node.readiness() != Readiness.SERVICES_EXPORTED) {
            return null;
        }
        long now = System.nanoTime();
        if (servicesCheckedAt != 0 && now - servicesCheckedAt < ctx.options().reportEvery().toNanos()) {
            return servicesMissing;
        }
        servicesCheckedAt = now;
        List<String> absent = ReadinessCheck.servicesToExport(node).stream().filter(s -> client.current(s) == null)
                .map(ObjectRef::qualifiedName).toList();
        servicesMissing = absent.isEmpty() ? null : "Service " + String.join(", ", absent) + (absent.size() == 1 ? " does" : " do")
                + " not exist on " + node.ref().cluster() + " (no manifest of the inventory defines "
                + (absent.size() == 1 ? "it" : "them") + "; it must come from elsewhere)";
        return servicesMissing;
    }

    /** Reads the object (then its CSV again, when it has one) as it is now: from its watch's cache, where one runs. */
    private void reread() {
        live = ObjectWatch.later(live, client.current(node.ref()));
        relatedRead = false;
    }

    /**
     * Right after following {@code target}: its state in the watch's cache. A cache that does not have
     * the object yet has not seen meshfed's create (its event follows), or saw it deleted (the quiet
     * re-read says so); one older than what meshfed wrote is not taken ({@link ObjectWatch#later}).
     */
    private void catchUp(ObjectRef target) {
        Map<String, Object> now = client.current(target);
        if (!target.equals(node.ref())) {
            related = now;
            relatedRead = true;
        } else if (now != null) {
            live = ObjectWatch.later(live, now);
            relatedRead = false;
        }
    }

    /** For a Subscription: the ClusterServiceVersion it installed, once it names one. */
    private ObjectRef relatedRef(Map<String, Object> object) {
        if (node.readiness() != Readiness.CSV_SUCCEEDED || object == null) {
            return null;
        }
        Object csv = Tree.get(object, "status", "installedCSV");
        return csv == null ? null : new ObjectRef(node.ref().cluster(), "operators.coreos.com/v1alpha1",
                "ClusterServiceVersion", node.ref().namespace(), (String) csv);
    }

    private static void close(ObjectWatch watch) {
        if (watch != null) {
            watch.close();
        }
    }
}
