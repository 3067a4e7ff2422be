package io.meshfed.provisioner.apply;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;

import java.time.Duration;
import java.util.List;

/**
 * Settings every cluster's client takes, whatever its kubeconfig or service account says: proxies
 * and timeouts, as a pipeline's environment gives them (the native module reads them from the Quarkus
 * Kubernetes client's configuration), and the command line's impersonation ({@code --as}...). Null
 * means "as the cluster's own configuration has it".
 */
public record ClientSettings(String httpProxy, String httpsProxy, List<String> noProxy, String proxyUsername,
                             String proxyPassword, Duration requestTimeout, Duration connectionTimeout,
                             HttpClient.Factory httpClients, Impersonation impersonation) {

    public static final ClientSettings NONE = new ClientSettings(null, null, null, null, null, null, null, null,
            Impersonation.NONE);

    public ClientSettings {
        impersonation = impersonation == null ? Impersonation.NONE : impersonation;
    }

    /**
     * A builder of a cluster's client: on {@code httpClients} where given (the application's one Vert.x
     * for every cluster: each client would otherwise start a Vert.x of its own, threads and all).
     */
    KubernetesClientBuilder clientBuilder() {
        KubernetesClientBuilder builder = new KubernetesClientBuilder();
        return httpClients == null ? builder : builder.withHttpClientFactory(httpClients);
    }

    ConfigBuilder applyTo(ConfigBuilder config) {
        if (httpProxy != null) {
            config.withHttpProxy(httpProxy);
        }
        if (httpsProxy != null) {
            config.withHttpsProxy(httpsProxy);
        }
        if (noProxy != null && !noProxy.isEmpty()) {
            config.withNoProxy(noProxy.toArray(String[]::new));
        }
        if (proxyUsername != null) {
            config.withProxyUsername(proxyUsername);
        }
        if (proxyPassword != null) {
            config.withProxyPassword(proxyPassword);
        }
        if (requestTimeout != null) {
            config.withRequestTimeout((int) requestTimeout.toMillis());
        }
        if (connectionTimeout != null) {
            config.withConnectionTimeout((int) connectionTimeout.toMillis());
        }
        return config;
    }

    /** What is set, for messages (never the password). */
    @Override
    public String toString() {
        return "ClientSettings[httpProxy=" + httpProxy + ", httpsProxy=" + httpsProxy + ", noProxy=" + noProxy
                + ", proxyUsername=" + proxyUsername + ", proxyPassword=" + (proxyPassword == null ? null : "***")
                + ", requestTimeout=" + requestTimeout + ", connectionTimeout=" + connectionTimeout
                + (httpClients == null ? "" : ", httpClients=shared") + ", " + impersonation + "]";
    }
}
