package io.meshfed.model.inventory;

import java.time.Duration;

/**
 * What the inventory's OpenShift Service Mesh 3 clusters share: one mesh stretched over them.
 *
 * @param meshId              {@code global.meshID}, the same on every cluster
 * @param trust               the common root every cluster's intermediate CA is issued from
 * @param readerTokenLifetime how long the tokens in remote secrets are issued for (each is renewed by the first run
 *                            after two thirds of it have passed)
 * @param reachability        how a sidecar finds a Service another cluster serves: {@link #NAMESPACE_SAMENESS} (a
 *                            Service of that name is defined on its own cluster too) or {@link #DNS_CAPTURE} (the
 *                            sidecar's DNS proxy answers for every Service istiod knows)
 * @param services            the Services ({@code name.namespace}) meant to be reachable from every cluster: under
 *                            namespace sameness, meshfed defines each on the clusters whose manifests do not
 */
public record MultiCluster(String meshId, TrustRoot trust, Duration readerTokenLifetime, String reachability,
                           java.util.List<String> services) {

    public static final String NAMESPACE_SAMENESS = "namespace-sameness";
    public static final String DNS_CAPTURE = "dns-capture";

    public MultiCluster {
        services = java.util.List.copyOf(services);
    }

    /** Renewed after 60 days by a run (a daily CronJob: on time), it still leaves a month to notice a pipeline that stopped. */
    public static final Duration DEFAULT_READER_TOKEN_LIFETIME = Duration.ofDays(90);

    /**
     * The root of trust the user provides (never copied to a cluster of the mesh: only the intermediates it
     * issues are): files beside the inventory, or a Secret on another cluster.
     *
     * @param certificate the root certificate (PEM), an absolute path; null when {@code secret} is given
     * @param key         its private key (PEM), an absolute path; null when {@code secret} is given
     * @param secret      the Secret holding both, or null when files are given
     * @param location    where the inventory names them, for messages
     */
    public record TrustRoot(String certificate, String key, SecretSource secret, Location location) {

        public static TrustRoot files(String certificate, String key, Location location) {
            return new TrustRoot(certificate, key, null, location);
        }
    }

    /**
     * A Secret meshfed reads the root from ({@code root-cert.pem} and {@code root-key.pem}, or a TLS Secret's
     * {@code tls.crt} and {@code tls.key}) on a cluster that is not one of the mesh's: a management cluster,
     * or the one meshfed's Job runs on.
     *
     * @param connection how that cluster is reached (as a host is: kube_context, kubeconfig, kube_in_cluster)
     */
    public record SecretSource(Connection connection, String namespace, String name) {

        /** How messages name it. */
        public String describe() {
            String where = connection.inCluster() ? "the cluster meshfed runs in" : connection.context() != null
                    ? "context " + connection.context() : "the kubeconfig's current context";
            return "Secret " + namespace + "/" + name + " on " + where;
        }
    }
}
