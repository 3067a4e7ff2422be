package io.meshfed.provisioner.simulate;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.meshfed.provisioner.apply.KnownKinds;

/** The custom resource kinds the simulated controllers read and write, addressed without discovery. */
final class Kinds {

    static final ResourceDefinitionContext SUBSCRIPTION = known("operators.coreos.com/v1alpha1", "Subscription");
    static final ResourceDefinitionContext CSV = known("operators.coreos.com/v1alpha1", "ClusterServiceVersion");
    static final ResourceDefinitionContext INSTALL_PLAN = new ResourceDefinitionContext.Builder()
            .withGroup("operators.coreos.com").withVersion("v1alpha1").withKind("InstallPlan").withPlural("installplans")
            .withNamespaced(true).build();
    static final ResourceDefinitionContext OPERATOR_GROUP = known("operators.coreos.com/v1", "OperatorGroup");
    static final ResourceDefinitionContext METALLB = known("metallb.io/v1beta1", "MetalLB");
    static final ResourceDefinitionContext IP_POOL = known("metallb.io/v1beta1", "IPAddressPool");
    static final ResourceDefinitionContext L2_ADVERTISEMENT = known("metallb.io/v1beta1", "L2Advertisement");
    static final ResourceDefinitionContext SMCP = known("maistra.io/v2", "ServiceMeshControlPlane");
    static final ResourceDefinitionContext SMMR = known("maistra.io/v1", "ServiceMeshMemberRoll");
    static final ResourceDefinitionContext PEER = known("federation.maistra.io/v1", "ServiceMeshPeer");
    static final ResourceDefinitionContext EXPORTS = known("federation.maistra.io/v1", "ExportedServiceSet");
    static final ResourceDefinitionContext IMPORTS = known("federation.maistra.io/v1", "ImportedServiceSet");
    static final ResourceDefinitionContext ISTIO = known("sailoperator.io/v1", "Istio");
    static final ResourceDefinitionContext ISTIO_CNI = known("sailoperator.io/v1", "IstioCNI");
    static final ResourceDefinitionContext ISTIO_REVISION_TAG = known("sailoperator.io/v1", "IstioRevisionTag");
    /** The migration's kinds (OSSM 2.6 on OpenShift 4.19): Gateway API's Gateway and Istio's, at the versions the guide writes. */
    static final ResourceDefinitionContext KUBE_GATEWAY = known("gateway.networking.k8s.io/v1", "Gateway");
    static final ResourceDefinitionContext ISTIO_GATEWAY = known("networking.istio.io/v1beta1", "Gateway");
    static final ResourceDefinitionContext SERVICE_ENTRY = known("networking.istio.io/v1beta1", "ServiceEntry");
    static final ResourceDefinitionContext WORKLOAD_ENTRY = known("networking.istio.io/v1beta1", "WorkloadEntry");
    static final ResourceDefinitionContext INFRASTRUCTURE = known("config.openshift.io/v1", "Infrastructure");

    private Kinds() {
    }

    private static ResourceDefinitionContext known(String apiVersion, String kind) {
        return KnownKinds.find(apiVersion, kind).orElseThrow(() -> new IllegalStateException(apiVersion + " " + kind));
    }
}
