package io.meshfed.model.inventory;

import java.util.Arrays;
import java.util.List;

/**
 * Where an OSSM 2 federation stands on its way to OSSM 3 multi-cluster, in the order of Red Hat's
 * "Federation-to-Multi-Cluster Migration Guide" (openshift-service-mesh/sail-operator,
 * docs/ossm/ossm2-migration/federation/README.md). Each phase includes every earlier one; the inventory's
 * {@code mesh_migration} says which one the clusters are to be in, and {@code meshfed migrate} moves them
 * there one phase at a time.
 */
public enum MigrationPhase {
    /** The federation as the seed builds it: nothing of the migration yet. */
    FEDERATED("federated", "the OSSM 2.6 federation, as it is"),
    /**
     * The guide's first step, on 2.6: each control plane trusts its peers' trust domains
     * ({@code techPreview.meshConfig.trustDomainAliases}), discovers Gateway API network gateways
     * ({@code PILOT_MULTI_NETWORK_DISCOVER_GATEWAY_API}), names its network ({@code cluster.network}) and leaves
     * NetworkPolicies to the user ({@code security.manageNetworkPolicy: false}). The federation keeps working.
     */
    PREPARED("prepared", "the control planes trust their peers' trust domains and name their networks; "
            + "the federation keeps working"),
    /**
     * Manual service discovery beside the federation (the guide's "Export services" and "Import services"):
     * east-west Gateways on the exporters, {@code istio-remote} Gateways, ServiceEntries and WorkloadEntries on
     * the importers; each imported service reachable both ways before anything federated is removed.
     */
    DISCOVERY("discovery", "every imported service reachable through the federation and the east-west gateways"),
    /**
     * The federation removed (the guide's "Remove federation-related resources" and "Remove federation gateways"):
     * ServiceMeshPeers, service sets and the federation gateways; the peers' CA ConfigMaps stay (the OSSM 3 phase
     * trusts those roots). Services are reached through the east-west gateways alone.
     */
    CUT_OVER("cut-over", "the federation removed; services reached through the east-west gateways alone"),
    /**
     * OSSM 3 control planes beside 2.6 (the guide's "Install OSSM 3 control plane" and "Migrate proxies and
     * gateways"): a revision-based Istio trusting the peers' roots and trust domains, every member namespace and the
     * east-west gateway on its revision and ignored by 2.6, and every workload there restarted onto it.
     */
    OSSM3("ossm3", "OSSM 3 control planes beside 2.6, every member namespace, its workloads and the east-west gateway on them"),
    /**
     * OSSM 2.6 removed (the guide's "Post-migration steps": "Cleaning of OpenShift Service Mesh 2.6 after migration"):
     * its ServiceMeshControlPlanes, member rolls and operator Subscription, by the ownership rules, and the
     * {@code maistra.io/ignore*} labels; the meshes run on OSSM 3 alone, their services still discovered by hand.
     */
    CLEANUP("cleanup", "OSSM 2.6 removed (control planes, member rolls, its operator's Subscription); the meshes on OSSM 3 alone");

    private final String word;
    private final String meaning;

    MigrationPhase(String word, String meaning) {
        this.word = word;
        this.meaning = meaning;
    }

    /** As the inventory and the command line say it. */
    public String word() {
        return word;
    }

    /** What holds once the clusters are in this phase. */
    public String meaning() {
        return meaning;
    }

    public boolean atLeast(MigrationPhase other) {
        return compareTo(other) >= 0;
    }

    /** The phase a word names, or null. */
    public static MigrationPhase of(String word) {
        return Arrays.stream(values()).filter(p -> p.word.equals(word)).findFirst().orElse(null);
    }

    public static List<String> words() {
        return Arrays.stream(values()).map(MigrationPhase::word).toList();
    }
}
