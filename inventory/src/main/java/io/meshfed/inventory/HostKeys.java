package io.meshfed.inventory;

import io.meshfed.model.text.Suggestions;
import io.meshfed.inventory.yaml.Located;

import java.util.List;
import java.util.Map;

/**
 * meshfed's own host variables. Every other variable is the user's, as in Ansible ({@code kube_version},
 * {@code mesh_owner_team}, {@code kubeconfig_path}); only a key one or two edits away from one of
 * meshfed's ({@code mesh_nmae}, {@code federaton}) is taken for a typo of it.
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
    static final String MESH_GENERATION = "mesh_generation";
    static final String MESH_ID = "mesh_id";
    static final String MESH_CLUSTER_NAME = "mesh_cluster_name";
    static final String MESH_NETWORK = "mesh_network";
    static final String MESH_UPDATE_STRATEGY = "mesh_update_strategy";
    static final String MESH_API_SERVER = "mesh_api_server";
    static final String MESH_ISTIO_VALUES = "mesh_istio_values";
    static final String MESH_TRUST = "mesh_trust";
    static final String MESH_READER_TOKEN_LIFETIME = "mesh_reader_token_lifetime";
    static final String MESH_REACHABILITY = "mesh_reachability";
    /** An Ansible host pattern choosing which hosts are clusters (group all only); all of them where it is not set. */
    static final String CLUSTERS = "meshfed_clusters";
    static final String MESH_SERVICES = "mesh_services";
    /** Where the federation stands on its way to OSSM 3 ({@code MigrationPhase}), the same for every host. */
    static final String MESH_MIGRATION = "mesh_migration";
    /** The Istio version the migration installs (the Sail operator's spec.version), the same for every host. */
    static final String MESH_MIGRATION_VERSION = "mesh_migration_version";

    /** The keys of an OSSM 2 federation, which an OSSM 3 cluster refuses. */
    static final List<String> FEDERATION_ONLY = List.of(MESH_NAME, MESH_TRUST_DOMAIN, MESH_SMCP_OVERRIDES, MESH_MIGRATION,
            MESH_MIGRATION_VERSION);
    /** The keys of an OSSM 3 multi-cluster mesh, which an OSSM 2 cluster refuses. */
    static final List<String> MULTI_CLUSTER_ONLY = List.of(MESH_ID, MESH_CLUSTER_NAME, MESH_NETWORK, MESH_UPDATE_STRATEGY,
            MESH_API_SERVER, MESH_ISTIO_VALUES, MESH_TRUST, MESH_READER_TOKEN_LIFETIME, MESH_REACHABILITY, MESH_SERVICES);

    static final List<String> ALL = List.of(CLUSTERS, KUBE_CONTEXT, KUBECONFIG, KUBE_IN_CLUSTER, MESH_NAME, MESH_NAMESPACE,
            MESH_TRUST_DOMAIN, MESH_VERSION, MESH_MEMBERS, MESH_MANIFESTS, MESH_MANIFESTS_NAMESPACE, MESH_SMCP_OVERRIDES, LOAD_BALANCER,
            LOAD_BALANCER_ANNOTATIONS, METALLB_ADDRESSES, METALLB_NAMESPACE, METALLB_POOL_NAME, OPERATORS,
            OPERATOR_SOURCE, OPERATOR_SOURCE_NAMESPACE, FEDERATION, INVENTORY_NAME, MESH_GENERATION, MESH_ID,
            MESH_CLUSTER_NAME, MESH_NETWORK, MESH_UPDATE_STRATEGY, MESH_API_SERVER, MESH_ISTIO_VALUES, MESH_TRUST,
            MESH_READER_TOKEN_LIFETIME, MESH_REACHABILITY, MESH_SERVICES, MESH_MIGRATION, MESH_MIGRATION_VERSION);

    /** How many edits (Damerau-Levenshtein) make a typo: more would take the user's own variables for meshfed's. */
    private static final int TYPO = 2;

    private HostKeys() {
    }

    /** Reports keys that are a typo away from one of meshfed's. */
    static void check(String host, Map<String, Located> vars, Problems problems) {
        for (Map.Entry<String, Located> e : vars.entrySet()) {
            String key = e.getKey();
            String suggestion = ALL.contains(key) ? null : Suggestions.closest(key, ALL, TYPO);
            if (suggestion != null) {
                problems.add(e.getValue().namedAt(), "host '" + host + "': unknown meshfed key '" + key + "' (did you mean '"
                        + suggestion + "'?)");
            }
        }
    }
}
