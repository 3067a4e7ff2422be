package io.meshfed.provisioner.simulate;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.meshfed.provisioner.crd.Crd;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One simulated OpenShift cluster: a real HTTP Kubernetes API server on loopback (fabric8's CRUD mock
 * behind {@link ApiFront}), seeded like a new OpenShift cluster (OLM installed, the
 * {@code openshift-operators} namespace with its global OperatorGroup), and the controllers of OLM,
 * MetalLB, Maistra and federation running against it through the real fabric8 client.
 */
public final class SimulatedCluster implements AutoCloseable {

    /** The mock server logs every request at INFO; the simulation keeps its own {@link RequestLog}. */
    private static final java.util.logging.Logger MOCK_LOGGER = quiet("io.fabric8.mockwebserver");

    private static final List<String> OPENSHIFT_NAMESPACES = List.of("default", "kube-system", "openshift-operators",
            "openshift-marketplace");

    private final String name;
    private final boolean cloudLoadBalancer;
    private final boolean https;
    private final KubernetesMockServer server;
    private final ApiFront front;
    private final KubernetesClient controllerClient;
    private final ClusterApi api;
    private List<ControllerLoop> loops = List.of();

    private SimulatedCluster(String name, boolean cloudLoadBalancer, boolean https, KubernetesMockServer server,
                             ApiFront front) {
        this.name = name;
        this.https = https;
        this.cloudLoadBalancer = cloudLoadBalancer;
        this.server = server;
        this.front = front;
        this.controllerClient = new KubernetesClientBuilder().withConfig(config(ApiFront.CONTROLLER_AGENT)).build();
        this.api = new ClusterApi(controllerClient);
    }

    /**
     * Starts the API server on a free loopback port and seeds it; the controllers start with
     * {@link #startControllers}, once every cluster of the simulation exists.
     */
    static SimulatedCluster start(String name, boolean cloudLoadBalancer, boolean https) {
        ApiFront front = new ApiFront(new KubernetesCrudDispatcher());
        KubernetesMockServer server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(),
                new HashMap<>(), front, https);
        try {
            server.init(InetAddress.getByName("127.0.0.1"), 0);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        SimulatedCluster cluster = new SimulatedCluster(name, cloudLoadBalancer, https, server, front);
        cluster.seed();
        return cluster;
    }

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    /** Fills the operators' caches; from then on every change they see goes to {@code changed} (a resource's plural name). */
    void startCache(java.util.function.Consumer<String> changed) {
        api.start(changed);
    }

    /** What this cluster's operators read (informer caches) and write through. */
    ClusterApi api() {
        return api;
    }

    void startControllers(List<Controller> controllers) {
        this.loops = controllers.stream().map(c -> new ControllerLoop(name, c)).toList();
        loops.forEach(ControllerLoop::start);
    }

    private void seed() {
        for (String ns : OPENSHIFT_NAMESPACES) {
            controllerClient.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata()
                    .withNewStatus().withPhase("Active").endStatus().build()).create();
        }
        for (Crd crd : OperatorCatalog.OLM_CRDS) {
            installCrd(controllerClient, crd);
        }
        controllerClient.genericKubernetesResources(Kinds.OPERATOR_GROUP).inNamespace("openshift-operators")
                .resource(new GenericKubernetesResourceBuilder().withApiVersion("operators.coreos.com/v1")
                        .withKind("OperatorGroup").withNewMetadata().withName("global-operators")
                        .withNamespace("openshift-operators").endMetadata().build())
                .create();
    }

    /** The CRDs as the client's model, converted once: some are half a megabyte of schema. */
    private static final Map<String, CustomResourceDefinition> CRD_MODELS = new java.util.concurrent.ConcurrentHashMap<>();

    /** Creates the CRD unless it exists (as OLM does for an operator's CRDs). */
    static void installCrd(KubernetesClient client, Crd crd) {
        CustomResourceDefinition model = CRD_MODELS.computeIfAbsent(crd.name(),
                n -> Serialization.unmarshal(Serialization.asJson(crd.definition()), CustomResourceDefinition.class));
        ClusterApi.createIfAbsent(() -> client.apiextensions().v1().customResourceDefinitions().resource(model).create());
    }

    /** A client configuration for this cluster's API server, as a kubeconfig context would give. */
    public Config config(String userAgent) {
        return new ConfigBuilder(Config.empty())
                .withMasterUrl(url())
                .withTrustCerts(true)
                .withNamespace("default")
                .withHttp2Disable(true)
                .withUserAgent(userAgent)
                .withRequestRetryBackoffLimit(0)
                .build();
    }

    /** A new client for this cluster, as meshfed or kubectl would connect. */
    public KubernetesClient newClient() {
        return new KubernetesClientBuilder().withConfig(config("meshfed")).build();
    }

    public String name() {
        return name;
    }

    public boolean cloudLoadBalancer() {
        return cloudLoadBalancer;
    }

    /** The API server's URL, {@code http://127.0.0.1:PORT/} (or https). */
    public String url() {
        return (https ? "https" : "http") + "://127.0.0.1:" + server.getPort() + "/";
    }

    /** The API server's port on 127.0.0.1. */
    public int port() {
        return server.getPort();
    }

    /** Every request the API server answered. */
    public RequestLog requests() {
        return front.log();
    }

    /**
     * Calls {@code listener} with the method and path of every request of a client other than the
     * simulated controllers, once it was served and before its answer leaves (tests use it to act
     * between a client's read and its write, as another writer would).
     */
    public void onClientRequest(java.util.function.BiConsumer<String, String> listener) {
        front.onClientRequest(listener);
    }

    /** Injects latency and errors into the requests of clients other than the simulated controllers. */
    public void faults(Faults faults) {
        front.faults(faults);
    }

    /** The client the simulated controllers use; tests may read with it without counting as meshfed. */
    public KubernetesClient controllerClient() {
        return controllerClient;
    }

    /** A resource changed on this cluster ({@code remote} false) or on another: wakes the controllers watching it. */
    void changed(String resource, boolean remote) {
        loops.forEach(l -> l.changed(resource, remote));
    }

    @Override
    public void close() {
        loops.forEach(ControllerLoop::close);
        api.close();
        controllerClient.close();
        server.destroy();
    }
}
