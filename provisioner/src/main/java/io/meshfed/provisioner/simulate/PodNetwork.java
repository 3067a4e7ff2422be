package io.meshfed.provisioner.simulate;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.Map;

/**
 * What answers when the API server's pod proxy ({@code GET /api/v1/namespaces/N/pods/P:PORT/proxy/PATH},
 * subresource {@code pods/proxy}) reaches a simulated Pod: there are no nodes and no pod network, so the
 * proxy in front of the API server ({@link ApiProxy}) answers for the Pod, after the API server itself said
 * the caller may ({@code get pods/proxy}, a SubjectAccessReview as the caller). A Pod that does not exist is
 * 404 as the API server says it; istiod's Pod serves {@code /debug/clusterz} on 15014 from its simulated view
 * ({@link SimulatedIstiod}); anything else is refused as a pod that does not listen there is (503).
 */
final class PodNetwork {

    /** An HTTP answer: its code and JSON body. */
    record Answer(int code, String body) {
    }

    private final KubernetesClient client;

    PodNetwork(KubernetesClient client) {
        this.client = client;
    }

    Answer get(String namespace, String podName, int port, String path) {
        Pod pod = client.pods().inNamespace(namespace).withName(podName).get();
        if (pod == null) {
            return new Answer(404, ApiProxy.status(404, "NotFound", "pods \"" + podName + "\" not found"));
        }
        String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        if (ip == null || !"Running".equals(pod.getStatus().getPhase())) {
            return new Answer(503, ApiProxy.status(503, "ServiceUnavailable", "pod " + podName + " has no IP: it is not running"));
        }
        boolean istiod = pod.getMetadata().getLabels() != null && "istiod".equals(pod.getMetadata().getLabels().get("app"));
        if (istiod && port == 15014 && "/debug/clusterz".equals(path)) {
            ConfigMap view = client.configMaps().inNamespace(namespace).withName(SimulatedIstiod.VIEW).get();
            String clusterz = view == null || view.getData() == null ? null : view.getData().get(SimulatedIstiod.CLUSTERZ);
            return new Answer(200, clusterz != null ? clusterz : Serialization.asJson(java.util.List.of()));
        }
        return new Answer(503, ApiProxy.status(503, "ServiceUnavailable", "error trying to reach service: dial tcp " + ip
                + ":" + port + ": connect: connection refused"));
    }

    /** The caller's own words for a refusal, as the API server's authorizer puts them. */
    static String forbidden(String user, String namespace, String pod) {
        return ApiProxy.status(403, "Forbidden", "pods \"" + pod + "\" is forbidden: User \"" + user
                + "\" cannot get resource \"pods/proxy\" in API group \"\" in the namespace \"" + namespace + "\"");
    }

    static Map<String, Object> review(String namespace, String pod) {
        return Map.of("apiVersion", "authorization.k8s.io/v1", "kind", "SelfSubjectAccessReview", "spec",
                Map.of("resourceAttributes", Map.of("namespace", namespace, "verb", "get", "resource", "pods",
                        "subresource", "proxy", "name", pod)));
    }
}
