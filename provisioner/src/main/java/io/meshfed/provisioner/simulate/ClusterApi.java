package io.meshfed.provisioner.simulate;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.meshfed.provisioner.crd.Crd;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What a simulated cluster's operators read and write. Reads come from informer caches (one list and
 * one watch per kind, as controller-runtime gives real operators), so a reconcile pass costs only its
 * writes; every change a cache sees is reported by resource (plural name), which is what wakes the
 * controllers. Cached objects are shared: callers copy before changing one. Writes go to the API
 * server through the controllers' client.
 */
final class ClusterApi implements AutoCloseable {

    /** The custom resource kinds the operators read. */
    private static final List<ResourceDefinitionContext> CUSTOM = List.of(Kinds.SUBSCRIPTION, Kinds.CSV, Kinds.INSTALL_PLAN,
            Kinds.OPERATOR_GROUP, Kinds.METALLB, Kinds.IP_POOL, Kinds.L2_ADVERTISEMENT, Kinds.SMCP, Kinds.SMMR, Kinds.PEER,
            Kinds.EXPORTS, Kinds.IMPORTS, Kinds.ISTIO, Kinds.ISTIO_CNI, Kinds.ISTIO_REVISION_TAG, Kinds.KUBE_GATEWAY,
            Kinds.ISTIO_GATEWAY, Kinds.SERVICE_ENTRY, Kinds.WORKLOAD_ENTRY);

    private final KubernetesClient client;
    private final Map<String, SharedIndexInformer<GenericKubernetesResource>> custom = new ConcurrentHashMap<>();
    private volatile Consumer<String> changed = resource -> { };
    private final Map<String, Written> written = new ConcurrentHashMap<>();
    private SharedIndexInformer<Service> services;
    private SharedIndexInformer<ConfigMap> configMaps;
    private SharedIndexInformer<Secret> secrets;
    private SharedIndexInformer<ServiceAccount> serviceAccounts;
    private SharedIndexInformer<Namespace> namespaces;
    private SharedIndexInformer<Deployment> deployments;

    ClusterApi(KubernetesClient client) {
        this.client = client;
    }

