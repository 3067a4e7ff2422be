package io.meshfed.it;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshfed.inventory.InventoryLoader;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.provisioner.apply.ApiException;
import io.meshfed.provisioner.apply.Cancellation;
import io.meshfed.provisioner.apply.ClusterClient;
import io.meshfed.provisioner.apply.Connections;
import io.meshfed.provisioner.apply.RetryPolicy;
import io.meshfed.provisioner.apply.RunLock;
import io.meshfed.provisioner.simulate.Faults;
import io.meshfed.provisioner.simulate.SimulatedInventory;
import io.meshfed.provisioner.simulate.Simulation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The run lock as client-go's leader election keeps a Lease, on real API servers (two clusters, shared
 * by the tests; each test locks an inventory of its own): a live holder with a skewed clock keeps its
 * lock; a dead holder whose renew time lies in the future loses it after its duration; a stop request
 * ends the wait at once and gives back what was taken; Lease requests are retried like every other; a
 * lock that cannot be renewed in time, or is taken over, stops every later write.
 */
class RunLockTest {

    private static Simulation simulation;
    private static Inventory inventory;

    @BeforeAll
    static void start() {
        inventory = InventoryLoader.load(Repo.example("blue-green"));
        simulation = SimulatedInventory.start(inventory, ConvergeTest.FAST);
    }

    @AfterAll
    static void stop() {
        simulation.close();
    }

    private static Map<String, ClusterClient> clients() {
        return Connections.open(inventory, 10, RetryPolicy.DEFAULT, name -> simulation.require(name).config("meshfed"));
    }

    private static RunLock lock(Map<String, ClusterClient> clients, String inventoryName, String holder, Duration duration) {
        Map<String, String> namespaces = new TreeMap<>();
        clients.keySet().forEach(c -> namespaces.put(c, "default"));
        return new RunLock(clients, namespaces, inventoryName, holder, duration);
    }

    private static ZonedDateTime now() {
        return ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    /** Another run's Lease on {@code cluster}: its holder, duration and renew time. */
    private static Lease hold(String cluster, String inventoryName, String holder, int seconds, ZonedDateTime renewTime) {
        return kube(cluster).leases().inNamespace("default").resource(new LeaseBuilder().withNewMetadata()
                .withName("meshfed-" + inventoryName).endMetadata().withNewSpec().withHolderIdentity(holder)
                .withLeaseDurationSeconds(seconds).withAcquireTime(renewTime).withRenewTime(renewTime).withLeaseTransitions(0)
                .endSpec().build()).create();
    }

    private static KubernetesClient kube(String cluster) {
        return simulation.require(cluster).controllerClient();
    }

    private static String holderOf(String cluster, String inventoryName) {
        Lease lease = kube(cluster).leases().inNamespace("default").withName("meshfed-" + inventoryName).get();
        return lease == null ? null : lease.getSpec().getHolderIdentity();
    }

    /** Why the lock was lost, once it is (within {@code seconds}), or null. */
    private static String awaitLost(RunLock lock, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (lock.lost() == null && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return lock.lost();
    }

    @Test
    @DisplayName("a live holder whose clock is an hour behind keeps its lock: expiry is measured here, from when its record "
            + "last changed")
    void skewedHolderKeepsItsLock() throws Exception {
        ZonedDateTime skewed = now().minusHours(1);
        hold("green", "skewed", "pipeline-7/42", 2, skewed);
        ScheduledExecutorService other = Executors.newSingleThreadScheduledExecutor();
        long began = System.nanoTime();
        // it renews every half second, by its own clock
        other.scheduleAtFixedRate(() -> kube("green").leases().inNamespace("default").withName("meshfed-skewed")
                .edit(l -> {
                    l.getSpec().setRenewTime(skewed.plusNanos(System.nanoTime() - began).truncatedTo(ChronoUnit.MICROS));
                    return l;
                }), 500, 500, TimeUnit.MILLISECONDS);
        Map<String, ClusterClient> clients = clients();
        List<String> said = new ArrayList<>();
        // blue's Lease, taken first, is renewed while the run waits for green's
        List<ZonedDateTime> blueRenewed = new java.util.concurrent.CopyOnWriteArrayList<>();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> {
            Lease blue = kube("blue").leases().inNamespace("default").withName("meshfed-skewed").get();
            if (blue != null && "meshfed-test/1".equals(blue.getSpec().getHolderIdentity())) {
                blueRenewed.add(blue.getSpec().getRenewTime());
            }
        }, 200, 200, TimeUnit.MILLISECONDS);
        try (RunLock lock = lock(clients, "skewed", "meshfed-test/1", Duration.ofSeconds(2))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> lock.acquire(Duration.ofSeconds(5), new Cancellation(), said::add))
                    .isInstanceOf(RunLock.Held.class).hasMessageContaining("is held by pipeline-7/42");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
            sampler.shutdownNow();
            assertThat(blueRenewed.stream().distinct().count()).as("blue's renew times seen during the wait").isGreaterThan(3);
            assertThat(said).singleElement().asString().contains("cluster green: waiting for the lock default/meshfed-skewed, "
                    + "held by pipeline-7/42");
            assertThat(holderOf("blue", "skewed")).as("blue's, taken first, given back").isNull();
        } finally {
            other.shutdownNow();
            sampler.shutdownNow();
            clients.values().forEach(ClusterClient::close);
        }
    }

