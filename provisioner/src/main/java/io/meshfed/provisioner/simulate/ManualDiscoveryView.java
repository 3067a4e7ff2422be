package io.meshfed.provisioner.simulate;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * What an OSSM 2.6 istiod gives a client sidecar for each imported host while a federation migrates (its control
 * plane has Gateway API on), simulated where it decides whether a request arrives: the federation's path (the
 * ImportedServiceSet lists the host and its peer is connected: through the egress gateway) and manual discovery's
 * (a MESH_INTERNAL ServiceEntry, the WorkloadEntries it selects, the address of the {@code istio-remote} Gateway on
 * their network, filled in as PILOT_MULTI_NETWORK_DISCOVER_GATEWAY_API does). The second path is followed to the
 * cluster answering at that address: its east-west gateway must pass the host through (an AUTO_PASSTHROUGH Gateway
 * selecting it, listing the host), it must have a Service or ServiceEntry for the host, and its mesh must accept the
 * client's trust domain. The view goes to ConfigMap {@value SimulatedIstiod#DISCOVERY_VIEW} in the mesh namespace, key
 * {@code endpoints}: per host, each path, reachable or why not.
 */
final class ManualDiscoveryView implements Controller {

    private final ClusterApi api;
    private final Supplier<List<SimulatedCluster>> clusters;

    ManualDiscoveryView(SimulatedCluster self, Supplier<List<SimulatedCluster>> clusters) {
        this.api = self.api();
        this.clusters = clusters;
    }

    @Override
    public String name() {
        return "manual-discovery";
    }

    @Override
    public Set<String> watches() {
        return Set.of("serviceentries", "workloadentries", "gateways", "importedservicesets", "servicemeshpeers", "services",
                "servicemeshcontrolplanes", "istios");
    }

    @Override
    public Set<String> watchesRemote() {
        return Set.of("services", "gateways", "serviceentries", "servicemeshcontrolplanes", "istios");
    }

