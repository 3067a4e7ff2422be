package io.meshfed.provisioner.apply;

import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.meshfed.model.resource.ObjectRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * One cluster as the executor sees it: get, server-side apply (and its dry run), list and delete of
 * any kind as plain maps, through the fabric8 client; waits follow objects through {@link KindWatches}.
 * At most {@code forks} requests are in flight at once; transient failures are retried by the
 * {@link RetryPolicy}. Kinds meshfed knows need no API discovery ({@link KnownKinds}); others are
 * discovered once per group/version ({@link ServedKinds}).
 */
public final class ClusterClient implements AutoCloseable {

    /** meshfed's User-Agent: the API server's audit log and the managers of non-apply writes name it. */
    public static final String USER_AGENT = "meshfed/" + java.util.Objects.requireNonNullElse(
            ClusterClient.class.getPackage().getImplementationVersion(), "0.1");

    private final String name;
    private final KubernetesClient client;
    private final RequestGate gate;
    private final RetryPolicy retry;
    private final ServedKinds kinds;
    private final ListedObjects listed = new ListedObjects();
    private volatile KindWatches watches;
    private volatile String problem;
    private final NamespaceReader namespaceReader = new NamespaceReader(this);

    /**
     * @param forks   requests in flight at once on this cluster
     * @param overall the permits shared by every cluster of the run
     */
    public ClusterClient(String name, KubernetesClient client, int forks, Semaphore overall, RetryPolicy retry) {
        this.name = name;
        this.client = client;
        this.gate = new RequestGate(name, forks, overall, retry);
        this.retry = retry;
        this.kinds = new ServedKinds(name, this::discover);
        this.watches = newWatches();
    }

    public String name() {
        return name;
    }

    /** The API server URL this client reaches the cluster at. */
    public String url() {
        return client.getMasterUrl().toString();
    }

    /** The fabric8 client itself, for requests of its own (metadata-only lists: {@link NamespaceReader}). */
    KubernetesClient kubernetes() {
        return client;
    }

    /** Checked before every write (the run lock: {@link RunLock#check}); null: none. */
    void guardWrites(Runnable guard) {
        gate.guardWrites(guard);
    }

    /** Tells {@code observer} about every request from now on. */
    public void observe(RequestObserver observer) {
        gate.observe(observer);
    }

    /** How many requests were retried after a transient failure. */
    public long retries() {
        return gate.retries();
    }

    /**
     * Objects a listing made at the start of a run returned (the inventory's own, {@link OwnedObjects}):
     * the first read of each is answered from it, not by a request of its own, while the listing is fresh.
     */
    public void seed(List<Map<String, Object>> objects, long madeAt) {
        listed.replace(objects, madeAt);
    }

    /**
     * The object as the run's listing returned it (its first read only: later reads see what changed
     * since), while that listing is fresh ({@link ListedObjects}); else as the server has it now.
     */
    public Map<String, Object> firstRead(ObjectRef ref) {
        Map<String, Object> object = listed.take(ref);
        return object != null ? object : get(ref);
    }

    /**
     * The object as the server has it now, never the listing's copy (which is dropped): for a node whose
     * readiness is judged on its status, or whose namespace this run created.
     */
    public Map<String, Object> freshRead(ObjectRef ref) {
        listed.take(ref);
        return get(ref);
    }

    /**
     * Forgets what the listing holds in {@code namespace}: this run created it, so nothing listed in it before
     * is there now (a namespace deleted after the listing took its objects with it).
     */
    public void forgetListed(String namespace) {
        listed.forget(namespace);
    }

