package io.meshfed.model.doctor;

import io.meshfed.model.resource.Tree;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Reading Maistra's, Istio's and Kubernetes' objects as the doctor needs them: where they are, and their values. */
final class MeshObjects {

    static final String DEFAULT_TRUST_DOMAIN = "cluster.local";

    private MeshObjects() {
    }

    /** {@code namespace/name}. */
    static String ref(Map<String, Object> object) {
        String ns = ClusterSnapshot.namespace(object);
        return ns == null ? ClusterSnapshot.name(object) : ns + "/" + ClusterSnapshot.name(object);
    }

    /** {@code cluster/Kind namespace/name}: where an object was read, as findings cite it. */
    static String where(String cluster, Map<String, Object> object) {
        return cluster + "/" + object.get("kind") + " " + ref(object);
    }

    static String trustDomain(Map<String, Object> smcp) {
        return Objects.toString(Tree.get(smcp, "spec", "security", "trust", "domain"), DEFAULT_TRUST_DOMAIN);
    }

    static Object loadBalancerAddress(Map<String, Object> service) {
        if (Tree.get(service, "status", "loadBalancer", "ingress") instanceof List<?> ingress && !ingress.isEmpty()
                && ingress.get(0) instanceof Map<?, ?> first) {
            return first.get("ip") != null ? first.get("ip") : first.get("hostname");
        }
        return null;
    }

    /** The Service's ports ({@code port}, or {@code nodePort} when {@code node}). */
    static List<Integer> ports(Map<String, Object> service, boolean node) {
        List<Integer> ports = new ArrayList<>();
        for (Map<String, Object> port : Tree.maps(service, "spec", "ports")) {
            if (port.get(node ? "nodePort" : "port") instanceof Number n) {
                ports.add(n.intValue());
            }
        }
        return ports;
    }

    static String condition(Map<String, Object> object, String type, String field) {
        for (Map<String, Object> c : Tree.maps(object, "status", "conditions")) {
            if (type.equals(c.get("type"))) {
                return Objects.toString(c.get(field), null);
            }
        }
        return null;
    }

    static List<String> strings(Object list) {
        List<String> out = new ArrayList<>();
        if (list instanceof List<?> l) {
            l.forEach(o -> out.add(String.valueOf(o)));
        }
        return out;
    }
}
