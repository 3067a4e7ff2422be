package io.meshfed.model.render;

import io.meshfed.model.inventory.ClusterSpec;
import io.meshfed.model.inventory.MigrationPhase;
import io.meshfed.model.inventory.Topology;
import io.meshfed.model.resource.LiveValue;
import io.meshfed.model.resource.Readiness;
import io.meshfed.model.resource.Tree;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.meshfed.model.render.MultiClusterNames.CNI_NAMESPACE;
import static io.meshfed.model.render.MultiClusterNames.DEFAULT;
import static io.meshfed.model.render.MultiClusterNames.SAIL_API;

/**
 * The migration's last phase, {@code ossm3}, on each cluster of a federation that was cut over (the migration
 * guide's "Install OSSM 3 control plane" and "Migrate proxies and gateways"): the OSSM 3 operator beside 2.6's,
 * {@code IstioCNI}, and a revision-based {@code Istio} in the control plane's namespace — istiod there signs with
 * the mesh's own CA, and trusts the peers' roots ({@code meshConfig.caCertificates}, read from each peer's
 * {@code istio-ca-root-cert}), their trust domains ({@code trustDomainAliases}) and several roots
 * ({@code ISTIO_MULTIROOT_MESH}); the member namespaces and the east-west gateway move to its revision
 * ({@code istio.io/rev}) and out of 2.6's reach ({@code maistra.io/ignore-namespace}, {@code maistra.io/ignore}) —
 * those two labels go again at {@code cleanup}, with 2.6.
 */
public final class Ossm3BesideRenderer {

    static final String OPERATOR_PACKAGE = "servicemeshoperator3";
    static final String REV_LABEL = "istio.io/rev";
    static final String IGNORE_NAMESPACE_LABEL = "maistra.io/ignore-namespace";
    static final String IGNORE_LABEL = "maistra.io/ignore";
    /** The labels that keep a namespace or a gateway out of 2.6's reach while both control planes run. */
    public static final java.util.Set<String> IGNORE_LABELS = java.util.Set.of(IGNORE_NAMESPACE_LABEL, IGNORE_LABEL);

    private Ossm3BesideRenderer() {
    }

    static void render(ClusterSpec cluster, List<ClusterSpec> peers, Topology topology, Rendering out) {
        MigrationPhase phase = topology.migration();
        String version = topology.ossm3Version();
        String revision = topology.ossm3Revision();
        String c = cluster.name();
        out.managed(c, OperatorRenderer.OLM_SUBSCRIPTION, "Subscription", "openshift-operators", OPERATOR_PACKAGE,
                Tree.map("spec", Tree.map("channel", "stable", "installPlanApproval", "Automatic", "name", OPERATOR_PACKAGE,
                        "source", "redhat-operators", "sourceNamespace", "openshift-marketplace")),
                Readiness.CSV_SUCCEEDED, "migration ossm3", Tags.OPERATOR, Tags.operator("servicemesh3"));
        out.namespace(c, CNI_NAMESPACE);
        out.managed(c, SAIL_API, "IstioCNI", null, DEFAULT,
                Tree.map("spec", Tree.map("version", version, "namespace", CNI_NAMESPACE)),
                Readiness.READY_CONDITION, "migration ossm3", Tags.OSSM3);
        List<Object> roots = new ArrayList<>();
        for (ClusterSpec peer : peers) {
            roots.add(Tree.map("pem", LiveValue.of(ControlPlaneRenderer.caRootConfigMap(peer), "data", FederationNames.ROOT_CERT_KEY)));
        }
        Map<String, Object> meshConfig = Tree.map(
                "trustDomain", cluster.mesh().trustDomain(),
                "trustDomainAliases", peers.stream().map(p -> p.mesh().trustDomain()).sorted().distinct().toList(),
                "caCertificates", roots,
                "defaultConfig", Tree.map("proxyMetadata", Tree.map(
                        "ISTIO_META_DNS_CAPTURE", "true", "PROXY_CONFIG_XDS_AGENT", "true")));
        out.managed(c, SAIL_API, "Istio", null, DEFAULT,
                Tree.map("spec", Tree.map(
                        "version", version,
                        "namespace", cluster.mesh().namespace(),
                        "updateStrategy", Tree.map("type", "RevisionBased"),
                        "values", Tree.map(
                                "meshConfig", meshConfig,
                                "pilot", Tree.map("env", Tree.map("ISTIO_MULTIROOT_MESH", "true", "PILOT_ENABLE_IP_AUTOALLOCATE", "true")),
                                "global", Tree.map("network", FederationNames.meshNetwork(cluster.mesh().name()))))),
                Readiness.READY_CONDITION, "migration ossm3", Tags.OSSM3);
        for (String member : cluster.members()) {
            out.namespace(c, member, phase.atLeast(MigrationPhase.CLEANUP) ? Map.of(REV_LABEL, revision)
                    : Map.of(REV_LABEL, revision, IGNORE_NAMESPACE_LABEL, "true"), Tags.OSSM3_MEMBER);
        }
    }

    /**
     * The labels that move the east-west gateway to the OSSM 3 revision at {@code phase}: none before it, and out of
     * 2.6's reach ({@code maistra.io/ignore}) while 2.6 runs.
     */
    static Map<String, String> gatewayLabels(Topology topology) {
        MigrationPhase phase = topology.migration();
        if (!phase.atLeast(MigrationPhase.OSSM3)) {
            return Map.of();
        }
        String revision = topology.ossm3Revision();
        return phase.atLeast(MigrationPhase.CLEANUP) ? Map.of(REV_LABEL, revision) : Map.of(REV_LABEL, revision, IGNORE_LABEL, "true");
    }
}
