package io.meshfed.provisioner.simulate;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Pods of the meshes' own workloads, as a Deployment's ReplicaSet, the kubelet and the sidecar injectors
 * would make them: for a Deployment in a namespace of a mesh (a member roll lists it, or it is labelled
 * {@code istio.io/rev} or {@code istio-injection=enabled}), {@code replicas} Running Pods named
 * {@code <deployment>-<pod-template-hash>-<n>}, made again when the pod template changes (a restart) and the
 * earlier ones deleted. At creation, as the injection webhooks decide it:
 * <ul>
 *   <li>a namespace labelled {@code istio.io/rev=R}: OSSM 3's injector of revision R, where an Istio's active
 *       revision is R (else none matches: no proxy);</li>
 *   <li>{@code istio-injection=enabled}: the revision {@code default}'s;</li>
 *   <li>else a member of a ServiceMeshControlPlane's roll, not labelled {@code maistra.io/ignore-namespace}, whose
 *       pod template asks {@code sidecar.istio.io/inject: "true"}: 2.6's, of the revision named as the control
 *       plane.</li>
 * </ul>
 * An injected Pod has an {@code istio-proxy} container, the {@code istio.io/rev} label and the
 * {@code sidecar.istio.io/status} annotation naming its revision. The control planes' own Pods are not made here.
 */
final class ApplicationPods {

    static final String TEMPLATE_HASH = "pod-template-hash";

    private final ClusterApi api;
    /** Deployment uid → the generation whose Pods were made (a template change is a new generation). */
    private final Map<String, Long> made = new HashMap<>();

    ApplicationPods(ClusterApi api) {
        this.api = api;
    }

    /**
     * Makes the Pods of each Deployment of the meshes whose current generation has none yet. The namespaces and member
     * rolls are read once per pass, and only when a Deployment is new or changed (the controller runs on every
     * Deployment, namespace and member-roll event).
     */
    void reconcile(List<Deployment> deployments) {
        List<Deployment> pending = deployments.stream()
                .filter(d -> !Objects.equals(made.get(d.getMetadata().getUid()), d.getMetadata().getGeneration())).toList();
        if (pending.isEmpty()) {
            return;
        }
        Map<String, Namespace> namespaces = new HashMap<>();
        api.namespaces().forEach(n -> namespaces.put(n.getMetadata().getName(), n));
        Map<String, String> planes = controlPlanes();
        for (Deployment d : pending) {
            Namespace namespace = namespaces.get(d.getMetadata().getNamespace());
            if (namespace != null && inMesh(namespace, planes)) {
                make(d, namespace, planes);
                made.put(d.getMetadata().getUid(), d.getMetadata().getGeneration());
            }
        }
    }

    /** The Deployment's Pods of its template, those of an earlier template deleted. */
    private void make(Deployment d, Namespace namespace, Map<String, String> planes) {
        String ns = d.getMetadata().getNamespace();
        String hash = hash(d);
        String name = d.getMetadata().getName();
        for (Pod old : api.client().pods().inNamespace(ns).withLabel(SailController.POD_OF, name).list().getItems()) {
            if (!hash.equals(old.getMetadata().getLabels().get(TEMPLATE_HASH))) {
                api.client().pods().inNamespace(ns).resource(old).delete();
            }
        }
        int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        String revision = injector(namespace, d, planes);
        for (int i = 0; i < replicas; i++) {
            create(d, hash, name + "-" + hash + "-" + i, revision);
        }
    }

    private static boolean inMesh(Namespace namespace, Map<String, String> planes) {
        Map<String, String> labels = Objects.requireNonNullElse(namespace.getMetadata().getLabels(), Map.of());
        return labels.containsKey("istio.io/rev") || "enabled".equals(labels.get("istio-injection"))
                || planes.containsKey(namespace.getMetadata().getName());
    }

