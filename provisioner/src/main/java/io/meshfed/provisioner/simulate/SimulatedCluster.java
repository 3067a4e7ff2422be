package io.meshfed.provisioner.simulate;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * One simulated OpenShift cluster: a real kube-apiserver and etcd ({@link ControlPlane}) behind an
 * HTTPS proxy on loopback ({@link ApiProxy}: faults, latency, request log), seeded as a new OpenShift
 * cluster is (the {@code openshift-operators} namespace with its global OperatorGroup, OLM's and
 * OpenShift's own CRDs), with simulated controllers for what OpenShift and its operators add, all
 * working through the API with the real fabric8 client.
 */
public final class SimulatedCluster implements AutoCloseable {

    private static final List<String> OPENSHIFT_NAMESPACES = List.of("openshift", "openshift-operators",
            "openshift-marketplace", "openshift-operator-lifecycle-manager");

    private final String name;
    private final boolean cloudLoadBalancer;
    private final ControlPlane controlPlane;
    private final ApiProxy proxy;
    private final Map<String, String> credentials;
    private final KubernetesClient controllerClient;
    private final ClusterApi api;
    private List<ControllerLoop> loops = List.of();

    private SimulatedCluster(String name, boolean cloudLoadBalancer, ControlPlane controlPlane, ApiProxy proxy) {
        this.name = name;
        this.cloudLoadBalancer = cloudLoadBalancer;
        this.controlPlane = controlPlane;
        this.proxy = proxy;
        this.credentials = credentials(controlPlane);
        this.controllerClient = new KubernetesClientBuilder().withConfig(config(ApiProxy.CONTROLLER_AGENT)).build();
        this.api = new ClusterApi(controllerClient);
        proxy.podNetwork(new PodNetwork(controllerClient));
    }

    /**
     * Starts the control plane and its proxy and seeds the cluster; the controllers start with
     * {@link #startControllers}, once every cluster of the simulation exists.
     */
    static SimulatedCluster start(String name, boolean cloudLoadBalancer, Vertx vertx) {
        ControlPlane controlPlane = ControlPlane.start();
        SimulatedCluster cluster;
        try {
            cluster = new SimulatedCluster(name, cloudLoadBalancer, controlPlane, ApiProxy.start(vertx, controlPlane));
        } catch (RuntimeException e) {
            controlPlane.close();
            throw e;
        }
        try {
            cluster.seed();
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
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
            ClusterApi.createIfAbsent(() -> controllerClient.namespaces().resource(new NamespaceBuilder().withNewMetadata()
                    .withName(ns).endMetadata().build()).create());
        }
        ClusterApi.establishCrds(controllerClient, OperatorCatalog.PLATFORM_CRDS);
        // where other clusters reach this API server: here, this cluster's proxy on loopback
        var infrastructure = controllerClient.genericKubernetesResources(Kinds.INFRASTRUCTURE);
        ClusterApi.createIfAbsent(() -> infrastructure.resource(new GenericKubernetesResourceBuilder()
                .withApiVersion("config.openshift.io/v1").withKind("Infrastructure").withNewMetadata().withName("cluster")
                .endMetadata().addToAdditionalProperties("spec", Map.of()).build()).create());
        GenericKubernetesResource cluster = infrastructure.withName("cluster").get();
        cluster.getAdditionalProperties().put("status", Map.of("apiServerURL", url().replaceAll("/$", ""),
                "apiServerInternalURI", url().replaceAll("/$", ""), "infrastructureName", name, "platform", "None",
                "controlPlaneTopology", "HighlyAvailable"));
        infrastructure.resource(cluster).updateStatus();
        ClusterApi.createIfAbsent(() -> controllerClient.genericKubernetesResources(Kinds.OPERATOR_GROUP)
                .inNamespace("openshift-operators")
                .resource(new GenericKubernetesResourceBuilder().withApiVersion("operators.coreos.com/v1")
                        .withKind("OperatorGroup").withNewMetadata().withName("global-operators")
                        .withNamespace("openshift-operators").endMetadata().build())
                .create());
    }

    /** A client configuration for this cluster, as its kubeconfig context gives it (HTTPS, the cluster's CA, a client certificate). */
    public Config config(String userAgent) {
        return new ConfigBuilder(Config.empty())
                .withMasterUrl(url())
                .withCaCertData(credentials.get("certificate-authority-data"))
                .withClientCertData(credentials.get("client-certificate-data"))
                .withClientKeyData(credentials.get("client-key-data"))
                .withNamespace("default")
                .withHttp2Disable(true)
                .withUserAgent(userAgent)
                .withRequestRetryBackoffLimit(0)
                .build();
    }

    /**
     * What a kubeconfig holds to reach this cluster, base64-encoded as a kubeconfig embeds it:
     * {@code certificate-authority-data}, {@code client-certificate-data}, {@code client-key-data}.
     */
    public Map<String, String> credentials() {
        return credentials;
    }

    private static Map<String, String> credentials(ControlPlane controlPlane) {
        return Map.of("certificate-authority-data", base64(controlPlane.caCertificate()),
                "client-certificate-data", base64(controlPlane.clientCertificate()),
                "client-key-data", base64(controlPlane.clientKey()));
    }

    private static String base64(Path pem) {
        try {
            return Base64.getEncoder().encodeToString(Files.readAllBytes(pem));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    /** The cluster's API URL, {@code https://127.0.0.1:PORT/} (the proxy in front of its kube-apiserver). */
    public String url() {
        return "https://127.0.0.1:" + proxy.port() + "/";
    }

    /** The port of the cluster's API on 127.0.0.1. */
    public int port() {
        return proxy.port();
    }

    /** Every request the cluster's API answered. */
    public RequestLog requests() {
        return proxy.log();
    }

    /**
     * Calls {@code listener} with the method and path of every request of a client other than the
     * simulated controllers, once it was served and before its answer leaves (tests use it to act
     * between a client's read and its write, as another writer would).
     */
    public void onClientRequest(java.util.function.BiConsumer<String, String> listener) {
        proxy.onClientRequest(listener);
    }

    /** Injects latency and errors into the requests of clients other than the simulated controllers. */
    public void faults(Faults faults) {
        proxy.faults(faults);
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
        proxy.close();
        controlPlane.close();
    }
}