    @Override
    public Duration reconcile() {
        java.util.Set<String> planes = new java.util.HashSet<>();
        for (GenericKubernetesResource smcp : api.list(Kinds.SMCP)) {
            String ns = smcp.getMetadata().getNamespace();
            planes.add(ns);
            Map<String, Object> spec = ClusterApi.map(smcp, "spec");
            if (Boolean.TRUE.equals(MaistraController.path(spec, "techPreview", "gatewayAPI", "enabled"))) {
                publish(ns, endpoints(ns, (String) MaistraController.path(spec, "security", "trust", "domain"),
                        (String) MaistraController.path(spec, "cluster", "network")));
            } else if (api.configMap(ns, SimulatedIstiod.DISCOVERY_VIEW) != null) {
                api.client().configMaps().inNamespace(ns).withName(SimulatedIstiod.DISCOVERY_VIEW).delete();
            }
        }
        // an Istio alone in its namespace (2.6 removed after the migration): its istiod reads Gateway API always
        for (GenericKubernetesResource istio : api.list(Kinds.ISTIO)) {
            Map<String, Object> spec = ClusterApi.map(istio, "spec");
            String ns = String.valueOf(spec.getOrDefault("namespace", "istio-system"));
            if (planes.add(ns) && MaistraController.path(spec, "values", "global", "multiCluster", "clusterName") == null) {
                publish(ns, endpoints(ns, (String) MaistraController.path(spec, "values", "meshConfig", "trustDomain"),
                        (String) MaistraController.path(spec, "values", "global", "network")));
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private Map<String, List<Map<String, Object>>> endpoints(String ns, String trustDomain, String network) {
        Map<String, List<Map<String, Object>>> view = new TreeMap<>();
        for (GenericKubernetesResource imports : api.list(Kinds.IMPORTS, ns)) {
            String peer = imports.getMetadata().getName();
            boolean connected = api.list(Kinds.PEER, ns).stream().anyMatch(p -> p.getMetadata().getName().equals(peer)
                    && connected(p));
            for (Object s : (List<Object>) ClusterApi.map(imports, "status").getOrDefault("importedServices", List.of())) {
                Object host = MaistraController.path((Map<String, Object>) s, "localService", "hostname");
                if (host != null) {
                    view.computeIfAbsent((String) host, h -> new ArrayList<>()).add(path("federation", "egress-" + peer,
                            connected ? null : "ServiceMeshPeer " + peer + " is not connected"));
                }
            }
        }
        for (GenericKubernetesResource entry : api.list(Kinds.SERVICE_ENTRY)) {
            Map<String, Object> spec = ClusterApi.map(entry, "spec");
            Object selector = MaistraController.path(spec, "workloadSelector", "labels");
            if (!"MESH_INTERNAL".equals(spec.get("location")) || !"STATIC".equals(spec.get("resolution"))
                    || !(selector instanceof Map<?, ?> labels)) {
                continue;
            }
            List<GenericKubernetesResource> workloads = api.list(Kinds.WORKLOAD_ENTRY, entry.getMetadata().getNamespace()).stream()
                    .filter(w -> w.getMetadata().getLabels() != null && w.getMetadata().getLabels().entrySet().containsAll(labels.entrySet()))
                    .toList();
            for (Object h : (List<Object>) spec.getOrDefault("hosts", List.of())) {
                String host = String.valueOf(h);
                // an entry selecting no WorkloadEntry selects Pods (an exporter's own workloads), and one on this
                // network is local: neither is the cross-network path
                for (GenericKubernetesResource workload : workloads) {
                    String on = (String) ClusterApi.map(workload, "spec").get("network");
                    if (on != null && !on.equals(network)) {
                        view.computeIfAbsent(host, k -> new ArrayList<>()).add(crossNetwork(host, on, trustDomain));
                    }
                }
            }
        }
        return view;
    }

    /** The east-west path of one host through the {@code istio-remote} Gateway of network {@code on}. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> crossNetwork(String host, String on, String trustDomain) {
        String address = api.list(Kinds.KUBE_GATEWAY).stream()
                .filter(g -> "istio-remote".equals(ClusterApi.map(g, "spec").get("gatewayClassName")))
                .filter(g -> g.getMetadata().getLabels() != null && on.equals(g.getMetadata().getLabels().get("topology.istio.io/network")))
                .map(g -> (List<Object>) ClusterApi.map(g, "spec").get("addresses"))
                .filter(a -> a != null && !a.isEmpty())
                .map(a -> (String) ((Map<String, Object>) a.get(0)).get("value")).findFirst().orElse(null);
        if (address == null) {
            return path("east-west", null, "no istio-remote Gateway with an address is on network " + on
                    + ": istiod has no address for its WorkloadEntries");
        }
        String via = address + ":15443";
        for (SimulatedCluster remote : clusters.get()) {
            for (Service gateway : remote.api().services()) {
                Map<String, String> labels = gateway.getMetadata().getLabels() == null ? Map.of() : gateway.getMetadata().getLabels();
                if (!address.equals(LoadBalancerController.address(gateway))
                        || !labels.containsKey(GatewayApiController.GATEWAY_NAME_LABEL)) {
                    continue;
                }
                String why = reasonUnserved(remote, labels, host, trustDomain);
                return path("east-west", via + " (" + remote.name() + ")", why);
            }
        }
        return path("east-west", via, "no cluster's east-west gateway answers at " + address);
    }

    /** Why {@code remote}'s east-west gateway does not bring {@code host} to its workloads, or null. */
    @SuppressWarnings("unchecked")
    private static String reasonUnserved(SimulatedCluster remote, Map<String, String> gatewayLabels, String host, String trustDomain) {
        ClusterApi r = remote.api();
        boolean passed = r.list(Kinds.ISTIO_GATEWAY).stream().map(g -> ClusterApi.map(g, "spec")).anyMatch(spec ->
                spec.get("selector") instanceof Map<?, ?> selector && gatewayLabels.entrySet().containsAll(selector.entrySet())
                        && ((List<Object>) spec.getOrDefault("servers", List.of())).stream().map(s -> (Map<String, Object>) s)
                        .anyMatch(s -> Objects.equals(15443, number(MaistraController.path(s, "port", "number")))
                                && "AUTO_PASSTHROUGH".equals(MaistraController.path(s, "tls", "mode"))
                                && s.get("hosts") instanceof List<?> hosts && (hosts.contains(host) || hosts.contains("*"))));
        if (!passed) {
            return remote.name() + "'s east-west gateway passes no " + host + " through (no AUTO_PASSTHROUGH Gateway on 15443 lists it)";
        }
        boolean served = r.services().stream().anyMatch(s -> host.equals(s.getMetadata().getName() + "." + s.getMetadata().getNamespace()
                + ".svc.cluster.local"))
                || r.list(Kinds.SERVICE_ENTRY).stream().anyMatch(e -> ClusterApi.map(e, "spec").get("hosts") instanceof List<?> hosts
                && hosts.contains(host));
        if (!served) {
            return remote.name() + " has no Service or ServiceEntry for " + host;
        }
        boolean accepts = r.list(Kinds.SMCP).stream().map(s -> ClusterApi.map(s, "spec")).anyMatch(spec ->
                Objects.equals(trustDomain, MaistraController.path(spec, "security", "trust", "domain"))
                        || MaistraController.path(spec, "techPreview", "meshConfig", "trustDomainAliases") instanceof List<?> aliases
                        && aliases.contains(trustDomain))
                || r.list(Kinds.ISTIO).stream().map(i -> ClusterApi.map(i, "spec")).anyMatch(spec ->
                Objects.equals(trustDomain, MaistraController.path(spec, "values", "meshConfig", "trustDomain"))
                        || MaistraController.path(spec, "values", "meshConfig", "trustDomainAliases") instanceof List<?> aliases
                        && aliases.contains(trustDomain));
        return accepts ? null : remote.name() + "'s mesh does not accept trust domain " + trustDomain + " (trustDomainAliases)";
    }

    private static Integer number(Object value) {
        return value instanceof Number n ? n.intValue() : null;
    }

    private static Map<String, Object> path(String kind, String via, String unreachable) {
        Map<String, Object> path = new LinkedHashMap<>();
        path.put("path", kind);
        if (via != null) {
            path.put("via", via);
        }
        path.put("reachable", unreachable == null);
        if (unreachable != null) {
            path.put("reason", unreachable);
        }
        return path;
    }

    @SuppressWarnings("unchecked")
    private static boolean connected(GenericKubernetesResource peer) {
        Object active = MaistraController.path(ClusterApi.map(peer, "status"), "discoveryStatus", "active");
        return active instanceof List<?> l && !l.isEmpty()
                && Boolean.TRUE.equals(((Map<String, Object>) ((Map<String, Object>) l.get(0)).get("watch")).get("connected"));
    }

    private void publish(String ns, Map<String, List<Map<String, Object>>> endpoints) {
        Map<String, String> data = Map.of("endpoints", Serialization.asJson(endpoints));
        var existing = api.configMap(ns, SimulatedIstiod.DISCOVERY_VIEW);
        if (existing != null && data.equals(existing.getData())) {
            return;
        }
        api.client().configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName(SimulatedIstiod.DISCOVERY_VIEW)
                .withNamespace(ns).endMetadata().withData(data).build()).serverSideApply();
    }
}