    @Test
    @DisplayName("a dead holder whose renew time lies an hour ahead does not block every run: its Lease is free once seen "
            + "unchanged for its duration")
    void futureRenewTimeExpires() {
        hold("blue", "future", "crashed/7", 2, now().plusHours(1));
        Map<String, ClusterClient> clients = clients();
        try (RunLock lock = lock(clients, "future", "meshfed-test/2", Duration.ofSeconds(15))) {
            long start = System.nanoTime();
            lock.acquire(Duration.ofSeconds(20), new Cancellation(), m -> { });
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            assertThat(waited).isBetween(Duration.ofMillis(1900), Duration.ofSeconds(8));
            assertThat(holderOf("blue", "future")).isEqualTo("meshfed-test/2");
            assertThat(holderOf("green", "future")).isEqualTo("meshfed-test/2");
        } finally {
            clients.values().forEach(ClusterClient::close);
        }
        assertThat(holderOf("blue", "future")).as("given back when the run ends").isNull();
    }

    @Test
    @DisplayName("a stop request (SIGTERM) while waiting for a Lease ends the wait at once, and the Lease already taken goes back")
    void stopEndsTheWait() {
        hold("green", "stopped", "pipeline-8/9", 600, now());
        Map<String, ClusterClient> clients = clients();
        Cancellation cancel = new Cancellation();
        try (RunLock lock = lock(clients, "stopped", "meshfed-test/3", Duration.ofSeconds(15))) {
            Executors.newSingleThreadScheduledExecutor().schedule(() -> cancel.cancel("SIGTERM"), 700, TimeUnit.MILLISECONDS);
            long start = System.nanoTime();
            assertThatThrownBy(() -> lock.acquire(Duration.ofMinutes(5), cancel, m -> { }))
                    .isInstanceOf(RunLock.Interrupted.class).hasMessageContaining("SIGTERM").hasMessageContaining("pipeline-8/9");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            assertThat(holderOf("blue", "stopped")).as("blue's Lease, taken before the wait").isNull();
        } finally {
            clients.values().forEach(ClusterClient::close);
        }
    }

    @Test
    @DisplayName("every second Lease request answered 503: the lock is taken all the same, the requests retried and counted")
    void leaseRequestsAreRetried() {
        Map<String, ClusterClient> clients = clients();
        simulation.require("blue").faults(Faults.NONE.withEveryNth(2, 503).onlyPaths("/leases"));
        try (RunLock lock = lock(clients, "flaky", "meshfed-test/4", Duration.ofSeconds(15))) {
            lock.acquire(Duration.ofSeconds(30), new Cancellation(), m -> { });
            assertThat(holderOf("blue", "flaky")).isEqualTo("meshfed-test/4");
            assertThat(clients.get("blue").retries()).isPositive();
        } finally {
            simulation.require("blue").faults(Faults.NONE);
            clients.values().forEach(ClusterClient::close);
        }
    }

