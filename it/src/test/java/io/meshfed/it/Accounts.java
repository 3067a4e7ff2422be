package io.meshfed.it;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshfed.provisioner.simulate.SimulatedCluster;
import io.meshfed.provisioner.simulate.Simulation;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

/**
 * Service accounts of deploy/'s manifests on simulated clusters: their roles granted as an admin, and
 * clients that act as them (impersonated: the API server's RBAC decides each request).
 */
final class Accounts {

    private Accounts() {
    }

    /** Makes the namespace {@code meshfed} and applies {@code rbacYaml} (a ServiceAccount, its role and binding) on every cluster. */
    static void grant(Simulation simulation, String rbacYaml) {
        for (SimulatedCluster cluster : simulation.clusters()) {
            KubernetesClient admin = cluster.controllerClient();
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("meshfed").endMetadata().build())
                    .serverSideApply();
            admin.load(new ByteArrayInputStream(rbacYaml.getBytes(StandardCharsets.UTF_8))).serverSideApply();
        }
    }

    /**
     * A token of the service account {@code name} of the namespace meshfed (made if missing), as a
     * TokenRequest issues it: the API server authenticates it itself (through the simulated clusters'
     * proxy too), and RBAC decides what it may do.
     */
    static String token(Simulation simulation, String cluster, String name) {
        KubernetesClient admin = simulation.require(cluster).controllerClient();
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("meshfed").endMetadata().build())
                .serverSideApply();
        admin.serviceAccounts().inNamespace("meshfed").resource(new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                .withNewMetadata().withName(name).endMetadata().build()).serverSideApply();
        return admin.serviceAccounts().inNamespace("meshfed").withName(name)
                .tokenRequest(new io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder().withNewSpec()
                        .withExpirationSeconds(3600L).endSpec().build())
                .getStatus().getToken();
    }

    /** A token of the service account {@code admin} of the namespace meshfed, bound to cluster-admin. */
    static String adminToken(Simulation simulation, String cluster) {
        String token = token(simulation, cluster, "admin");
        simulation.require(cluster).controllerClient().rbac().clusterRoleBindings().resource(
                new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder().withNewMetadata()
                        .withName("meshfed-test-admin").endMetadata()
                        .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "cluster-admin")
                        .addNewSubject().withKind("ServiceAccount").withName("admin").withNamespace("meshfed").endSubject()
                        .build()).serverSideApply();
        return token;
    }

    /** A kubeconfig of one context, {@code context}, reaching {@code cluster} with a bearer token. */
    static String kubeconfig(io.meshfed.provisioner.simulate.SimulatedCluster cluster, String context, String token) {
        return """
                apiVersion: v1
                kind: Config
                clusters: [{name: %1$s, cluster: {server: "%2$s", certificate-authority-data: %3$s}}]
                contexts: [{name: %1$s, context: {cluster: %1$s, user: %1$s}}]
                current-context: %1$s
                users: [{name: %1$s, user: {token: %4$s}}]
                """.formatted(context, cluster.url().replaceAll("/$", ""), cluster.credentials().get("certificate-authority-data"),
                token);
    }

    /** A client configuration for {@code cluster} acting as the service account {@code name} of the namespace meshfed. */
    static Config as(Simulation simulation, String cluster, String name) {
        Config config = simulation.require(cluster).config("meshfed");
        config.setImpersonateUsername("system:serviceaccount:meshfed:" + name);
        config.setImpersonateGroups("system:serviceaccounts", "system:serviceaccounts:meshfed", "system:authenticated");
        return config;
    }
}
