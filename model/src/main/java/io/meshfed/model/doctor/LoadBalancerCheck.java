package io.meshfed.model.doctor;

import io.meshfed.model.resource.Tree;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.meshfed.model.doctor.MeshObjects.where;

/**
 * MetalLB, where a cluster uses it (issue 12 §8): the pools and their advertisements are in the
 * MetalLB operand's namespace (MetalLB reads no other; the seed puts them in openshift-operators while
 * the operand is in openshift-metallb), every pool is advertised, and the federation ingress
 * gateways' addresses come from an advertised pool.
 */
final class LoadBalancerCheck {

    private static final String CHECK = "load balancer";
    private static final List<String> ADVERTISEMENTS = List.of("L2Advertisement", "BGPAdvertisement");

    private LoadBalancerCheck() {
    }

    /** The finding, or empty where the cluster has no MetalLB (its load balancers are the cloud's). */
    static Optional<Finding> check(ClusterSnapshot mesh) {
        List<Map<String, Object>> operands = mesh.all("MetalLB");
        List<Map<String, Object>> pools = mesh.all("IPAddressPool");
        if (operands.isEmpty() && pools.isEmpty()) {
            return Optional.empty();
        }
        String cluster = mesh.cluster();
        if (operands.isEmpty()) {
            return Optional.of(Finding.fail(cluster, null, CHECK, "IPAddressPools " + refs(pools) + " on " + cluster
                    + ", but no MetalLB resource: nothing hands their addresses out", "create the MetalLB resource in the "
                    + "MetalLB operator's namespace on " + cluster));
        }
        String namespace = ClusterSnapshot.namespace(operands.get(0));
        String operand = where(cluster, operands.get(0));
        List<String> problems = new ArrayList<>();
        List<String> fixes = new ArrayList<>();
        List<Map<String, Object>> advertisements = new ArrayList<>();
        ADVERTISEMENTS.forEach(kind -> advertisements.addAll(mesh.all(kind)));
        List<Map<String, Object>> misplaced = concat(pools, advertisements).stream()
                .filter(o -> !namespace.equals(ClusterSnapshot.namespace(o))).toList();
        if (!misplaced.isEmpty()) {
            problems.add(String.join(", ", misplaced.stream().map(o -> where(cluster, o)).toList()) + (misplaced.size() == 1
                    ? " is" : " are") + " not in " + namespace + ", the only namespace " + operand + " reads");
            fixes.add("create " + String.join(" and ", misplaced.stream().map(o -> o.get("kind") + " "
                    + ClusterSnapshot.name(o)).toList()) + " in " + namespace + " (and delete " + (misplaced.size() == 1
                    ? "it" : "them") + " where " + (misplaced.size() == 1 ? "it is" : "they are") + ")");
        }
        List<Map<String, Object>> advertised = new ArrayList<>();
        for (Map<String, Object> pool : mesh.all("IPAddressPool", namespace)) {
            String name = ClusterSnapshot.name(pool);
            boolean announced = advertisements.stream().filter(a -> namespace.equals(ClusterSnapshot.namespace(a)))
                    .anyMatch(a -> {
                        List<String> named = MeshObjects.strings(Tree.get(a, "spec", "ipAddressPools"));
                        return named.isEmpty() && Tree.get(a, "spec", "ipAddressPoolSelectors") == null || named.contains(name);
                    });
            if (announced) {
                advertised.add(pool);
            } else {
                problems.add(where(cluster, pool) + " is named by no L2Advertisement or BGPAdvertisement in " + namespace
                        + ": its addresses are not announced");
                fixes.add("create an L2Advertisement in " + namespace + " with ipAddressPools: [" + name + "]");
            }
        }
        Set<String> addresses = new LinkedHashSet<>();
        // addresses are judged once the pools are where MetalLB reads them: before, a missing address follows from that
        for (Map<String, Object> ingress : problems.isEmpty() ? federationIngresses(mesh) : List.<Map<String, Object>>of()) {
            Object address = MeshObjects.loadBalancerAddress(ingress);
            if (address == null) {
                problems.add(where(cluster, ingress) + " has no address though " + refs(advertised) + " are advertised");
                fixes.add("add free addresses to " + refs(advertised) + " on " + cluster);
                continue;
            }
            addresses.add(address.toString());
            if (advertised.stream().noneMatch(p -> Ipv4Ranges.contains(MeshObjects.strings(Tree.get(p, "spec", "addresses")),
                    address.toString()))) {
                problems.add(where(cluster, ingress) + " has " + address + ", from none of the advertised pools "
                        + refs(advertised));
                fixes.add("see which load balancer gave " + address + " to " + where(cluster, ingress));
            }
        }
        return Optional.of(problems.isEmpty()
                ? Finding.ok(cluster, null, CHECK, operand + " announces " + refs(advertised) + "; federation ingress "
                        + "addresses " + addresses + " are from them")
                : Finding.fail(cluster, null, CHECK, String.join("; ", problems), String.join("; ", fixes)));
    }

    /** The mesh's ingress gateways for its peers (by the names its peer objects give). */
    private static List<Map<String, Object>> federationIngresses(ClusterSnapshot mesh) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> peer : mesh.peers()) {
            Object name = Tree.get(peer, "spec", "gateways", "ingress", "name");
            mesh.service(ClusterSnapshot.namespace(peer), String.valueOf(name)).ifPresent(out::add);
        }
        return out;
    }

    private static List<String> refs(List<Map<String, Object>> objects) {
        return objects.stream().map(MeshObjects::ref).toList();
    }

    private static List<Map<String, Object>> concat(List<Map<String, Object>> a, List<Map<String, Object>> b) {
        List<Map<String, Object>> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
