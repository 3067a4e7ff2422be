package io.meshfed.provisioner.simulate;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/** The custom resource kinds the simulated controllers read and write, addressed without discovery. */
final class Kinds {

    static final ResourceDefinitionContext SUBSCRIPTION = kind("operators.coreos.com", "v1alpha1", "Subscription", "subscriptions");
    static final ResourceDefinitionContext CSV = kind("operators.coreos.com", "v1alpha1", "ClusterServiceVersion",
            "clusterserviceversions");
    static final ResourceDefinitionContext OPERATOR_GROUP = kind("operators.coreos.com", "v1", "OperatorGroup", "operatorgroups");
    static final ResourceDefinitionContext METALLB = kind("metallb.io", "v1beta1", "MetalLB", "metallbs");
    static final ResourceDefinitionContext IP_POOL = kind("metallb.io", "v1beta1", "IPAddressPool", "ipaddresspools");
    static final ResourceDefinitionContext L2_ADVERTISEMENT = kind("metallb.io", "v1beta1", "L2Advertisement", "l2advertisements");
    static final ResourceDefinitionContext SMCP = kind("maistra.io", "v2", "ServiceMeshControlPlane", "servicemeshcontrolplanes");
    static final ResourceDefinitionContext SMMR = kind("maistra.io", "v1", "ServiceMeshMemberRoll", "servicemeshmemberrolls");
    static final ResourceDefinitionContext PEER = kind("federation.maistra.io", "v1", "ServiceMeshPeer", "servicemeshpeers");
    static final ResourceDefinitionContext EXPORTS = kind("federation.maistra.io", "v1", "ExportedServiceSet",
            "exportedservicesets");
    static final ResourceDefinitionContext IMPORTS = kind("federation.maistra.io", "v1", "ImportedServiceSet",
            "importedservicesets");

    private Kinds() {
    }

    private static ResourceDefinitionContext kind(String group, String version, String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
                .withPlural(plural).withNamespaced(true).build();
    }
}
