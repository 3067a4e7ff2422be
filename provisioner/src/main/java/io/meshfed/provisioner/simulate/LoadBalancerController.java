package io.meshfed.provisioner.simulate;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.Service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gives LoadBalancer Services their address. On a cluster with a cloud load balancer: a hostname where
 * the Service asks for an AWS load balancer (its annotations), as AWS's are known by name; an IP
 * otherwise, as Azure's, GCP's and OpenStack's are.
 * Otherwise MetalLB, simulated: an address from an IPAddressPool, only when the MetalLB operand, the
 * pool and an L2Advertisement of that pool all exist in one namespace; otherwise the Service stays
 * pending, as it does on a bare-metal cluster without MetalLB.
 */
final class LoadBalancerController implements Controller {

    private final ClusterApi api;
    private final String clusterName;
    private final boolean cloud;
    private final int clusterNumber;

    /** @param clusterNumber this cluster's place in its simulation: its cloud IPs differ from every other cluster's */
    LoadBalancerController(ClusterApi api, String clusterName, boolean cloud, int clusterNumber) {
        this.clusterNumber = clusterNumber;
        this.api = api;
        this.clusterName = clusterName;
        this.cloud = cloud;
    }

    @Override
    public String name() {
        return "load-balancer";
    }

    @Override
    public Set<String> watches() {
        return Set.of("services", "metallbs", "ipaddresspools", "l2advertisements");
    }

    /** Addresses handed out, by Service uid, and when: the cache may not show them yet (MetalLB keeps its allocator's state too). */
    private final Map<String, Map.Entry<String, Long>> handedOut = new HashMap<>();

    @Override
    public Duration reconcile() {
        List<Service> services = api.services();
        Set<String> uids = new HashSet<>();
        services.forEach(s -> uids.add(s.getMetadata().getUid()));
        long now = System.nanoTime();
        handedOut.entrySet().removeIf(e -> !uids.contains(e.getKey()) && now - e.getValue().getValue() > 5_000_000_000L);
        Set<String> used = new HashSet<>();
        handedOut.values().forEach(e -> used.add(e.getKey()));
        List<Service> pending = new ArrayList<>();
        for (Service s : services) {
            if (!"LoadBalancer".equals(s.getSpec().getType())) {
                continue;
            }
            String address = address(s);
            if (address == null) {
                pending.add(s);
            } else {
                used.add(address);
            }
        }
        for (Service s : pending) {
            boolean hostname = cloud && publishesHostname(s);
            String address = hostname ? s.getMetadata().getName() + "-" + s.getMetadata().getNamespace() + "." + clusterName
                    + ".elb.simulated" : cloud ? cloudAddress(used) : allocate(used);
            if (address == null) {
                continue;
            }
            used.add(address);
            // from the server's object: a status update carries the whole object (see ClusterApi.setStatus)
            Service fresh = api.client().services().inNamespace(s.getMetadata().getNamespace()).withName(s.getMetadata().getName())
                    .get();
            if (fresh == null || address(fresh) != null) {
                continue;
            }
            Service assigned = new io.fabric8.kubernetes.api.model.ServiceBuilder(fresh).withStatus(
                    new io.fabric8.kubernetes.api.model.ServiceStatusBuilder().withNewLoadBalancer()
                            .withIngress(hostname ? new LoadBalancerIngressBuilder().withHostname(address).build()
                                    : new LoadBalancerIngressBuilder().withIp(address).build())
                            .endLoadBalancer().build()).build();
            api.client().services().inNamespace(s.getMetadata().getNamespace()).resource(assigned).updateStatus();
            handedOut.put(fresh.getMetadata().getUid(), Map.entry(address, System.nanoTime()));
        }
        return null;
    }

    static String address(Service s) {
        if (s.getStatus() == null || s.getStatus().getLoadBalancer() == null
                || s.getStatus().getLoadBalancer().getIngress() == null || s.getStatus().getLoadBalancer().getIngress().isEmpty()) {
            return null;
        }
        var ingress = s.getStatus().getLoadBalancer().getIngress().get(0);
        return ingress.getIp() != null ? ingress.getIp() : ingress.getHostname();
    }

    /** AWS's load balancers (the Service asks for one by its annotations) publish a hostname; other clouds an IP. */
    private static boolean publishesHostname(Service s) {
        Map<String, String> annotations = s.getMetadata().getAnnotations();
        return annotations != null && annotations.keySet().stream().anyMatch(k -> k.startsWith("service.beta.kubernetes.io/aws-"));
    }

    /** A cloud's public IP: 198.18.<this cluster's number>.10 and up (the benchmarking range: never a real address). */
    private String cloudAddress(Set<String> used) {
        for (int host = 10; host < 255; host++) {
            String ip = "198.18." + clusterNumber + "." + host;
            if (!used.contains(ip)) {
                return ip;
            }
        }
        return null;
    }

    /** The first free address of an advertised pool in the MetalLB operand's namespace, or null. */
    @SuppressWarnings("unchecked")
    private String allocate(Set<String> used) {
        for (GenericKubernetesResource operand : api.list(Kinds.METALLB)) {
            String ns = operand.getMetadata().getNamespace();
            List<GenericKubernetesResource> advertisements = api.list(Kinds.L2_ADVERTISEMENT, ns);
            for (GenericKubernetesResource pool : api.list(Kinds.IP_POOL, ns)) {
                String poolName = pool.getMetadata().getName();
                boolean advertised = advertisements.stream().anyMatch(a -> {
                    List<String> pools = (List<String>) ClusterApi.map(a, "spec").get("ipAddressPools");
                    return pools == null || pools.isEmpty() || pools.contains(poolName);
                });
                if (!advertised) {
                    continue;
                }
                for (String range : (List<String>) ClusterApi.map(pool, "spec").getOrDefault("addresses", List.of())) {
                    String free = firstFree(range, used);
                    if (free != null) {
                        return free;
                    }
                }
            }
        }
        return null;
    }

    /** IPv4 ranges and CIDRs (the simulation hands out IPv4 only). */
    static String firstFree(String range, Set<String> used) {
        long low;
        long high;
        if (range.contains("/")) {
            String[] parts = range.split("/");
            int prefix = Integer.parseInt(parts[1].trim());
            long base = ipv4(parts[0].trim());
            long size = 1L << (32 - prefix);
            low = prefix >= 31 ? base : (base & ~(size - 1)) + 1;   // skip the network address
            high = prefix >= 31 ? base + size - 1 : (base & ~(size - 1)) + size - 2;   // and the broadcast
        } else if (range.contains("-")) {
            String[] parts = range.split("-");
            low = ipv4(parts[0].trim());
            high = ipv4(parts[1].trim());
        } else {
            return null;
        }
        for (long a = low; a <= high && a - low < 65_536; a++) {
            String ip = ((a >> 24) & 255) + "." + ((a >> 16) & 255) + "." + ((a >> 8) & 255) + "." + (a & 255);
            if (!used.contains(ip)) {
                return ip;
            }
        }
        return null;
    }

    private static long ipv4(String ip) {
        String[] o = ip.split("\\.");
        if (o.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + ip);
        }
        long v = 0;
        for (String part : o) {
            v = v * 256 + Integer.parseInt(part);
        }
        return v;
    }
}
