package io.meshfed.provisioner.apply;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.meshfed.model.resource.ObjectRef;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What one cluster's waits watch: one informer (a list, then one watch from its resourceVersion) per
 * kind and namespace, started when a wait first needs that kind there and shared by every wait on it
 * until the run ends ({@link #close}; the next run has its own). A wait follows one object by name
 * ({@link ObjectWatch}): it gets that object's changes, and reads its current state from the informer's cache, not from the API
 * server. fabric8's informer re-opens a watch that ends and lists again when the server has compacted
 * past it (410 Gone); one that stops for good ends its followers' watches, and the next wait starts it
 * anew.
 */
final class KindWatches implements AutoCloseable {

    /** How long an informer may take to list and open its watch before the cluster is polled instead. */
    static final Duration OPEN_TIMEOUT = Duration.ofSeconds(10);

    private final String cluster;
    private final KubernetesClient client;
    private final RequestObserver observer;
    private final Map<String, CompletableFuture<KindWatch>> byKindAndNamespace = new ConcurrentHashMap<>();
    /** Kinds and namespaces the account may not list or watch (403): followed by reading. */
    private final Set<String> forbidden = ConcurrentHashMap.newKeySet();
    private volatile boolean usable = true;
    private volatile boolean closed;

    KindWatches(String cluster, KubernetesClient client, RequestObserver observer) {
        this.cluster = cluster;
        this.client = client;
        this.observer = observer;
    }

    /** Whether waits on this cluster watch (until an informer could not be started at all: then they poll). */
    boolean usable() {
        return usable;
    }

    /**
     * Follows one object, or returns null when its kind cannot be watched now (the caller reads
     * instead): the kind's informer in the object's namespace is started first when none runs.
     *
     * @param kind the kind's plural and scope
     */
    ObjectWatch follow(ObjectRef ref, ResourceDefinitionContext kind) {
        String namespace = namespace(ref, kind);
        String key = key(ref, namespace);
        if (!usable || closed || forbidden.contains(key)) {
            return null;
        }
        CompletableFuture<KindWatch> mine = new CompletableFuture<>();
        CompletableFuture<KindWatch> running = byKindAndNamespace.putIfAbsent(key, mine);
        if (running == null) {
            start(key, kind, namespace, mine);
            running = mine;
        }
        KindWatch watch;
        try {
            watch = running.get(OPEN_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException e) {
            return null;   // its starter said why, and removed it
        }
        return watch == null ? null : watch.follow(ref.name());
    }

    /**
     * The object as its kind's running informer has it (null where it is not there), or
     * {@link #NOT_WATCHED} when no informer of its kind and namespace is watching now.
     */
    Map<String, Object> cached(ObjectRef ref, ResourceDefinitionContext kind) {
        KindWatch watch = started(byKindAndNamespace.get(key(ref, namespace(ref, kind))));
        return watch == null || !watch.watching() ? NOT_WATCHED : watch.cached(ref.name());
    }

    /**
     * The informer a start produced, or null: none, still starting, or failed (a failed start's future
     * completes exceptionally: asking it for its value would throw, at any time a run is being stopped).
     */
    static KindWatch started(CompletableFuture<KindWatch> start) {
        return start != null && start.isDone() && !start.isCompletedExceptionally() ? start.join() : null;
    }

    /** {@link #cached}'s answer where no informer watches the kind. */
    static final Map<String, Object> NOT_WATCHED = Map.of();

    /** The namespace an informer of the object's kind watches: its own, or none for a cluster-scoped kind. */
    private static String namespace(ObjectRef ref, ResourceDefinitionContext kind) {
        return ref.namespaced() && kind.isNamespaceScoped() ? ref.namespace() : null;
    }

    private static String key(ObjectRef ref, String namespace) {
        return ref.apiVersion() + "/" + ref.kind() + "/" + (namespace == null ? "" : namespace);
    }

    private void start(String key, ResourceDefinitionContext kind, String namespace, CompletableFuture<KindWatch> result) {
        var all = client.genericKubernetesResources(kind);
        SharedIndexInformer<GenericKubernetesResource> informer = namespace == null
                ? all.runnableInformer(0) : all.inNamespace(namespace).runnableInformer(0);
        KindWatch watch = new KindWatch(informer, namespace);
        informer.addEventHandler(watch);
        long started = System.nanoTime();
        try {
            startAndOpen(informer, started);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(key, informer, result, e);
            return;
        } catch (ExecutionException e) {
            // an answer of the API server (a kind not served yet: 404; a kind whose storage is starting: 429;
            // 5xx) is no reason to stop watching on this cluster; 403 for this kind and namespace is; a list
            // that cannot be made at all is, for the whole cluster
            int code = e.getCause() instanceof KubernetesClientException k ? k.getCode() : 0;
            observer.observed(cluster, "list", Math.max(code, 0), System.nanoTime() - started);
            if (code == 403) {
                forbidden.add(key);
            } else if (code != 404 && code != 429 && code < 500) {
                usable = false;
            }
            fail(key, informer, result, e);
            return;
        } catch (TimeoutException e) {
            usable = false;   // a proxy that swallows the watch (or the list): poll for the rest of the run
            observer.observed(cluster, "watch", 0, System.nanoTime() - started);
            fail(key, informer, result, e);
            return;
        } catch (RuntimeException e) {   // interrupted while it waited for the watch to open: the run is ending
            fail(key, informer, result, e);
            return;
        }
        informer.stopped().whenComplete((v, t) -> {
            byKindAndNamespace.remove(key, result);   // stopped for good: the next wait starts it again
            watch.ended();
        });
        result.complete(watch);
        if (closed) {
            informer.stop();
        }
    }

    /** Starts the informer: its list, then its watch from the list's resourceVersion. */
    private void startAndOpen(SharedIndexInformer<GenericKubernetesResource> informer, long started)
            throws InterruptedException, ExecutionException, TimeoutException {
        informer.start().toCompletableFuture().get(OPEN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        observer.observed(cluster, "list", 200, System.nanoTime() - started);
        long deadline = started + OPEN_TIMEOUT.toNanos();
        while (!informer.isWatching()) {   // the watch opens after the list, from its resourceVersion
            if (System.nanoTime() > deadline || !informer.isRunning()) {
                throw new TimeoutException("the watch did not open");
            }
            NodeTask.sleep(2);
        }
        observer.observed(cluster, "watch", 200, System.nanoTime() - started);
    }

    private void fail(String key, SharedIndexInformer<GenericKubernetesResource> informer, CompletableFuture<KindWatch> result,
                      Exception e) {
        informer.stop();
        byKindAndNamespace.remove(key, result);
        result.completeExceptionally(e);
    }

    /** Stops every informer (at the end of a run): the waits' watches end. */
    @Override
    public void close() {
        closed = true;
        for (CompletableFuture<KindWatch> running : byKindAndNamespace.values()) {
            // now, or when a start still under way ends; a failed start has nothing to stop (and its future, asked
            // for its value, would throw: the end of a run that timed out while informers were starting)
            running.thenAccept(watch -> watch.informer.stop());
        }
        byKindAndNamespace.clear();
    }

    /** One informer and the waits that follow objects of it, by name. */
    static final class KindWatch implements ResourceEventHandler<GenericKubernetesResource> {
        private final SharedIndexInformer<GenericKubernetesResource> informer;
        private final String namespace;
        private final Map<String, Set<ObjectWatch>> followers = new ConcurrentHashMap<>();

        KindWatch(SharedIndexInformer<GenericKubernetesResource> informer, String namespace) {
            this.informer = informer;
            this.namespace = namespace;
        }

        ObjectWatch follow(String name) {
            ObjectWatch watch = new ObjectWatch(w -> {
                Set<ObjectWatch> of = followers.get(name);
                if (of != null) {
                    of.remove(w);
                }
            });
            followers.computeIfAbsent(name, n -> ConcurrentHashMap.newKeySet()).add(watch);
            if (!informer.isRunning()) {
                watch.ended();
            }
            return watch;
        }

        boolean watching() {
            return informer.isWatching();
        }

        Map<String, Object> cached(String name) {
            return asMap(informer.getStore().getByKey(namespace == null ? name : namespace + "/" + name));
        }

        void ended() {
            followers.values().forEach(set -> set.forEach(ObjectWatch::ended));
        }

        @Override
        public void onAdd(GenericKubernetesResource object) {
            tell(object, false);
        }

        @Override
        public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource object) {
            tell(object, false);
        }

        @Override
        public void onDelete(GenericKubernetesResource object, boolean finalStateUnknown) {
            tell(object, true);
        }

        private void tell(GenericKubernetesResource object, boolean deleted) {
            Set<ObjectWatch> of = followers.get(object.getMetadata().getName());
            if (of == null || of.isEmpty()) {
                return;
            }
            Map<String, Object> changed = deleted ? null : asMap(object);
            of.forEach(w -> w.changed(changed));
        }

        @SuppressWarnings("unchecked")
        private static Map<String, Object> asMap(GenericKubernetesResource object) {
            return object == null ? null : Serialization.jsonMapper().convertValue(object, Map.class);
        }
    }
}
