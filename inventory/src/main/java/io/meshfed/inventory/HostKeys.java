package io.meshfed.inventory;

import io.meshfed.model.text.Suggestions;
import io.meshfed.inventory.yaml.Located;

import java.util.List;
import java.util.Map;

/**
 * meshfed's own host variables. Other variables are the user's, as in Ansible, except that a key
 * with one of meshfed's prefixes, or one a typo away from a meshfed key, must be a meshfed key.
 */
final class HostKeys {

    static final String KUBE_CONTEXT = "kube_context";
    static final String KUBECONFIG = "kubeconfig";
    static final String KUBE_IN_CLUSTER = "kube_in_cluster";
    static final String MESH_NAME = "mesh_name";
    static final String MESH_NAMESPACE = "mesh_namespace";
    static final String MESH_TRUST_DOMAIN = "mesh_trust_domain";
    static final String MESH_VERSION = "mesh_version";
    static final String MESH_MEMBERS = "mesh_members";
    static final String MESH_MANIFESTS = "mesh_manifests";
    static final String MESH_MANIFESTS_NAMESPACE = "mesh_manifests_namespace";
    static final String MESH_SMCP_OVERRIDES = "mesh_smcp_overrides";
    static final String LOAD_BALANCER = "load_balancer";
    static final String LOAD_BALANCER_ANNOTATIONS = "load_balancer_annotations";
    static final String METALLB_ADDRESSES = "metallb_addresses";
    static final String METALLB_NAMESPACE = "metallb_namespace";
    static final String METALLB_POOL_NAME = "metallb_pool_name";
    static final String OPERATORS = "operators";
    static final String OPERATOR_SOURCE = "operator_source";
    static final String OPERATOR_SOURCE_NAMESPACE = "operator_source_namespace";
    static final String FEDERATION = "federation";
    static final String INVENTORY_NAME = "meshfed_inventory_name";

    static final List<String> ALL = List.of(KUBE_CONTEXT, KUBECONFIG, KUBE_IN_CLUSTER, MESH_NAME, MESH_NAMESPACE,
            MESH_TRUST_DOMAIN, MESH_VERSION, MESH_MEMBERS, MESH_MANIFESTS, MESH_MANIFESTS_NAMESPACE, MESH_SMCP_OVERRIDES, LOAD_BALANCER,
            LOAD_BALANCER_ANNOTATIONS, METALLB_ADDRESSES, METALLB_NAMESPACE, METALLB_POOL_NAME, OPERATORS,
            OPERATOR_SOURCE, OPERATOR_SOURCE_NAMESPACE, FEDERATION, INVENTORY_NAME);

    private static final List<String> PREFIXES = List.of("kube_", "mesh_", "metallb_", "load_balancer", "operator",
            "federation", "meshfed_");

    private HostKeys() {
    }

    /** Reports keys that look like meshfed's but are not. */
    static void check(String host, Map<String, Located> vars, Problems problems) {
        for (Map.Entry<String, Located> e : vars.entrySet()) {
            String key = e.getKey();
            if (ALL.contains(key)) {
                continue;
            }
            boolean reserved = PREFIXES.stream().anyMatch(key::startsWith);
            String suggestion = Suggestions.closest(key, ALL);
            if (reserved || suggestion != null) {
                problems.add(e.getValue().location(), "host '" + host + "': unknown meshfed key '" + key + "'"
                        + (suggestion == null ? " (meshfed's keys: " + String.join(", ", ALL) + ")"
                        : " (did you mean '" + suggestion + "'?)"));
            }
        }
    }
}