    /** The live object, or null when it does not exist (also when the cluster does not serve its kind yet). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> get(ObjectRef ref) {
        if (!serves(ref.apiVersion(), ref.kind())) {
            return null;
        }
        GenericKubernetesResource r = call("get " + ref.id(), () -> resource(ref).get());
        return r == null ? null : (Map<String, Object>) Serialization.jsonMapper().convertValue(r, Map.class);
    }

    /**
     * Server-side apply of {@code object} by {@code manager}, forcing ownership of the fields it sets
     * (meshfed's inventory is the source of truth, as for Flux and Argo CD): the server merges by the
     * schema's list keys, normalizes values, and removes the fields the manager owned and no longer
     * sends. A dry run answers the object the server would store and changes nothing.
     * <p>
     * An object that does not exist yet is created. A 404 then (the kind is not served, or its
     * namespace is missing) is tried again for about 1.5 s first: an API server can answer it for a
     * moment after it reported a new CRD Established, which is just when the graph lets a custom
     * resource follow its operator.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> apply(ObjectRef ref, Map<String, Object> object, String manager, boolean dryRun,
                                     boolean creating) {
        String verb = dryRun ? "dry-run " : "apply ";
        for (int attempt = 1; ; attempt++) {
            try {
                GenericKubernetesResource r = call(verb + ref.id(), () -> {
                    var resource = resource(ref, object);
                    var op = dryRun ? resource.dryRun() : resource;
                    return op.fieldManager(manager).forceConflicts().serverSideApply();
                });
                return Serialization.jsonMapper().convertValue(r, Map.class);
            } catch (ApiException e) {
                if (e.code() != 404 || !creating || ref.kind().equals("Namespace")) {
                    throw e;
                }
                if (attempt < CREATE_404_ATTEMPTS && !dryRun) {
                    gate.retried();
                    NodeTask.sleep(100L << (attempt - 1));
                    continue;
                }
                if (e instanceof ServedKinds.KindNotServed) {
                    throw e;   // discovery's answer says it all
                }
                throw new ApiException(404, e.getMessage() + " (does the cluster serve " + ref.kind() + " " + ref.apiVersion()
                        + "? is the operator that brings its CRD installed" + (ref.namespaced() ? ", and does namespace "
                        + ref.namespace() + " exist?)" : "?)"), e);
            }
        }
    }

    /**
     * A token of ServiceAccount {@code namespace/account}, issued by this API server (TokenRequest) for
     * {@code lifetime} (the server may shorten it: its expiry is in the token).
     */
    public String requestToken(String namespace, String account, java.time.Duration lifetime) {
        return call("create token " + namespace + "/" + account, () -> client.serviceAccounts().inNamespace(namespace)
                .withName(account).tokenRequest(new io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder()
                        .withNewSpec().withExpirationSeconds(lifetime.toSeconds()).endSpec().build())
                .getStatus().getToken());
    }

    /**
     * GET {@code path} of a Pod's {@code port} through the API server's pod proxy ({@code get pods/proxy}), as
     * {@code istioctl} reads istiod's debug endpoints; null when the Pod is gone.
     */
    public String podProxyGet(String namespace, String pod, int port, String path) {
        return call("get pods/proxy " + namespace + "/" + pod,
                () -> client.raw("/api/v1/namespaces/" + namespace + "/pods/" + pod + ":" + port + "/proxy" + path));
    }

    /** A field a server-side apply would take from another manager, and that manager. */
    public record Conflict(String manager, String field) {
    }

    /**
     * The fields an apply of {@code object} by {@code manager} without forcing would take from other
     * managers (a dry run: the server's 409 lists them); empty when none.
     */
    public List<Conflict> conflicts(ObjectRef ref, Map<String, Object> object, String manager) {
        try {
            call("dry-run " + ref.id(), () -> resource(ref, object).dryRun().fieldManager(manager).serverSideApply());
            return List.of();
        } catch (ApiException e) {
            if (e.code() != 409 || !(e.getCause() instanceof io.fabric8.kubernetes.client.KubernetesClientException k)
                    || k.getStatus() == null || k.getStatus().getDetails() == null) {
                throw e;
            }
            List<Conflict> conflicts = new ArrayList<>();
            for (var cause : k.getStatus().getDetails().getCauses()) {
                java.util.regex.Matcher m = CONFLICT_WITH.matcher(String.valueOf(cause.getMessage()));
                if (m.find()) {
                    conflicts.add(new Conflict(m.group(1), cause.getField()));
                }
            }
            return conflicts;
        }
    }

    private static final java.util.regex.Pattern CONFLICT_WITH = java.util.regex.Pattern.compile("conflict with \"([^\"]+)\"");

    /** 100, 200, 400 and 800 ms between them. */
    private static final int CREATE_404_ATTEMPTS = 5;

    /**
     * Changes an object's metadata in one JSON patch that first tests the resourceVersion it was read at
     * (a concurrent write is a 409, not lost): replaces its managedFields (unless null) and removes the
     * values at {@code removed} (JSON pointers that exist).
     */
    public void patchMetadata(ObjectRef ref, String resourceVersion, List<Map<String, Object>> managedFields,
                              List<String> removed) {
        List<Map<String, Object>> ops = new ArrayList<>();
        if (managedFields != null) {
            ops.add(Map.of("op", "replace", "path", "/metadata/managedFields", "value", managedFields));
        }
        removed.forEach(path -> ops.add(Map.of("op", "remove", "path", path)));
        patch(ref, resourceVersion, ops);
    }

