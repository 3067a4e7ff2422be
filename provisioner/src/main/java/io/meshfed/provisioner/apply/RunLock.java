package io.meshfed.provisioner.apply;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One run at a time per inventory and cluster, kept as client-go's leader election keeps a Lease
 * {@code meshfed-<inventory>} in a namespace of each cluster:
 * <ul>
 *   <li>Another holder's Lease is free once this run has seen it unchanged (holder, renew time,
 *       transitions) for its duration, measured on this process's monotonic clock from the moment it
 *       first saw it so — never by comparing the holder's {@code renewTime} with the local clock, which
 *       a skewed clock would make lose a live lock, or keep a dead one for ever.</li>
 *   <li>Every cluster's Lease is taken in the same order everywhere (two runs cannot each hold half),
 *       and renewed every third of its duration from the moment it is taken.</li>
 *   <li>A Lease not renewed within two thirds of its duration (a paused process, a long partition) is
 *       lost for the rest of the run: every write then fails ({@link #check}, called by the clients
 *       before each write) and the run is stopped, before another run may take the Lease.</li>
 *   <li>Waiting for a Lease ends at once when the run is asked to stop; what was taken is given back
 *       when acquiring fails.</li>
 *   <li>Its requests go through each cluster's client: the same retries, timeouts and metrics as every
 *       other request, but never queued behind the run's own (a busy run must not lose its lock). A Lease is written with resourceVersion preconditions (create, or update of what
 *       was read): server-side apply cannot say "only if nobody holds it".</li>
 * </ul>
 */
public final class RunLock implements AutoCloseable {

    /** How long a Lease holds without renewal (kube-controller-manager's leader election uses 15 s too). */
    public static final Duration DURATION = Duration.ofSeconds(15);

    /** Thrown when a Lease stayed held by another run for the whole timeout. */
    public static final class Held extends RuntimeException {
        public Held(String message) {
            super(message);
        }
    }

    /** Thrown by a write after this run lost its lock: the write is not sent. */
    public static final class Lost extends ApiException {
        Lost(String message) {
            super(0, message, null);
        }
    }

    /** Thrown when the run was asked to stop while it waited for a Lease. */
    public static final class Interrupted extends RuntimeException {
        Interrupted(String message) {
            super(message);
        }
    }

    /** One cluster's Lease as this run sees it. */
    private static final class Slot {
        final String cluster;
        final ClusterClient client;
        final String namespace;
        /** The other holder's record as last seen, and when (System.nanoTime()) it was first seen so. */
        String observed;
        long observedAt;
        /** Until when (System.nanoTime()) the last renewal holds; 0 while not held. */
        volatile long validUntil;

        Slot(String cluster, ClusterClient client, String namespace) {
            this.cluster = cluster;
            this.client = client;
            this.namespace = namespace;
        }
    }

