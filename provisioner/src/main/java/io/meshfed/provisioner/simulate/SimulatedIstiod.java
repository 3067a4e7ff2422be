package io.meshfed.provisioner.simulate;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.utils.HttpClientUtils;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * An OSSM 3 istiod's multi-cluster view, simulated where it decides whether cross-cluster traffic can
 * flow. For the cluster's Istio, it reads every Secret of the control-plane namespace labelled
 * {@code istio/multiCluster=true}, and for each key (a remote cluster's name) connects with that
 * kubeconfig to the remote API server — the real one, through its proxy: a wrong URL, CA or token fails
 * as it would, a key equal to this cluster's own name is ignored as istiod ignores it. From each synced
 * remote cluster it reads, as istiod does: the network of its control-plane namespace
 * ({@code topology.istio.io/network}), the east-west gateway of that network (a Service so labelled, with
 * 15443 and a load-balancer address), and Services and EndpointSlices (what the reader role lets it read). For each
 * Service of this cluster's mesh namespaces it computes the endpoints a sidecar here gets (and, with DNS
 * capture in the Istio's proxyMetadata, for every Service of a remote cluster's mesh namespaces too): the local
 * pods, the pods of remote clusters on this network, and for each remote cluster on another network its
 * east-west gateway on 15443, weighted by its pods (none without a gateway address: istiod drops them).
 * The view goes to ConfigMap {@value #VIEW} (keys {@code remote-clusters} and {@code endpoints}, JSON),
 * as {@code istioctl remote-clusters} and {@code istioctl proxy-config endpoint} show it, and istiod's own
 * {@code /debug/clusterz} answer, which its Pod serves through the API server's pod proxy ({@link PodNetwork}).
 */
final class SimulatedIstiod implements Controller {

    static final String VIEW = "meshfed-simulated-istiod";
    /** The OSSM 2.6 istiod's manual-discovery view ({@link ManualDiscoveryView}), apart from OSSM 3's beside it. */
    static final String DISCOVERY_VIEW = "meshfed-simulated-discovery";
    /** The view's key holding istiod's {@code /debug/clusterz} answer, as {@link PodNetwork} serves it. */
    static final String CLUSTERZ = "debug-clusterz";
    private static final String NETWORK_LABEL = "topology.istio.io/network";
    private static final Duration RESYNC = Duration.ofSeconds(2);

    private final ClusterApi api;
    private final Map<String, Remote> remotes = new HashMap<>();
    private HttpClient.Factory http;

    /** A remote cluster's client, made from one kubeconfig text (made again when the Secret changes). */
    private record Remote(String kubeconfig, KubernetesClient client) {
    }

    SimulatedIstiod(ClusterApi api) {
        this.api = api;
    }

    @Override
    public String name() {
        return "istiod";
    }

    @Override
    public Set<String> watches() {
        return Set.of("istios", "secrets", "services", "deployments", "namespaces");
    }

    @Override
    public Set<String> watchesRemote() {
        return Set.of("services", "deployments", "namespaces", "secrets");
    }

    @Override
    public Duration reconcile() {
        List<GenericKubernetesResource> istios = api.list(Kinds.ISTIO);
        if (istios.isEmpty()) {
            return null;
        }
        Map<String, Object> spec = ClusterApi.map(istios.get(0), "spec");
        String ns = (String) spec.getOrDefault("namespace", "istio-system");
        if (!api.namespaceExists(ns)) {
            return RESYNC;
        }
        String self = String.valueOf(MaistraController.path(spec, "values", "global", "multiCluster", "clusterName"));
        String network = String.valueOf(MaistraController.path(spec, "values", "global", "network"));
        boolean dnsCapture = "true".equals(String.valueOf(MaistraController.path(spec, "values", "meshConfig", "defaultConfig",
                "proxyMetadata", "ISTIO_META_DNS_CAPTURE")));
        List<String> meshNamespaces = new ArrayList<>();
        for (Namespace n : api.namespaces()) {
            if (n.getMetadata().getLabels() != null && "enabled".equals(n.getMetadata().getLabels().get("istio-injection"))) {
                meshNamespaces.add(n.getMetadata().getName());
            }
        }
        List<Map<String, Object>> clusters = new ArrayList<>();
        Map<String, List<Map<String, Object>>> endpoints = new TreeMap<>();
        Map<String, List<EndpointSlice>> localSlices = slicesByService(
                api.client().discovery().v1().endpointSlices().inAnyNamespace().list().getItems());
        for (Service service : api.services()) {
            if (meshNamespaces.contains(service.getMetadata().getNamespace())) {
                List<Map<String, Object>> local = new ArrayList<>();
                pods(localSlices.getOrDefault(key(service), List.of()), self, network, local);
                endpoints.put(host(service), local);
            }
        }
        Set<String> seen = new java.util.HashSet<>();
        for (Secret secret : api.secrets()) {
            Map<String, String> labels = secret.getMetadata().getLabels();
            if (!ns.equals(secret.getMetadata().getNamespace()) || labels == null
                    || !"true".equals(labels.get("istio/multiCluster")) || secret.getData() == null) {
                continue;
            }
            for (Map.Entry<String, String> e : secret.getData().entrySet()) {
                String cluster = e.getKey();
                String key = secret.getMetadata().getName() + "/" + cluster;
                seen.add(key);
                Map<String, Object> status = new LinkedHashMap<>();
                status.put("cluster", cluster);
                status.put("secret", ns + "/" + secret.getMetadata().getName());
                status.put("secretResourceVersion", secret.getMetadata().getResourceVersion());   // which version it synced with
                if (cluster.equals(self)) {
                    status.put("status", "ignored: the local cluster's own name");
                    clusters.add(status);
                    continue;
                }
                try {
                    KubernetesClient client = client(key, new String(Base64.getDecoder().decode(e.getValue()), StandardCharsets.UTF_8));
                    remote(client, cluster, network, dnsCapture, endpoints);
                    status.put("status", "synced");
                } catch (RuntimeException failure) {
                    status.put("status", "error: " + reason(failure));
                }
                clusters.add(status);
            }
        }
        remotes.keySet().removeIf(k -> {
            if (!seen.contains(k)) {
                remotes.get(k).client().close();
                return true;
            }
            return false;
        });
        publish(ns, clusters, endpoints, clusterz(self, clusters));
        return RESYNC;
    }

    /**
     * What a synced remote cluster adds to each local Service's endpoints (namespace sameness: same name and
     * namespace); with DNS capture, to every Service of its mesh namespaces, defined here or not (the sidecar's
     * DNS proxy answers for them).
     */
    private static void remote(KubernetesClient client, String cluster, String network, boolean dnsCapture,
                               Map<String, List<Map<String, Object>>> endpoints) {
        Map<String, String> systemLabels = client.namespaces().withName("istio-system").get() == null ? Map.of()
                : Objects.requireNonNullElse(client.namespaces().withName("istio-system").get().getMetadata().getLabels(), Map.of());
        String remoteNetwork = systemLabels.getOrDefault(NETWORK_LABEL, network);
        List<Service> services = client.services().inAnyNamespace().list().getItems();
        List<String> remoteMesh = client.namespaces().list().getItems().stream()
                .filter(n -> n.getMetadata().getLabels() != null && "enabled".equals(n.getMetadata().getLabels().get("istio-injection")))
                .map(n -> n.getMetadata().getName()).toList();
        String gateway = null;
        for (Service s : services) {
            Map<String, String> labels = s.getMetadata().getLabels();
            boolean crossNetwork = s.getSpec().getPorts() != null && s.getSpec().getPorts().stream().anyMatch(p -> p.getPort() == 15443);
            if (labels != null && remoteNetwork.equals(labels.get(NETWORK_LABEL)) && crossNetwork && s.getStatus() != null
                    && s.getStatus().getLoadBalancer() != null && s.getStatus().getLoadBalancer().getIngress() != null
                    && !s.getStatus().getLoadBalancer().getIngress().isEmpty()) {
                var ingress = s.getStatus().getLoadBalancer().getIngress().get(0);
                gateway = ingress.getIp() != null ? ingress.getIp() : ingress.getHostname();
            }
        }
        Map<String, List<EndpointSlice>> slices = slicesByService(
                client.discovery().v1().endpointSlices().inAnyNamespace().list().getItems());
        for (Service s : services) {
            List<Map<String, Object>> local = endpoints.get(host(s));
            if (local == null && dnsCapture && remoteMesh.contains(s.getMetadata().getNamespace())) {
                local = new ArrayList<>();
                endpoints.put(host(s), local);
            }
            if (local == null) {
                continue;   // no such Service here: a sidecar here has no name to call it by
            }
            List<Map<String, Object>> direct = new ArrayList<>();
            pods(slices.getOrDefault(key(s), List.of()), cluster, remoteNetwork, direct);
            int pods = direct.size();
            if (pods == 0) {
                continue;
            }
            if (remoteNetwork.equals(network)) {
                local.addAll(direct);
            } else if (gateway != null) {
                local.add(endpoint(gateway, 15443, cluster, remoteNetwork, pods));
            }
        }
    }

    private KubernetesClient client(String key, String kubeconfig) {
        Remote known = remotes.get(key);
        if (known != null && known.kubeconfig().equals(kubeconfig)) {
            return known.client();
        }
        if (known != null) {
            known.client().close();
        }
        if (http == null) {
            http = HttpClientUtils.getHttpClientFactory();
        }
        // authenticated by its token like any client; named a controller so that tests count only meshfed's requests
        Config config = new ConfigBuilder(Config.fromKubeconfig(kubeconfig)).withRequestRetryBackoffLimit(0)
                .withUserAgent(ApiProxy.CONTROLLER_AGENT)
                .withConnectionTimeout(5_000).withRequestTimeout(10_000).build();
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(http).build();
        remotes.put(key, new Remote(kubeconfig, client));
        return client;
    }

    /** EndpointSlices by the Service they belong to ({@code namespace/name}). */
    private static Map<String, List<EndpointSlice>> slicesByService(List<EndpointSlice> slices) {
        Map<String, List<EndpointSlice>> by = new HashMap<>();
        for (EndpointSlice slice : slices) {
            String service = slice.getMetadata().getLabels() == null ? null
                    : slice.getMetadata().getLabels().get(EndpointSliceController.SERVICE_NAME);
            if (service != null) {
                by.computeIfAbsent(slice.getMetadata().getNamespace() + "/" + service, k -> new ArrayList<>()).add(slice);
            }
        }
        return by;
    }

    /** The ready endpoints of a Service's slices, each as the pod it targets, at the slice's first port. */
    private static void pods(List<EndpointSlice> slices, String cluster, String network, List<Map<String, Object>> into) {
        for (EndpointSlice slice : slices) {
            int port = slice.getPorts() == null || slice.getPorts().isEmpty() ? 80 : slice.getPorts().get(0).getPort();
            for (var e : slice.getEndpoints() == null ? List.<io.fabric8.kubernetes.api.model.discovery.v1.Endpoint>of()
                    : slice.getEndpoints()) {
                if (e.getConditions() == null || !Boolean.FALSE.equals(e.getConditions().getReady())) {
                    String pod = e.getTargetRef() != null ? e.getTargetRef().getName() : e.getAddresses().get(0);
                    into.add(endpoint("pod " + pod, port, cluster, network, 1));
                }
            }
        }
    }

    private static String key(Service s) {
        return s.getMetadata().getNamespace() + "/" + s.getMetadata().getName();
    }

    private static Map<String, Object> endpoint(String address, int port, String cluster, String network, int weight) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("address", address);
        e.put("port", port);
        e.put("cluster", cluster);
        e.put("network", network);
        e.put("weight", weight);
        return e;
    }

    private static String host(Service s) {
        return s.getMetadata().getName() + "." + s.getMetadata().getNamespace() + ".svc.cluster.local";
    }

    /**
     * What istiod answers on {@code /debug/clusterz} (port 15014; {@code istioctl remote-clusters} reads it): the
     * local cluster, then each remote one it reads, with its secret and sync status — {@code synced}, or
     * {@code timeout} where its informers never synced (a token refused, a server unreachable, a list forbidden:
     * istiod gives up waiting after its remote-cluster timeout). A secret key naming the local cluster is not listed.
     */
    private static List<Map<String, Object>> clusterz(String self, List<Map<String, Object>> clusters) {
        List<Map<String, Object>> out = new ArrayList<>();
        out.add(Map.of("id", self, "secretName", "", "syncStatus", "synced"));
        for (Map<String, Object> c : clusters.stream().sorted(java.util.Comparator.comparing(c -> c.get("cluster") + "/"
                + c.get("secret"))).toList()) {
            String status = String.valueOf(c.get("status"));
            if (!status.startsWith("ignored")) {
                out.add(Map.of("id", c.get("cluster"), "secretName", c.get("secret"),
                        "syncStatus", status.equals("synced") ? "synced" : "timeout"));
            }
        }
        return out;
    }

    private void publish(String ns, List<Map<String, Object>> clusters, Map<String, List<Map<String, Object>>> endpoints,
                         List<Map<String, Object>> clusterz) {
        clusters.sort(java.util.Comparator.comparing(c -> String.valueOf(c.get("cluster"))));
        Map<String, String> data = Map.of("remote-clusters", Serialization.asJson(clusters),
                "endpoints", Serialization.asJson(endpoints), CLUSTERZ, Serialization.asJson(clusterz));
        var existing = api.configMap(ns, VIEW);
        if (existing != null && data.equals(existing.getData())) {
            return;
        }
        api.client().configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName(VIEW)
                .withNamespace(ns).endMetadata().withData(data).build()).serverSideApply();
    }

    private static String reason(RuntimeException e) {
        return e instanceof KubernetesClientException k ? io.meshfed.provisioner.apply.RetryPolicy.message(k)
                : String.valueOf(e.getMessage());
    }
}