    /**
     * Sets one field of an object meshfed does not own (an InstallPlan's {@code spec.approved}), as
     * {@code oc patch} would, but only if the object is still the version that was read and judged.
     */
    public void patchField(ObjectRef ref, String resourceVersion, String pointer, Object value) {
        patch(ref, resourceVersion, List.of(Map.of("op", "replace", "path", pointer, "value", value)));
    }

    /**
     * A JSON patch ({@code ops}) that first tests the resourceVersion the object was read at: a 422 when
     * it changed since, not a lost write.
     */
    public void patch(ObjectRef ref, String resourceVersion, List<Map<String, Object>> ops) {
        List<Map<String, Object>> all = new ArrayList<>();
        all.add(Map.of("op", "test", "path", "/metadata/resourceVersion", "value", resourceVersion));
        all.addAll(ops);
        String patch = Serialization.asJson(all);
        call("patch " + ref.id(), () -> resource(ref).patch(PatchContext.of(PatchType.JSON), patch));
    }

    /** Deletes the object; true when it was there. */
    public boolean delete(ObjectRef ref) {
        return call("delete " + ref.id(), () -> !resource(ref).delete().isEmpty());
    }

    /**
     * Deletes the object only if it is still the version that was read and judged (a delete precondition on its
     * resourceVersion): a 409 when it changed since — replaced by someone's object of the same name, say — not a loss.
     */
    public boolean delete(ObjectRef ref, String resourceVersion) {
        return call("delete " + ref.id(), () -> !resource(ref).lockResourceVersion(resourceVersion).delete().isEmpty());
    }

    /** Objects of a kind carrying the label selector (null: all of them), in every namespace. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> list(String apiVersion, String kind, String labelSelector) {
        GenericKubernetesResourceList list = call("list " + kind, () -> {
            var op = client.genericKubernetesResources(context(apiVersion, kind));
            if (labelSelector == null) {
                return context(apiVersion, kind).isNamespaceScoped() ? op.inAnyNamespace().list() : op.list();
            }
            return context(apiVersion, kind).isNamespaceScoped()
                    ? op.inAnyNamespace().withLabelSelector(labelSelector).list()
                    : op.withLabelSelector(labelSelector).list();
        });
        return list.getItems().stream().map(r -> (Map<String, Object>) Serialization.jsonMapper().convertValue(r, Map.class))
                .toList();
    }

    /** Every object of a namespaced kind in one namespace (empty when the cluster does not serve the kind). */
    public List<Map<String, Object>> listIn(String namespace, String apiVersion, String kind) {
        return listIn(namespace, apiVersion, kind, null);
    }

    /**
     * The objects of a namespaced kind in one namespace carrying the label selector (null: all of them); none where
     * the cluster does not serve the kind.
     */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> listIn(String namespace, String apiVersion, String kind, String labelSelector) {
        if (!serves(apiVersion, kind)) {
            return List.of();
        }
        GenericKubernetesResourceList list;
        try {
            list = call("list " + kind + " in " + namespace, () -> {
                var op = client.genericKubernetesResources(context(apiVersion, kind)).inNamespace(namespace);
                return labelSelector == null ? op.list() : op.withLabelSelector(labelSelector).list();
            });
        } catch (ApiException e) {
            if (e.code() == 404) {
                return List.of();   // a kind meshfed knows, whose CRD the cluster does not serve (yet): none of it
            }
            throw e;
        }
        return list.getItems().stream().map(r -> (Map<String, Object>) Serialization.jsonMapper().convertValue(r, Map.class))
                .toList();
    }

    /**
     * Follows one object through its kind's watch in its namespace (one informer per kind and
     * namespace, shared by the run's waits), or returns null when this cluster cannot watch it now
     * (its API server, or what stands in front of it, cannot serve watches; the kind is not served yet;
     * the account may not list or watch it): the caller reads instead. After an informer that could not
     * be started at all, the cluster is polled for the rest of the run.
     */
    public ObjectWatch watch(ObjectRef ref) {
        return serves(ref.apiVersion(), ref.kind()) ? watches.follow(ref, context(ref.apiVersion(), ref.kind())) : null;
    }