    private final Map<String, Slot> slots = new TreeMap<>();
    private final String name;
    private final String holder;
    private final Duration duration;
    private final List<Slot> held = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile String lost;
    private volatile Cancellation cancellation;
    /** Two threads: the renewals (whose requests may be retried for a while), and the watch on their deadline. */
    private final ScheduledExecutorService renewer = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "meshfed-lease-renewal");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param clusters   each cluster's client
     * @param namespaces each cluster's namespace for its Lease (one that exists before meshfed's first run:
     *                   {@code default}, as Terraform's Kubernetes backend keeps its lock)
     * @param inventory  the inventory's name
     * @param holder     who holds it (host and process), as leader election's identity
     * @param duration   how long a Lease holds without renewal
     */
    public RunLock(Map<String, ClusterClient> clusters, Map<String, String> namespaces, String inventory, String holder,
                   Duration duration) {
        clusters.forEach((cluster, client) -> slots.put(cluster, new Slot(cluster, client, namespaces.get(cluster))));
        this.name = "meshfed-" + inventory;
        this.holder = holder;
        this.duration = duration;
    }

    /** This process, as a Lease's holder identity: host (a pod's name) and process id. */
    public static String thisProcess() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "localhost";
        }
        return host + "/" + ProcessHandle.current().pid();
    }

    /**
     * Takes every cluster's Lease, waiting up to {@code timeout} for another holder (zero: not at all) and
     * telling {@code waiting} why it waits; a stop request of {@code cancel} ends the wait at once. From
     * then on the clients check the lock before every write, and a lost lock stops {@code cancel}'s run.
     */
    public void acquire(Duration timeout, Cancellation cancel, Consumer<String> waiting) {
        this.cancellation = cancel;
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (Slot slot : slots.values()) {
                String lastHolder = null;
                while (!tryAcquireOrRenew(slot)) {
                    String other = slot.observed == null ? "?" : slot.observed.substring(0, slot.observed.indexOf('|'));
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new Held("cluster " + slot.cluster + ": the run lock " + slot.namespace + "/" + name + " is held by "
                                + other + " (another run of this inventory); waited " + RunOptions.describe(timeout));
                    }
                    if (!other.equals(lastHolder)) {
                        waiting.accept("cluster " + slot.cluster + ": waiting for the lock " + slot.namespace + "/" + name
                                + ", held by " + other + " (another run of this inventory)");
                        lastHolder = other;
                    }
                    if (cancel.await(Math.min(1000, Math.max(1, left / 1_000_000)))) {
                        throw new Interrupted("interrupted (" + cancel.reason() + ") while waiting for the run lock "
                                + slot.namespace + "/" + name + " on cluster " + slot.cluster + ", held by " + other);
                    }
                }
                held.add(slot);
                slot.client.guardWrites(this::check);
                if (held.size() == 1) {   // renewed from the moment the first is taken, every third of the duration
                    long every = Math.max(1, duration.toMillis() / 3);
                    renewer.scheduleWithFixedDelay(this::renewAll, every, every, TimeUnit.MILLISECONDS);
                    // a lost lock stops the run even while nothing writes (and while a renewal is still being retried)
                    renewer.scheduleWithFixedDelay(this::expire, 100, 100, TimeUnit.MILLISECONDS);
                }
            }
        } catch (RuntimeException e) {
            close();   // what was taken goes back
            throw e;
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new Interrupted("interrupted while waiting for the run lock");
        }
    }

    /**
     * Before a write: throws {@link Lost} when a Lease of this run was not renewed in time (then the run
     * is also asked to stop).
     */
    public void check() {
        expire();
        if (lost != null) {
            throw new Lost(lost);
        }
    }

    /** Why this run lost its lock, or null. */
    public String lost() {
        expire();
        return lost;
    }

    /** A Lease past its renewal deadline loses the lock. */
    private void expire() {
        if (lost != null) {
            return;
        }
        long now = System.nanoTime();
        for (Slot slot : held) {
            if (now >= slot.validUntil) {
                lose("the run lock " + slot.namespace + "/" + name + " on cluster " + slot.cluster + " was not renewed for "
                        + RunOptions.describe(renewDeadline()) + " (a paused process? an API server out of reach?): another "
                        + "run may hold it now, so this run writes nothing more");
                return;
            }
        }
    }

    private synchronized void lose(String why) {
        if (lost == null) {
            lost = why;
            Cancellation cancel = cancellation;
            if (cancel != null) {
                cancel.cancel("the run lock was lost");
            }
        }
    }

    /** How long a renewal holds: two thirds of the duration, so that this run stops before another may take over. */
    private Duration renewDeadline() {
        return duration.multipliedBy(2).dividedBy(3);
    }

    /** The Lease's record as leader election compares it: holder, renew time, transitions, duration. */
    private static String record(Lease lease) {
        LeaseSpec spec = lease.getSpec();
        return Objects.toString(spec.getHolderIdentity(), "") + "|" + spec.getRenewTime() + "|" + spec.getLeaseTransitions()
                + "|" + spec.getLeaseDurationSeconds() + "|" + spec.getAcquireTime();
    }

    /** Takes (or renews) one Lease; false when another holder's is still valid, or someone was quicker. */
    private boolean tryAcquireOrRenew(Slot slot) {
        long attempt = System.nanoTime();
        ZonedDateTime now = ZonedDateTime.now(java.time.ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        try {
            Lease lease = lease(slot.client, slot.namespace, name);
            if (lease == null) {
                createLease(slot.client, new LeaseBuilder().withNewMetadata().withName(name).withNamespace(slot.namespace)
                        .addToLabels("app.kubernetes.io/managed-by", "meshfed").endMetadata()
                        .withNewSpec().withHolderIdentity(holder).withLeaseDurationSeconds((int) duration.toSeconds())
                        .withAcquireTime(now).withRenewTime(now).withLeaseTransitions(0).endSpec().build());
                slot.validUntil = attempt + renewDeadline().toNanos();
                return true;
            }
            LeaseSpec spec = lease.getSpec();
            String current = spec.getHolderIdentity();
            boolean ours = holder.equals(current);
            if (!ours && current != null && !current.isEmpty()) {
                String record = record(lease);
                if (!record.equals(slot.observed)) {
                    slot.observed = record;   // changed since last seen: its holder is alive; measure from now
                    slot.observedAt = attempt;
                }
                long seconds = spec.getLeaseDurationSeconds() == null ? duration.toSeconds() : spec.getLeaseDurationSeconds();
                if (attempt - slot.observedAt < TimeUnit.SECONDS.toNanos(seconds)) {
                    return false;
                }
            }
            if (!ours) {
                spec.setAcquireTime(now);
                spec.setLeaseTransitions(spec.getLeaseTransitions() == null ? 1 : spec.getLeaseTransitions() + 1);
            }
            spec.setHolderIdentity(holder);
            spec.setLeaseDurationSeconds((int) duration.toSeconds());
            spec.setRenewTime(now);
            updateLease(slot.client, lease);   // carries the resourceVersion read
            slot.validUntil = attempt + renewDeadline().toNanos();
            return true;
        } catch (ApiException e) {
            if (e.code() == 409) {
                return false;   // someone else was quicker: look again
            }
            throw new ApiException(e.code(), "the run lock " + slot.namespace + "/" + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Renews every Lease this run holds, all clusters at once (one slow API server does not hold up the
     * others' renewals); one found taken, or not renewed in time, loses the lock.
     */
    private void renewAll() {
        List<java.util.concurrent.Future<?>> renewals = new ArrayList<>();
        for (Slot slot : held) {
            renewals.add(RENEWALS.submit(() -> renew(slot)));
        }
        for (java.util.concurrent.Future<?> renewal : renewals) {
            try {
                renewal.get();
            } catch (java.util.concurrent.ExecutionException e) {
                // left to the next renewal; the lock is lost only when none succeeds in time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Each renewal on a virtual thread of its own. */
    private static final java.util.concurrent.ExecutorService RENEWALS = Executors.newVirtualThreadPerTaskExecutor();

    private void renew(Slot slot) {
        expire();   // too late: lost, even if nobody took it meanwhile
        if (lost != null) {
            return;
        }
        try {
            Lease lease = lease(slot.client, slot.namespace, name);
            if (lease == null || !holder.equals(lease.getSpec().getHolderIdentity())) {
                lose("the run lock " + slot.namespace + "/" + name + " on cluster " + slot.cluster + " was taken by "
                        + (lease == null ? "nobody (deleted)" : lease.getSpec().getHolderIdentity())
                        + ": this run writes nothing more");
                return;
            }
            tryAcquireOrRenew(slot);
        } catch (RuntimeException e) {
            // left to the next renewal; the lock is lost only when none succeeds in time
        }
    }

    private static Lease lease(ClusterClient client, String namespace, String name) {
        return client.callAhead("get lease " + namespace + "/" + name,
                () -> client.kubernetes().leases().inNamespace(namespace).withName(name).get());
    }

    private static void createLease(ClusterClient client, Lease lease) {
        client.callAhead("create lease " + lease.getMetadata().getName(), () -> client.kubernetes().leases()
                .inNamespace(lease.getMetadata().getNamespace()).resource(lease).create());
    }

    /** An update that carries the resourceVersion it was read at: a 409 when someone wrote it since. */
    private static void updateLease(ClusterClient client, Lease lease) {
        client.callAhead("update lease " + lease.getMetadata().getName(), () -> client.kubernetes().leases()
                .inNamespace(lease.getMetadata().getNamespace()).resource(lease).update());
    }

    /** Gives every Lease up (holder cleared), so that the next run need not wait for it to expire. */
    @Override
    public void close() {
        renewer.shutdownNow();
        List<Slot> giving = new ArrayList<>(held);
        held.clear();
        for (Slot slot : giving) {
            slot.client.guardWrites(null);
            if (lost != null) {
                continue;   // not ours any more, perhaps: leave it to its holder, or to its expiry
            }
            try {
                Lease lease = lease(slot.client, slot.namespace, name);
                if (lease != null && holder.equals(lease.getSpec().getHolderIdentity())) {
                    lease.getSpec().setHolderIdentity(null);
                    updateLease(slot.client, lease);
                }
            } catch (RuntimeException e) {
                // its expiry frees it
            }
        }
    }
}
