package io.meshfed.provisioner.apply;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One run at a time per inventory and cluster, as Kubernetes components elect a leader: a
 * {@code coordination.k8s.io} Lease {@code meshfed-<inventory>} in a namespace of each cluster, with
 * the holder's identity, a duration and renewals. A run takes every cluster's Lease (in the same order
 * everywhere, so two runs cannot each hold half) and renews them every third of the duration; a Lease
 * whose holder stopped renewing it (a killed process) is free once its duration has passed. The Lease
 * is written with resourceVersion preconditions (create, or update of what was read): server-side
 * apply cannot say "only if nobody holds it".
 */
public final class RunLock implements AutoCloseable {

    /** How long a Lease holds without renewal (kube-controller-manager's leader election uses 15 s too). */
    public static final Duration DURATION = Duration.ofSeconds(15);

    private final Map<String, KubernetesClient> clusters;
    private final Map<String, String> namespaces;
    private final String name;
    private final String holder;
    private final List<String> held = new ArrayList<>();
    private final ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "meshfed-lease-renewal");
        t.setDaemon(true);
        return t;
    });

    /** Thrown when a Lease stayed held by another run for the whole timeout. */
    public static final class Held extends RuntimeException {
        public Held(String message) {
            super(message);
        }
    }

    /**
     * @param clusters   each cluster's client
     * @param namespaces each cluster's namespace for its Lease (one that exists before meshfed's first run:
     *                   {@code default}, as Terraform's Kubernetes backend keeps its lock)
     * @param inventory  the inventory's name
     * @param holder     who holds it (host and process), as leader election's identity
     */
    public RunLock(Map<String, ClusterClient> clusters, Map<String, String> namespaces, String inventory, String holder) {
        this.clusters = new TreeMap<>();
        clusters.forEach((name, client) -> this.clusters.put(name, client.kubernetes()));
        this.namespaces = Map.copyOf(namespaces);
        this.name = "meshfed-" + inventory;
        this.holder = holder;
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

    /** Takes every cluster's Lease, waiting up to {@code timeout} for another holder; tells {@code waiting} why it waits. */
    public void acquire(Duration timeout, Consumer<String> waiting) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Map.Entry<String, KubernetesClient> cluster : clusters.entrySet()) {
            String namespace = namespaces.get(cluster.getKey());
            String lastHolder = null;
            while (!tryAcquire(cluster.getValue(), namespace)) {
                Lease lease = lease(cluster.getValue(), namespace);
                String other = lease == null ? "?" : lease.getSpec().getHolderIdentity();
                if (System.nanoTime() >= deadline) {
                    close();
                    throw new Held("cluster " + cluster.getKey() + ": the run lock " + namespace + "/" + name + " is held by "
                            + other + " (another run of this inventory); waited " + timeout.toSeconds() + "s");
                }
                if (!other.equals(lastHolder)) {
                    waiting.accept("cluster " + cluster.getKey() + ": waiting for the lock " + namespace + "/" + name
                            + ", held by " + other + " (another run of this inventory)");
                    lastHolder = other;
                }
                sleep(Math.min(1000, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            }
            held.add(cluster.getKey());
        }
        long every = DURATION.toMillis() / 3;
        renewer.scheduleAtFixedRate(this::renewAll, every, every, TimeUnit.MILLISECONDS);
    }

    private boolean tryAcquire(KubernetesClient client, String namespace) {
        ZonedDateTime now = ZonedDateTime.now(java.time.ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        Lease lease = lease(client, namespace);
        try {
            if (lease == null) {
                client.leases().inNamespace(namespace).resource(new LeaseBuilder().withNewMetadata().withName(name)
                        .withNamespace(namespace).addToLabels("app.kubernetes.io/managed-by", "meshfed").endMetadata()
                        .withNewSpec().withHolderIdentity(holder).withLeaseDurationSeconds((int) DURATION.toSeconds())
                        .withAcquireTime(now).withRenewTime(now).withLeaseTransitions(0).endSpec().build()).create();
                return true;
            }
            var spec = lease.getSpec();
            boolean free = spec.getHolderIdentity() == null || spec.getHolderIdentity().isEmpty()
                    || holder.equals(spec.getHolderIdentity()) || spec.getRenewTime() == null
                    || spec.getRenewTime().plusSeconds(spec.getLeaseDurationSeconds() == null ? DURATION.toSeconds()
                    : spec.getLeaseDurationSeconds()).isBefore(now);
            if (!free) {
                return false;
            }
            spec.setHolderIdentity(holder);
            spec.setLeaseDurationSeconds((int) DURATION.toSeconds());
            spec.setAcquireTime(now);
            spec.setRenewTime(now);
            spec.setLeaseTransitions(spec.getLeaseTransitions() == null ? 1 : spec.getLeaseTransitions() + 1);
            client.leases().inNamespace(namespace).resource(lease).update();   // carries the resourceVersion read
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return false;   // someone else was quicker: look again
            }
            throw new ApiException(e.getCode(), "the run lock " + namespace + "/" + name + ": " + e.getMessage(), e);
        }
    }

    private void renewAll() {
        updateHeld(spec -> spec.setRenewTime(ZonedDateTime.now(java.time.ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS)));
    }

    /**
     * Changes every Lease this run still holds; a failure is left to the next renewal (a Lease lasts
     * three) or, on close, to the Lease's expiry.
     */
    private void updateHeld(Consumer<io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec> change) {
        for (String cluster : held) {
            KubernetesClient client = clusters.get(cluster);
            String namespace = namespaces.get(cluster);
            try {
                Lease lease = lease(client, namespace);
                if (lease != null && holder.equals(lease.getSpec().getHolderIdentity())) {
                    change.accept(lease.getSpec());
                    client.leases().inNamespace(namespace).resource(lease).update();
                }
            } catch (RuntimeException e) {
                // see above
            }
        }
    }

    private Lease lease(KubernetesClient client, String namespace) {
        return client.leases().inNamespace(namespace).withName(name).get();
    }

    /** Gives every Lease up (holder cleared), so that the next run need not wait for it to expire. */
    @Override
    public void close() {
        renewer.shutdownNow();
        updateHeld(spec -> spec.setHolderIdentity(null));
        held.clear();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the run lock", e);
        }
    }
}
