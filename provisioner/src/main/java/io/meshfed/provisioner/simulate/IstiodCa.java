package io.meshfed.provisioner.simulate;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * What a simulated istiod (Maistra's or the Sail operator's) does with its CA: the self-signed root it
 * makes when it has none plugged in, kept in {@value #SECRET} as istiod keeps it, and the root it
 * publishes in every mesh namespace's ConfigMap {@code istio-ca-root-cert}.
 */
final class IstiodCa {

    static final String SECRET = "istio-ca-secret";
    static final String ROOT_CONFIG_MAP = "istio-ca-root-cert";

    private IstiodCa() {
    }

    /** The root (PEM) of the self-signed CA in {@code ns}: generated once, then read back. */
    static String selfSigned(ClusterApi api, String ns, String trustDomain, Map<String, String> labels, OwnerReference owner) {
        Secret secret = api.secret(ns, SECRET);
        if (secret == null) {
            // the cache may not have seen a secret created a moment ago: the server has the last word
            secret = api.client().secrets().inNamespace(ns).withName(SECRET).get();
        }
        if (secret == null) {
            MeshCa.Pem ca = MeshCa.generate(trustDomain);
            secret = api.client().secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName(SECRET)
                    .withNamespace(ns).withLabels(labels).withOwnerReferences(owner == null ? java.util.List.of()
                            : java.util.List.of(owner)).endMetadata()
                    .withType("istio.io/ca-root")
                    .addToData("ca-cert.pem", base64(ca.certificate())).addToData("ca-key.pem", base64(ca.privateKey()))
                    .build()).create();
        }
        return new String(Base64.getDecoder().decode(secret.getData().get("ca-cert.pem")), StandardCharsets.UTF_8);
    }

    /** {@code pem} in {@code ns}'s istio-ca-root-cert, as istiod publishes its root to the namespaces it serves. */
    static void publish(ClusterApi api, String ns, String pem) {
        ConfigMap existing = api.configMap(ns, ROOT_CONFIG_MAP);
        if (existing == null) {
            ClusterApi.createIfAbsent(() -> api.client().configMaps().inNamespace(ns).resource(new ConfigMapBuilder()
                    .withNewMetadata().withName(ROOT_CONFIG_MAP).withNamespace(ns).addToLabels("istio.io/config", "true")
                    .endMetadata().addToData("root-cert.pem", pem).build()).create());
        } else if (!pem.equals(existing.getData() == null ? null : existing.getData().get("root-cert.pem"))) {
            api.client().configMaps().inNamespace(ns).withName(ROOT_CONFIG_MAP)
                    .edit(cm -> new ConfigMapBuilder(cm).addToData("root-cert.pem", pem).build());
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
