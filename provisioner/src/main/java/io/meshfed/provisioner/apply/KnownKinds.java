package io.meshfed.provisioner.apply;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The plural and scope of the kinds meshfed renders and of common built-in kinds, so that a run needs
 * no API discovery for them (one request less per group/version and cluster, and none on the critical
 * path). Other kinds, from users' manifests, are discovered. The custom kinds agree with the CRDs of
 * {@link io.meshfed.provisioner.crd.CrdCatalog} (a test checks it).
 */
public final class KnownKinds {

    private static final Map<String, ResourceDefinitionContext> KINDS = new HashMap<>();

    static {
        core("Namespace", "namespaces", false);
        core("Service", "services", true);
        core("ConfigMap", "configmaps", true);
        core("Secret", "secrets", true);
        core("ServiceAccount", "serviceaccounts", true);
        kind("apps", "v1", "Deployment", "deployments", true);
        kind("apps", "v1", "StatefulSet", "statefulsets", true);
        kind("apps", "v1", "DaemonSet", "daemonsets", true);
        kind("operators.coreos.com", "v1", "OperatorGroup", "operatorgroups", true);
        kind("operators.coreos.com", "v1alpha2", "OperatorGroup", "operatorgroups", true);
        kind("operators.coreos.com", "v1alpha1", "Subscription", "subscriptions", true);
        kind("operators.coreos.com", "v1alpha1", "ClusterServiceVersion", "clusterserviceversions", true);
        kind("metallb.io", "v1beta1", "MetalLB", "metallbs", true);
        kind("metallb.io", "v1beta1", "IPAddressPool", "ipaddresspools", true);
        kind("metallb.io", "v1beta1", "L2Advertisement", "l2advertisements", true);
        kind("maistra.io", "v2", "ServiceMeshControlPlane", "servicemeshcontrolplanes", true);
        kind("maistra.io", "v1", "ServiceMeshControlPlane", "servicemeshcontrolplanes", true);
        kind("maistra.io", "v1", "ServiceMeshMemberRoll", "servicemeshmemberrolls", true);
        kind("maistra.io", "v1", "ServiceMeshMember", "servicemeshmembers", true);
        kind("federation.maistra.io", "v1", "ServiceMeshPeer", "servicemeshpeers", true);
        kind("federation.maistra.io", "v1", "ExportedServiceSet", "exportedservicesets", true);
        kind("federation.maistra.io", "v1", "ImportedServiceSet", "importedservicesets", true);
        core("Endpoints", "endpoints", true);
        kind("rbac.authorization.k8s.io", "v1", "Role", "roles", true);
        kind("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", true);
        kind("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", false);
        kind("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", false);
        kind("config.openshift.io", "v1", "Infrastructure", "infrastructures", false);
        kind("sailoperator.io", "v1", "Istio", "istios", false);
        kind("sailoperator.io", "v1", "IstioCNI", "istiocnis", false);
        kind("sailoperator.io", "v1", "IstioRevision", "istiorevisions", false);
        kind("sailoperator.io", "v1", "IstioRevisionTag", "istiorevisiontags", false);
        for (String version : new String[] {"v1alpha3", "v1beta1", "v1"}) {
            kind("networking.istio.io", version, "VirtualService", "virtualservices", true);
            kind("networking.istio.io", version, "DestinationRule", "destinationrules", true);
            kind("networking.istio.io", version, "Gateway", "gateways", true);
            kind("networking.istio.io", version, "ServiceEntry", "serviceentries", true);
            kind("networking.istio.io", version, "WorkloadEntry", "workloadentries", true);
        }
        for (String version : new String[] {"v1beta1", "v1"}) {
            kind("gateway.networking.k8s.io", version, "GatewayClass", "gatewayclasses", false);
            kind("gateway.networking.k8s.io", version, "Gateway", "gateways", true);
        }
    }

    private KnownKinds() {
    }

    /** The kind's plural and scope, when meshfed knows it without asking the cluster. */
    public static Optional<ResourceDefinitionContext> find(String apiVersion, String kind) {
        return Optional.ofNullable(KINDS.get(apiVersion + "/" + kind));
    }

    /** An apiVersion meshfed knows a group's kind by, or null. */
    public static String apiVersionOf(String group, String kind) {
        return KINDS.values().stream().filter(c -> c.getGroup().equals(group) && c.getKind().equals(kind)).findFirst()
                .map(c -> group.isEmpty() ? c.getVersion() : group + "/" + c.getVersion()).orElse(null);
    }

    /** Every known kind, by {@code apiVersion/kind}. */
    public static Map<String, ResourceDefinitionContext> all() {
        return Map.copyOf(KINDS);
    }

    private static void core(String kind, String plural, boolean namespaced) {
        kind("", "v1", kind, plural, namespaced);
    }

    private static void kind(String group, String version, String kind, String plural, boolean namespaced) {
        KINDS.put((group.isEmpty() ? version : group + "/" + version) + "/" + kind, new ResourceDefinitionContext.Builder()
                .withGroup(group).withVersion(version).withKind(kind).withPlural(plural).withNamespaced(namespaced).build());
    }
}
