package io.meshfed.provisioner.simulate;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The few API operations the simulated controllers need, over custom resources without model classes. */
final class ClusterApi {

    private final KubernetesClient client;

    public ClusterApi(KubernetesClient client) {
        this.client = client;
    }

    public KubernetesClient client() {
        return client;
    }

    /** Every object of a kind, in every namespace; empty while its CRD is not installed. */
    public List<GenericKubernetesResource> list(ResourceDefinitionContext kind) {
        try {
            return client.genericKubernetesResources(kind).inAnyNamespace().list().getItems();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return List.of();
            }
            throw e;
        }
    }

    public List<GenericKubernetesResource> list(ResourceDefinitionContext kind, String namespace) {
        try {
            return client.genericKubernetesResources(kind).inNamespace(namespace).list().getItems();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return List.of();
            }
            throw e;
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(GenericKubernetesResource r, String key) {
        Object value = r.getAdditionalProperties().get(key);
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** Writes {@code status} through the status subresource, unless it is already what the object has. */
    public void setStatus(ResourceDefinitionContext kind, GenericKubernetesResource r, Map<String, Object> status) {
        if (Objects.equals(r.getAdditionalProperties().get("status"), status)) {
            return;
        }
        r.getAdditionalProperties().put("status", status);
        client.genericKubernetesResources(kind).inNamespace(r.getMetadata().getNamespace()).resource(r).updateStatus();
    }
}