    /**
     * Starts every informer and waits until each has listed its kind; then reports each change to
     * {@code changed}. A custom kind whose CRD is not served yet gets its informer when
     * {@link #installCrds} installs it, as an operator's controllers start with the operator.
     */
    void start(Consumer<String> changed) {
        this.changed = changed;
        services = informer(client.services().inAnyNamespace(), "services", changed);
        configMaps = informer(client.configMaps().inAnyNamespace(), "configmaps", changed);
        secrets = informer(client.secrets().inAnyNamespace(), "secrets", changed);
        serviceAccounts = informer(client.serviceAccounts().inAnyNamespace(), "serviceaccounts", changed);
        namespaces = informer(client.namespaces(), "namespaces", changed);
        deployments = informer(client.apps().deployments().inAnyNamespace(), "deployments", changed);
        List<CompletableFuture<?>> started = new ArrayList<>();
        for (SharedIndexInformer<?> i : List.of(services, configMaps, secrets, serviceAccounts, namespaces, deployments)) {
            started.add(i.start().toCompletableFuture());
        }
        CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).join();
        Map<String, List<String>> served = new java.util.HashMap<>();   // plurals by group/version: one discovery each
        for (ResourceDefinitionContext kind : CUSTOM) {
            if (served.computeIfAbsent(kind.getGroup() + "/" + kind.getVersion(), this::servedPlurals).contains(kind.getPlural())) {
                startCustom(kind);
            }
        }
    }

    /** The resources the API server serves in a group/version now (discovery; none when it serves no such version). */
    private List<String> servedPlurals(String groupVersion) {
        try {
            var resources = client.getApiResources(groupVersion);
            return resources == null ? List.of() : resources.getResources().stream().map(r -> r.getName()).toList();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return List.of();
            }
            throw e;
        }
    }

    /**
     * Starts the cache of a custom kind and waits until it has listed. A CRD that was just
     * established answers 429 "storage is (re)initializing" for a moment: the cache starts once a
     * list goes through (an informer whose first list fails stops, and says so at ERROR).
     */
    /** Custom kinds by group and plural: Istio's and Gateway API's are both {@code gateways}. */
    private static String key(ResourceDefinitionContext kind) {
        return kind.getGroup() + "/" + kind.getPlural();
    }

    private void startCustom(ResourceDefinitionContext kind) {
        if (custom.containsKey(key(kind))) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                // the informer's own first list, from the watch cache: once it answers, the informer starts cleanly
                client.genericKubernetesResources(kind).inAnyNamespace()
                        .list(new io.fabric8.kubernetes.api.model.ListOptionsBuilder().withResourceVersion("0").build());
                SharedIndexInformer<GenericKubernetesResource> informer = informer(
                        client.genericKubernetesResources(kind).inAnyNamespace(), kind.getPlural(), changed);
                try {
                    informer.start().toCompletableFuture().join();
                } catch (java.util.concurrent.CompletionException e) {
                    informer.close();
                    throw e.getCause() instanceof KubernetesClientException k ? k : e;
                }
                custom.put(key(kind), informer);
                changed.accept(kind.getPlural());   // what it listed is there to read now
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 429 || attempt == 100) {
                    throw e;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * Creates the CRDs that do not exist yet, waits until the API server serves them (condition
     * Established), as OLM does before an install is done, and starts the caches of the kinds they serve.
     */
    void installCrds(List<Crd> crds) {
        establishCrds(client, crds);
        for (Crd crd : crds) {
            for (ResourceDefinitionContext kind : CUSTOM) {
                if (kind.getGroup().equals(crd.group()) && kind.getPlural().equals(crd.plural())) {
                    startCustom(kind);
                }
            }
        }
    }

    /**
     * The CRDs as the client's model, converted once (some are half a megabyte of schema); by definition, not
     * name: OSSM 2's and OSSM 3's gateways.networking.istio.io are two CRDs of one name, at two Istio versions.
     */
    private static final Map<Object, CustomResourceDefinition> CRD_MODELS =
            java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

    /**
     * Creates the CRDs that do not exist yet, all at once, then waits until the API server serves
     * each (condition Established), as OLM does with the CRDs of an operator's bundle.
     */
    static void establishCrds(KubernetesClient client, List<Crd> crds) {
        for (Crd crd : crds) {
            CustomResourceDefinition model = CRD_MODELS.computeIfAbsent(crd.definition(),
                    n -> Serialization.unmarshal(Serialization.asJson(crd.definition()), CustomResourceDefinition.class));
            ClusterApi.createIfAbsent(() -> client.apiextensions().v1().customResourceDefinitions().resource(model).create());
        }
        for (Crd crd : crds) {
            try {
                client.apiextensions().v1().customResourceDefinitions().withName(crd.name()).waitUntilCondition(
                        c -> c != null && c.getStatus() != null && c.getStatus().getConditions() != null
                                && c.getStatus().getConditions().stream().anyMatch(
                                        k -> "Established".equals(k.getType()) && "True".equals(k.getStatus())),
                        30, TimeUnit.SECONDS);
            } catch (KubernetesClientException e) {
                throw new IllegalStateException("CRD " + crd.name() + " was not established: " + e.getMessage(), e);
            }
        }
    }

    private static <T extends HasMetadata> SharedIndexInformer<T> informer(Informable<T> source, String resource,
                                                                           Consumer<String> changed) {
        SharedIndexInformer<T> informer = source.runnableInformer(0);
        informer.addEventHandler(new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T obj) {
                changed.accept(resource);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                changed.accept(resource);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                changed.accept(resource);
            }
        });
        return informer;
    }

    private List<SharedIndexInformer<?>> informers() {
        List<SharedIndexInformer<?>> all = new ArrayList<>(java.util.Arrays.asList(services, configMaps, secrets,
                serviceAccounts, namespaces, deployments));
        all.addAll(custom.values());
        return all;
    }

    /** The client, for writes (and for reads that must not be stale). */
    KubernetesClient client() {
        return client;
    }

    /** Every cached object of a custom kind, in every namespace (none while its CRD is not installed). */
    List<GenericKubernetesResource> list(ResourceDefinitionContext kind) {
        SharedIndexInformer<GenericKubernetesResource> informer = custom.get(key(kind));
        return informer == null ? List.of() : informer.getStore().list();
    }

    List<GenericKubernetesResource> list(ResourceDefinitionContext kind, String namespace) {
        SharedIndexInformer<GenericKubernetesResource> informer = custom.get(key(kind));
        return informer == null ? List.of() : inNamespace(informer, namespace);
    }

    List<Namespace> namespaces() {
        return namespaces.getStore().list();
    }

    List<ServiceAccount> serviceAccounts() {
        return serviceAccounts.getStore().list();
    }

    List<ConfigMap> configMaps() {
        return configMaps.getStore().list();
    }

    List<Secret> secrets() {
        return secrets.getStore().list();
    }

    List<Deployment> deployments() {
        return deployments.getStore().list();
    }

    List<Service> services() {
        return services.getStore().list();
    }

    List<Service> services(String namespace) {
        return inNamespace(services, namespace);
    }

    Service service(String namespace, String name) {
        return services.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name));
    }

    ConfigMap configMap(String namespace, String name) {
        return configMaps.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name));
    }

    Secret secret(String namespace, String name) {
        return secrets.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name));
    }

    Deployment deployment(String namespace, String name) {
        return deployments.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name));
    }

    ServiceAccount serviceAccount(String namespace, String name) {
        return serviceAccounts.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name));
    }

    boolean namespaceExists(String name) {
        return namespaces.getStore().getByKey(name) != null;
    }

    private static <T extends HasMetadata> List<T> inNamespace(SharedIndexInformer<T> informer, String namespace) {
        return informer.getStore().list().stream().filter(o -> namespace.equals(o.getMetadata().getNamespace())).toList();
    }

    /**
     * Runs a create that a stale cache may have asked for: the object already existing (409) is what
     * the create wanted.
     */
    static void createIfAbsent(Runnable create) {
        try {
            create.run();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(GenericKubernetesResource r, String key) {
        Object value = r.getAdditionalProperties().get(key);
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /**
     * Writes {@code status} through the status subresource, unless the object already has it. What
     * the API server keeps can differ from what was sent (fields its schema prunes, values it
     * normalizes), so an object still holding what the last write stored counts as having it too.
     * A {@code lastUpdated} timestamp (OLM's) is not compared. The write starts from the cached
     * object (a status write changes nothing else); when the cache was behind (409), once more from
     * the server's.
     */
    @SuppressWarnings("unchecked")
    void setStatus(ResourceDefinitionContext kind, GenericKubernetesResource r, Map<String, Object> status) {
        Map<String, Object> wanted = Serialization.unmarshal(Serialization.asJson(status), Map.class);   // as a read gives it back
        Object current = r.getAdditionalProperties().get("status");
        Written last = written.get(r.getMetadata().getUid());
        if (unstamped(current).equals(unstamped(wanted))
                || (last != null && unstamped(last.sent()).equals(unstamped(wanted)) && Objects.equals(last.stored(), current))) {
            return;
        }
        var all = client.genericKubernetesResources(kind);
        var inNamespace = r.getMetadata().getNamespace() == null ? all : all.inNamespace(r.getMetadata().getNamespace());
        GenericKubernetesResource copy = Serialization.clone(r);
        copy.getAdditionalProperties().put("status", wanted);
        GenericKubernetesResource stored;
        try {
            stored = inNamespace.resource(copy).updateStatus();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            GenericKubernetesResource fresh = inNamespace.withName(r.getMetadata().getName()).get();
            if (fresh == null || unstamped(fresh.getAdditionalProperties().get("status")).equals(unstamped(wanted))) {
                return;
            }
            fresh.getAdditionalProperties().put("status", wanted);
            stored = inNamespace.resource(fresh).updateStatus();
        }
        written.put(r.getMetadata().getUid(), new Written(wanted, stored.getAdditionalProperties().get("status")));
    }

    /** The last status written to an object: as sent, and as the API server stored it. */
    private record Written(Map<String, Object> sent, Object stored) {
    }

    private static Map<?, ?> unstamped(Object status) {
        if (!(status instanceof Map<?, ?> m)) {
            return Map.of();
        }
        Map<Object, Object> copy = new java.util.HashMap<>(m);
        copy.remove("lastUpdated");
        return copy;
    }

    @Override
    public void close() {
        informers().stream().filter(Objects::nonNull).forEach(SharedIndexInformer::close);
    }
}