    /** Each namespace a member roll lists → the name of the ServiceMeshControlPlane of that roll's namespace. */
    private Map<String, String> controlPlanes() {
        Map<String, String> planes = new HashMap<>();
        for (GenericKubernetesResource roll : api.list(Kinds.SMMR)) {
            String plane = api.list(Kinds.SMCP, roll.getMetadata().getNamespace()).stream().map(c -> c.getMetadata().getName())
                    .findFirst().orElse(null);
            if (plane != null && ClusterApi.map(roll, "spec").get("members") instanceof List<?> members) {
                members.forEach(m -> planes.putIfAbsent(String.valueOf(m), plane));
            }
        }
        return planes;
    }

    /** The revision whose injector adds a proxy to the Deployment's new Pods, or null (none does). */
    private String injector(Namespace namespace, Deployment d, Map<String, String> planes) {
        Map<String, String> labels = Objects.requireNonNullElse(namespace.getMetadata().getLabels(), Map.of());
        String rev = labels.get("istio.io/rev");
        if (rev != null) {
            return activeRevisions().contains(rev) ? rev : null;
        }
        if ("enabled".equals(labels.get("istio-injection"))) {
            return activeRevisions().contains("default") ? "default" : null;
        }
        Map<String, String> annotations = d.getSpec().getTemplate().getMetadata() == null ? Map.of()
                : Objects.requireNonNullElse(d.getSpec().getTemplate().getMetadata().getAnnotations(), Map.of());
        if ("true".equals(labels.get("maistra.io/ignore-namespace")) || !"true".equals(annotations.get("sidecar.istio.io/inject"))) {
            return null;
        }
        return planes.get(namespace.getMetadata().getName());
    }

    private List<String> activeRevisions() {
        return api.list(Kinds.ISTIO).stream().map(i -> ClusterApi.map(i, "status").get("activeRevisionName"))
                .filter(Objects::nonNull).map(String::valueOf).toList();
    }

    private void create(Deployment d, String hash, String name, String revision) {
        String ns = d.getMetadata().getNamespace();
        Map<String, String> labels = new LinkedHashMap<>();
        if (d.getSpec().getTemplate().getMetadata() != null && d.getSpec().getTemplate().getMetadata().getLabels() != null) {
            labels.putAll(d.getSpec().getTemplate().getMetadata().getLabels());
        }
        labels.put(TEMPLATE_HASH, hash);
        labels.put(SailController.POD_OF, d.getMetadata().getName());
        PodBuilder pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(ns).withLabels(labels)
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("Deployment").withName(d.getMetadata().getName())
                .withUid(d.getMetadata().getUid()).withController(true).endOwnerReference().endMetadata()
                .withSpec(d.getSpec().getTemplate().getSpec());
        if (d.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken() == null) {
            pod.editSpec().withAutomountServiceAccountToken(false).endSpec();   // no token controller here
        }
        if (revision != null) {
            pod.editMetadata().addToLabels("istio.io/rev", revision).addToAnnotations("sidecar.istio.io/status",
                    "{\"initContainers\":[\"istio-init\"],\"containers\":[\"istio-proxy\"],\"volumes\":[\"istio-envoy\"],"
                            + "\"imagePullSecrets\":null,\"revision\":\"" + revision + "\"}").endMetadata()
                    .editSpec().addNewContainer().withName("istio-proxy")
                    .withImage("registry.redhat.io/openshift-service-mesh/istio-proxyv2-rhel9").endContainer().endSpec();
        }
        try {
            Pod created = api.client().pods().inNamespace(ns).resource(pod.build()).create();
            created.setStatus(new PodStatusBuilder().withPhase("Running").addNewCondition().withType("Ready").withStatus("True")
                    .endCondition().build());
            api.client().pods().inNamespace(ns).resource(created).updateStatus();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409 && e.getCode() != 404) {   // made already; or its namespace is going
                throw e;
            }
        }
    }

    /** The pod template's hash, as the Deployment controller names a ReplicaSet by it. */
    private static String hash(Deployment d) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                    Serialization.asJson(d.getSpec().getTemplate()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