    @Test
    @DisplayName("a lock that cannot be renewed in time is lost: writes fail without being sent, the run is asked to stop")
    void unrenewedLockStopsWrites() throws Exception {
        Map<String, ClusterClient> clients = clients();
        Cancellation cancel = new Cancellation();
        try (RunLock lock = lock(clients, "partitioned", "meshfed-test/5", Duration.ofMillis(1500))) {
            lock.acquire(Duration.ofSeconds(10), cancel, m -> { });
            Thread.sleep(1600);   // renewals go on: still held
            lock.check();
            simulation.require("green").faults(Faults.NONE.withErrors(1.0, 1, 503).onlyPaths("/leases"));
            assertThat(awaitLost(lock, 10)).contains("on cluster green was not renewed for 1s");
            assertThat(cancel.reason()).isEqualTo("the run lock was lost");
            simulation.require("blue").requests().clear();
            var cm = new io.meshfed.model.resource.ObjectRef("blue", "v1", "ConfigMap", "default", "after-loss");
            assertThatThrownBy(() -> clients.get("blue").apply(cm, Map.of("apiVersion", "v1", "kind", "ConfigMap",
                    "metadata", Map.of("name", "after-loss", "namespace", "default")), "meshfed/partitioned", false, true))
                    .isInstanceOf(RunLock.Lost.class).isInstanceOf(ApiException.class);
            assertThat(simulation.require("blue").requests().clientWrites()).as("writes sent after the loss").isZero();
        } finally {
            simulation.require("green").faults(Faults.NONE);
            clients.values().forEach(ClusterClient::close);
        }
    }

    @Test
    @DisplayName("a run whose every request slot is busy (slow lists) still renews its Leases: they are not queued behind "
            + "its requests")
    void busyRunKeepsItsLock() throws Exception {
        Map<String, ClusterClient> clients = Connections.open(inventory, 1, RetryPolicy.DEFAULT,
                name -> simulation.require(name).config("meshfed"));
        simulation.require("blue").faults(Faults.latency(Duration.ofSeconds(2)).onlyPaths("/configmaps"));
        var busy = Executors.newVirtualThreadPerTaskExecutor();
        try (RunLock lock = lock(clients, "busy", "meshfed-test/7", Duration.ofMillis(1500))) {
            lock.acquire(Duration.ofSeconds(10), new Cancellation(), m -> { });
            for (int i = 0; i < 3; i++) {   // blue's one slot taken, two more waiting, for 2 s each
                busy.submit(() -> clients.get("blue").list("v1", "ConfigMap", null));
            }
            Thread.sleep(4000);
            assertThat(lock.lost()).as("renewed while blue's requests queued").isNull();
            lock.check();
        } finally {
            busy.shutdownNow();
            simulation.require("blue").faults(Faults.NONE);
            clients.values().forEach(ClusterClient::close);
        }
    }

    @Test
    @DisplayName("a Lease taken over by someone else is lost at the next renewal")
    void takenOverIsLost() throws Exception {
        Map<String, ClusterClient> clients = clients();
        try (RunLock lock = lock(clients, "stolen", "meshfed-test/6", Duration.ofMillis(1500))) {
            lock.acquire(Duration.ofSeconds(10), new Cancellation(), m -> { });
            kube("blue").leases().inNamespace("default").withName("meshfed-stolen").edit(l -> {
                l.getSpec().setHolderIdentity("thief/1");
                return l;
            });
            assertThat(awaitLost(lock, 5)).contains("was taken by thief/1");
            assertThatThrownBy(lock::check).isInstanceOf(RunLock.Lost.class);
        } finally {
            clients.values().forEach(ClusterClient::close);
        }
        assertThat(holderOf("blue", "stolen")).as("the thief's, left alone").isEqualTo("thief/1");
    }
}
