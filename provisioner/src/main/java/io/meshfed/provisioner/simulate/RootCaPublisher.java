package io.meshfed.provisioner.simulate;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * kube-controller-manager's root-ca-cert-publisher, simulated: every namespace that is not terminating has
 * a ConfigMap {@code kube-root-ca.crt} whose {@code ca.crt} is the cluster's CA (what pods and remote
 * kubeconfigs trust the API server by), put back when it is deleted or changed.
 */
final class RootCaPublisher implements Controller {

    static final String NAME = "kube-root-ca.crt";

    private final ClusterApi api;
    private final String caPem;

    /** @param caPem the cluster's CA certificate (PEM) */
    RootCaPublisher(ClusterApi api, String caPem) {
        this.api = api;
        this.caPem = caPem;
    }

    @Override
    public String name() {
        return "root-ca-cert-publisher";
    }

    @Override
    public Set<String> watches() {
        return Set.of("namespaces", "configmaps");
    }

    @Override
    public Duration reconcile() {
        for (Namespace namespace : api.namespaces()) {
            String ns = namespace.getMetadata().getName();
            ConfigMap current = api.configMap(ns, NAME);
            if (namespace.getMetadata().getDeletionTimestamp() != null
                    || current != null && caPem.equals(current.getData() == null ? null : current.getData().get("ca.crt"))) {
                continue;
            }
            try {
                api.client().configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName(NAME)
                        .withNamespace(ns).endMetadata().withData(Map.of("ca.crt", caPem)).build()).createOr(c -> c.update());
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 && e.getCode() != 404 && e.getCode() != 403) {   // racing the cache, or terminating
                    throw e;
                }
            }
        }
        return null;
    }
}
