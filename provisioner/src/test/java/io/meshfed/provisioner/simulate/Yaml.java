package io.meshfed.provisioner.simulate;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.Map;

/** Test helpers: create objects from YAML through the client, read custom resources. */
final class Yaml {

    private Yaml() {
    }

    static void create(KubernetesClient client, String yaml) {
        Object tree = new org.yaml.snakeyaml.Yaml(new org.yaml.snakeyaml.constructor.SafeConstructor(
                new org.yaml.snakeyaml.LoaderOptions())).load(yaml);
        GenericKubernetesResource r = Serialization.unmarshal(Serialization.asJson(tree), GenericKubernetesResource.class);
        client.genericKubernetesResources(r.getApiVersion(), r.getKind())
                .inNamespace(r.getMetadata().getNamespace()).resource(r).create();
    }

    static GenericKubernetesResource get(KubernetesClient client, ResourceDefinitionContext kind, String ns, String name) {
        return client.genericKubernetesResources(kind).inNamespace(ns).withName(name).get();
    }

    static Object status(KubernetesClient client, ResourceDefinitionContext kind, String ns, String name, String... path) {
        GenericKubernetesResource r = get(client, kind, ns, name);
        return r == null ? null : MaistraController.path(ClusterApi.map(r, "status"), path);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> statusMap(KubernetesClient client, ResourceDefinitionContext kind, String ns, String name) {
        GenericKubernetesResource r = get(client, kind, ns, name);
        return r == null ? null : ClusterApi.map(r, "status");
    }
}
