package io.meshfed.model.doctor;

import io.meshfed.model.resource.Tree;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Manual service discovery across networks, as a federation migrating to OSSM 3 builds it beside the federation
 * (the migration guide's "Export services" and "Import services"): for every ServiceEntry of an importing mesh
 * (MESH_INTERNAL, STATIC) whose WorkloadEntries are on another network (one selecting Pods is a local service), the path its clients take — the
 * {@code istio-remote} Gateway of that network and its address, the exporter's east-west gateway answering at that
 * address, the exporter's AUTO_PASSTHROUGH Gateway letting the host through, the exporter's Service or ServiceEntry
 * for the host, and the exporter's mesh accepting the importer's trust domain. One finding per importer and network.
 */
final class DiscoveryChecks {

    static final String CHECK = "manual discovery";
    private static final String NETWORK_LABEL = "topology.istio.io/network";
    private static final String GATEWAY_NAME_LABEL = "istio.io/gateway-name";

    private DiscoveryChecks() {
    }

    /** What {@code mesh}'s clients get for each host discovered by hand, by the network its endpoints are on. */
    static List<Finding> check(ClusterSnapshot mesh, List<ClusterSnapshot> clusters) {
        Object ownNetwork = mesh.network();
        Map<String, List<String>> hostsByNetwork = new LinkedHashMap<>();
        for (Map<String, Object> entry : mesh.all("ServiceEntry")) {
            if (!"MESH_INTERNAL".equals(Tree.get(entry, "spec", "location")) || !"STATIC".equals(Tree.get(entry, "spec", "resolution"))
                    || !(Tree.get(entry, "spec", "workloadSelector", "labels") instanceof Map<?, ?> selector)) {
                continue;
            }
            List<Map<String, Object>> workloads = mesh.all("WorkloadEntry", ClusterSnapshot.namespace(entry)).stream()
                    .filter(w -> Tree.get(w, "metadata", "labels") instanceof Map<?, ?> labels
                            && labels.entrySet().containsAll(selector.entrySet())).toList();
            List<String> hosts = hosts(entry);
            for (Map<String, Object> workload : workloads) {
                Object network = Tree.get(workload, "spec", "network");
                if (network != null && !network.equals(ownNetwork)) {
                    hostsByNetwork.computeIfAbsent(network.toString(), n -> new ArrayList<>()).addAll(hosts);
                }
            }
        }
        List<Finding> findings = new ArrayList<>();
        hostsByNetwork.forEach((network, hosts) -> findings.add(network(mesh, clusters, network, hosts.stream().distinct().toList())));
        return findings;
    }

    private static Finding network(ClusterSnapshot mesh, List<ClusterSnapshot> clusters, String network, List<String> hosts) {
        Optional<Map<String, Object>> remote = mesh.all(ClusterSnapshot.KUBE_GATEWAY).stream()
                .filter(g -> "istio-remote".equals(Tree.get(g, "spec", "gatewayClassName"))
                        && network.equals(Tree.get(g, "metadata", "labels", NETWORK_LABEL))).findFirst();
        if (remote.isEmpty()) {
            return Finding.fail(mesh.cluster(), null, CHECK, hosts.size() + " host(s) have WorkloadEntries on network " + network
                    + ", and no istio-remote Gateway is on it: istiod has no address for them (" + String.join(", ", hosts) + ")",
                    "create an istio-remote Gateway labelled " + NETWORK_LABEL + "=" + network + " at the exporter's east-west "
                            + "address (meshfed migrate apply does)");
        }
        Object address = Tree.get(remote.get(), "spec", "addresses") instanceof List<?> a && !a.isEmpty()
                && a.get(0) instanceof Map<?, ?> first ? first.get("value") : null;
        String gatewayWhere = MeshObjects.where(mesh.cluster(), remote.get());
        if (address == null) {
            return Finding.fail(mesh.cluster(), null, CHECK, gatewayWhere + " has no address", "set spec.addresses to the "
                    + "exporter's east-west gateway address");
        }
        for (ClusterSnapshot other : clusters) {
            for (Map<String, Object> service : other.all("Service")) {
                if (other != mesh && address.equals(MeshObjects.loadBalancerAddress(service))
                        && Tree.get(service, "metadata", "labels", GATEWAY_NAME_LABEL) != null) {
                    return exporter(mesh, other, service, gatewayWhere, address, hosts);
                }
            }
        }
        return Finding.fail(mesh.cluster(), null, CHECK, gatewayWhere + " sends " + network + "'s traffic to " + address
                + ", where no cluster's east-west gateway answers", "point it at the exporter's east-west gateway address "
                + "(meshfed migrate apply reads it from the exporter)");
    }

    /** The exporter side of one network: what its east-west gateway at {@code address} does with each host. */
    @SuppressWarnings("unchecked")
    private static Finding exporter(ClusterSnapshot mesh, ClusterSnapshot exporter, Map<String, Object> eastWest,
                                    String gatewayWhere, Object address, List<String> hosts) {
        Map<String, Object> labels = (Map<String, Object>) Tree.get(eastWest, "metadata", "labels");
        List<String> problems = new ArrayList<>();
        List<String> fixes = new ArrayList<>();
        List<String> notPassed = hosts.stream().filter(h -> !passedThrough(exporter, labels, h)).toList();
        if (!notPassed.isEmpty()) {
            problems.add("its east-west gateway passes " + String.join(", ", notPassed) + " through nowhere");
            fixes.add("list them in an AUTO_PASSTHROUGH Gateway on 15443 selecting " + GATEWAY_NAME_LABEL + "="
                    + labels.get(GATEWAY_NAME_LABEL) + " on " + exporter.cluster());
        }
        List<String> unserved = hosts.stream().filter(h -> !served(exporter, h)).toList();
        if (!unserved.isEmpty()) {
            problems.add(exporter.cluster() + " has no Service or ServiceEntry for " + String.join(", ", unserved));
            fixes.add("create a ServiceEntry for each on " + exporter.cluster() + " selecting the exported Service's workloads");
        }
        String trust = mesh.trustDomain();
        if (!exporter.accepts(trust)) {
            problems.add(exporter.cluster() + "'s mesh does not accept trust domain " + trust);
            fixes.add("add " + trust + (exporter.controlPlane().isPresent() ? " to techPreview.meshConfig.trustDomainAliases of "
                    + exporter.cluster() + "'s control plane" : " to values.meshConfig.trustDomainAliases of " + exporter.cluster() + "'s Istio"));
        }
        String path = gatewayWhere + " -> " + address + " (" + MeshObjects.where(exporter.cluster(), eastWest) + ")";
        return problems.isEmpty()
                ? Finding.ok(mesh.cluster(), exporter.cluster(), CHECK, hosts.size() + " host(s) reach " + exporter.cluster()
                        + "'s workloads through " + path)
                : Finding.fail(mesh.cluster(), exporter.cluster(), CHECK, path + ": " + String.join("; ", problems),
                        String.join("; ", fixes));
    }

    @SuppressWarnings("unchecked")
    private static boolean passedThrough(ClusterSnapshot exporter, Map<String, Object> gatewayLabels, String host) {
        for (Map<String, Object> gateway : exporter.all("Gateway")) {
            if (!(Tree.get(gateway, "spec", "selector") instanceof Map<?, ?> selector)
                    || !gatewayLabels.entrySet().containsAll(selector.entrySet())) {
                continue;
            }
            for (Map<String, Object> server : Tree.maps(gateway, "spec", "servers")) {
                if (Tree.get(server, "port", "number") instanceof Number n && n.intValue() == 15443
                        && "AUTO_PASSTHROUGH".equals(Tree.get(server, "tls", "mode"))
                        && server.get("hosts") instanceof List<?> listed && (listed.contains(host) || listed.contains("*"))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean served(ClusterSnapshot exporter, String host) {
        return exporter.all("Service").stream().anyMatch(s -> host.equals(ClusterSnapshot.name(s) + "." + ClusterSnapshot.namespace(s)
                + ".svc.cluster.local")) || exporter.all("ServiceEntry").stream().anyMatch(e -> hosts(e).contains(host));
    }

    private static List<String> hosts(Map<String, Object> entry) {
        return Tree.get(entry, "spec", "hosts") instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
    }
}
