package io.meshfed.model.resource;

import java.util.Set;

/**
 * The cluster-scoped kinds of Kubernetes, OpenShift and the operators meshfed installs: a manifest
 * of one of them has no namespace; a manifest of any other kind without one gets the cluster's
 * {@code mesh_manifests_namespace}. (A cluster-scoped kind missing here still works: the client asks
 * the server for its scope and drops the namespace.)
 */
public final class ClusterScopedKinds {

    private static final Set<String> KINDS = Set.of(
            "/Namespace", "/Node", "/PersistentVolume", "/ComponentStatus",
            "rbac.authorization.k8s.io/ClusterRole", "rbac.authorization.k8s.io/ClusterRoleBinding",
            "apiextensions.k8s.io/CustomResourceDefinition", "apiregistration.k8s.io/APIService",
            "admissionregistration.k8s.io/ValidatingWebhookConfiguration",
            "admissionregistration.k8s.io/MutatingWebhookConfiguration",
            "admissionregistration.k8s.io/ValidatingAdmissionPolicy",
            "admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding",
            "scheduling.k8s.io/PriorityClass", "storage.k8s.io/StorageClass", "storage.k8s.io/CSIDriver",
            "storage.k8s.io/CSINode", "storage.k8s.io/VolumeAttachment", "networking.k8s.io/IngressClass",
            "node.k8s.io/RuntimeClass", "flowcontrol.apiserver.k8s.io/FlowSchema",
            "flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration", "certificates.k8s.io/CertificateSigningRequest",
            "config.openshift.io/ClusterOperator", "config.openshift.io/ClusterVersion", "config.openshift.io/Proxy",
            "security.openshift.io/SecurityContextConstraints", "project.openshift.io/Project",
            "console.openshift.io/ConsoleLink", "console.openshift.io/ConsolePlugin",
            "user.openshift.io/Group", "user.openshift.io/User");

    private ClusterScopedKinds() {
    }

    public static boolean contains(String apiVersion, String kind) {
        int slash = apiVersion == null ? -1 : apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        return KINDS.contains(group + "/" + kind);
    }
}