    /**
     * The object as it is now: from its kind's watch where one runs for its namespace (no request),
     * else read from the API server.
     */
    public Map<String, Object> current(ObjectRef ref) {
        if (!serves(ref.apiVersion(), ref.kind())) {
            return null;
        }
        Map<String, Object> cached = watches.cached(ref, context(ref.apiVersion(), ref.kind()));
        return cached == KindWatches.NOT_WATCHED ? get(ref) : cached;
    }

    /** Whether waits on this cluster watch (until a watch could not be opened at all: then they poll). */
    public boolean watchable() {
        return watches.usable();
    }

    /** Ends the run's watches (the next run starts its own) and what it discovered of the cluster's kinds. */
    public void endWatches() {
        watches.close();
        watches = newWatches();
        namespaceReader.forget();
    }

    /**
     * What in {@code namespace} is someone else's (not one of {@code ours}, nor what the platform puts in
     * every namespace), from the metadata of everything it holds ({@link NamespaceReader}).
     */
    public io.meshfed.model.ownership.NamespaceContents.Foreign foreignIn(String namespace,
                                                                         java.util.function.Predicate<String> ours) {
        return namespaceReader.foreign(namespace, ours);
    }

    /** The watches of a run; they tell whatever observer is set when they start an informer. */
    private KindWatches newWatches() {
        return new KindWatches(name, client, (cluster, verb, status, nanos) -> gate.observer().observed(cluster, verb, status,
                nanos));
    }

    /** This client cannot be configured (why: {@code problem}); the start-of-run check reports it. */
    ClusterClient misconfigured(String problem) {
        this.problem = problem;
        return this;
    }

    /** Checks that the API server answers, for the start-of-run check (a short retry: three tries in about a second). */
    public void ping() {
        if (problem != null) {
            throw new ApiException(0, problem, null);
        }
        gate.call("ping", client.getMasterUrl().toString(), PING_RETRY, () -> client.getApiGroups());
    }

    private static final RetryPolicy PING_RETRY = new RetryPolicy(3, java.time.Duration.ofMillis(200),
            java.time.Duration.ofMillis(800));

    /** A request through this cluster's {@link RequestGate}; {@code what} starts with its verb. */
    <T> T call(String what, java.util.concurrent.Callable<T> request) {
        return gate.call(what, request);
    }

    /** A request of the run lock: retried and observed, never queued behind the run's ({@link RequestGate#callAhead}). */
    <T> T callAhead(String what, java.util.concurrent.Callable<T> request) {
        return gate.callAhead(what, request);
    }

    /** A namespace is used only for namespaced kinds: a cluster-scoped kind meshfed did not know of is asked for without. */
    private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
            operation(ObjectRef ref) {
        ResourceDefinitionContext kind = context(ref.apiVersion(), ref.kind());
        var all = client.genericKubernetesResources(kind);
        return ref.namespaced() && kind.isNamespaceScoped() ? all.inNamespace(ref.namespace()) : all;
    }

    private Resource<GenericKubernetesResource> resource(ObjectRef ref) {
        return operation(ref).withName(ref.name());
    }

    private Resource<GenericKubernetesResource> resource(ObjectRef ref, Map<String, Object> object) {
        GenericKubernetesResource r = Serialization.jsonMapper().convertValue(object, GenericKubernetesResource.class);
        if (ref.namespaced() && !context(ref.apiVersion(), ref.kind()).isNamespaceScoped()) {
            r.getMetadata().setNamespace(null);
        }
        return operation(ref).resource(r);
    }

    /** Whether the kind is namespaced on this cluster (discovery, cached); true when the cluster does not serve it. */
    public boolean namespaced(String apiVersion, String kind) {
        return kinds.namespaced(apiVersion, kind);
    }

    private boolean serves(String apiVersion, String kind) {
        return kinds.serves(apiVersion, kind);
    }

    ResourceDefinitionContext context(String apiVersion, String kind) {
        return kinds.context(apiVersion, kind);
    }

    /** Discovery of one group/version (null: the cluster serves no such version). */
    private APIResourceList discover(String apiVersion) {
        try {
            return retry.call(name + ": discover " + apiVersion, () -> client.getApiResources(apiVersion), gate::retried);
        } catch (ApiException e) {
            if (e.code() == 404) {
                return null;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        watches.close();
        client.close();
    }

}
