package io.meshfed.provisioner.simulate;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * OpenShift Service Mesh 3's operator (the Sail operator) and its istiod, simulated where it decides
 * what meshfed and the doctor see. For every {@code Istio}:
 * <ul>
 *   <li>istiod's Deployment in {@code spec.namespace} ({@code istiod}, or {@code istiod-<revision>} under
 *       RevisionBased), made once: istiod picks its CA when it starts, as the real one does — the
 *       {@code cacerts} Secret of its namespace when there is one, else a self-signed root it keeps in
 *       {@code istio-ca-secret} (annotated on the Deployment: {@value #CA_ANNOTATION}). A {@code cacerts}
 *       made later is not used until istiod is restarted (delete its Deployment);</li>
 *   <li>that root in the ConfigMap {@code istio-ca-root-cert} of its namespace and of every namespace
 *       labelled {@code istio-injection=enabled};</li>
 *   <li>status as the operator reports it: {@code Reconciled}, {@code Ready} (after
 *       {@link SimulationTiming#controlPlaneStart()}), {@code revisions} and {@code activeRevisionName}.</li>
 * </ul>
 * {@code IstioCNI} and {@code IstioRevisionTag} report Ready.
 */
final class SailController implements Controller {

    static final String CA_ANNOTATION = "simulation.meshfed.io/ca";
    static final String CACERTS = "cacerts";

    private final ClusterApi api;
    private final SimulationTiming timing;
    private final Map<String, Instant> firstSeen = new HashMap<>();

    SailController(ClusterApi api, SimulationTiming timing) {
        this.api = api;
        this.timing = timing;
    }

    @Override
    public String name() {
        return "sail";
    }

    @Override
    public Set<String> watches() {
        return Set.of("istios", "istiocnis", "istiorevisiontags", "namespaces", "secrets", "configmaps", "deployments");
    }

    @Override
    public Duration reconcile() {
        Duration next = null;
        for (GenericKubernetesResource istio : api.list(Kinds.ISTIO)) {
            Duration wait = istio(istio);
            if (wait != null && (next == null || wait.compareTo(next) < 0)) {
                next = wait;
            }
        }
        for (GenericKubernetesResource cni : api.list(Kinds.ISTIO_CNI)) {
            api.setStatus(Kinds.ISTIO_CNI, cni, ready(cni, true, "the istio-cni-node DaemonSet is ready"));
        }
        for (GenericKubernetesResource tag : api.list(Kinds.ISTIO_REVISION_TAG)) {
            api.setStatus(Kinds.ISTIO_REVISION_TAG, tag, ready(tag, true, "the tag points at an active revision"));
        }
        return next;
    }

    @SuppressWarnings("unchecked")
    private Duration istio(GenericKubernetesResource istio) {
        Map<String, Object> spec = ClusterApi.map(istio, "spec");
        String ns = (String) spec.getOrDefault("namespace", "istio-system");
        String version = String.valueOf(spec.getOrDefault("version", "v1.30-latest"));
        Object strategy = MaistraController.path(spec, "updateStrategy", "type");
        String revision = "RevisionBased".equals(strategy)
                ? istio.getMetadata().getName() + "-" + version.replace('.', '-') : istio.getMetadata().getName();
        String deployment = "default".equals(revision) ? "istiod" : "istiod-" + revision;
        Instant seen = firstSeen.computeIfAbsent(istio.getMetadata().getUid(), k -> Instant.now());
        if (!api.namespaceExists(ns)) {
            api.setStatus(Kinds.ISTIO, istio, ready(istio, false, "namespace " + ns + " does not exist"));
            return null;
        }
        // istiod's Pod is scheduled where a node matches its nodeSelector: the simulation has no node that carries a
        // label, so any nodeSelector (values.pilot.nodeSelector: "istiod on the infra nodes") leaves it Pending
        Object nodeSelector = MaistraController.path(spec, "values", "pilot", "nodeSelector");
        String unschedulable = nodeSelector instanceof Map<?, ?> selector && !selector.isEmpty()
                ? "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector " + selector : null;
        String root = istiod(ns, deployment, revision, unschedulable);
        List<String> targets = new ArrayList<>(List.of(ns));
        for (Namespace n : api.namespaces()) {
            Map<String, String> labels = n.getMetadata().getLabels();
            if (labels != null && "enabled".equals(labels.get("istio-injection"))) {
                targets.add(n.getMetadata().getName());
            }
        }
        for (String target : targets) {
            IstiodCa.publish(api, target, root);
        }
        Duration left = timing.controlPlaneStart().minus(Duration.between(seen, Instant.now()));
        boolean started = left.isNegative() || left.isZero();
        boolean ready = started && unschedulable == null;
        Map<String, Object> status = ready(istio, ready, ready ? "all revisions are ready" : unschedulable != null
                ? "istiod is not ready: Deployment " + ns + "/" + deployment + " has no available replica (its Pod is "
                        + "Pending: " + unschedulable + ")" : "istiod is starting");
        status.put("activeRevisionName", revision);
        status.put("revisions", Map.of("total", 1, "ready", ready ? 1 : 0, "inUse", targets.size() > 1 ? 1 : 0));
        status.put("state", ready ? "Healthy" : "NotReady");
        api.setStatus(Kinds.ISTIO, istio, status);
        return started ? null : left;   // started: only a change (to the Istio, its Deployment) changes it
    }

    /** istiod's Deployment, made once with the CA it found; the root certificate (PEM) it signs under. */
    private String istiod(String ns, String name, String revision, String unschedulable) {
        Deployment existing = api.deployment(ns, name);
        if (existing == null) {
            existing = api.client().apps().deployments().inNamespace(ns).withName(name).get();
        }
        String ca = existing == null ? null : existing.getMetadata().getAnnotations() == null ? null
                : existing.getMetadata().getAnnotations().get(CA_ANNOTATION);
        if (ca == null) {
            ca = secretOf(ns, CACERTS) != null ? CACERTS : IstiodCa.SECRET;
            String chosen = ca;
            Map<String, String> labels = Map.of("app", "istiod", "istio.io/rev", revision);
            ClusterApi.createIfAbsent(() -> api.client().apps().deployments().inNamespace(ns).resource(new DeploymentBuilder()
                    .withNewMetadata().withName(name).withNamespace(ns).withLabels(labels)
                    .addToAnnotations(CA_ANNOTATION, chosen).endMetadata()
                    .withNewSpec().withReplicas(1).withNewSelector().withMatchLabels(labels).endSelector()
                    .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata().withNewSpec()
                    .addNewContainer().withName("discovery")
                    .withImage("registry.redhat.io/openshift-service-mesh/istio-pilot-rhel9:1.30").endContainer()
                    .endSpec().endTemplate().endSpec().build()).create());
        }
        istiodPod(ns, name, revision, unschedulable);
        if (CACERTS.equals(ca)) {
            Secret cacerts = secretOf(ns, CACERTS);
            String root = cacerts == null || cacerts.getData() == null ? null : cacerts.getData().get("root-cert.pem");
            if (root != null) {
                return new String(Base64.getDecoder().decode(root), StandardCharsets.UTF_8);
            }
        }
        return IstiodCa.selfSigned(api, ns, "cluster.local", Map.of(), null);
    }

    /**
     * istiod's one Pod, Running, as its ReplicaSet and the kubelet would make it (there are no nodes): labelled
     * {@code app=istiod}, owned by the Deployment (the garbage collector's rule: it goes with it), its monitoring
     * port 15014 named as istioctl looks for it. A Pod of an earlier Deployment of that name (istiod restarted by
     * deleting it) is deleted. Its debug endpoints are served through the API server's pod proxy ({@link PodNetwork}).
     */
    private void istiodPod(String ns, String deployment, String revision, String unschedulable) {
        Deployment owner = api.client().apps().deployments().inNamespace(ns).withName(deployment).get();
        if (owner == null) {
            return;
        }
        String uid = owner.getMetadata().getUid();
        String name = deployment + "-" + uid.substring(0, 8) + "-" + uid.substring(uid.length() - 5);
        for (Pod old : api.client().pods().inNamespace(ns).withLabel("app", "istiod").list().getItems()) {
            boolean current = old.getMetadata().getOwnerReferences() != null && old.getMetadata().getOwnerReferences().stream()
                    .anyMatch(r -> uid.equals(r.getUid()));
            if (!current && deployment.equals(old.getMetadata().getLabels().get(POD_OF))) {
                api.client().pods().inNamespace(ns).withName(old.getMetadata().getName()).delete();
            }
        }
        Pod existing = api.client().pods().inNamespace(ns).withName(name).get();
        if (existing != null) {
            String phase = existing.getStatus() == null ? null : existing.getStatus().getPhase();
            if (!(unschedulable == null ? "Running" : "Pending").equals(phase)) {
                existing.setStatus(podStatus(uid, unschedulable));
                api.client().pods().inNamespace(ns).resource(existing).updateStatus();
            }
            return;
        }
        Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(ns)
                .withLabels(Map.of("app", "istiod", "istio.io/rev", revision, POD_OF, deployment))
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("Deployment").withName(deployment).withUid(uid)
                .withController(true).endOwnerReference().endMetadata()
                .withNewSpec().withAutomountServiceAccountToken(false).addNewContainer().withName("discovery")
                .withImage("registry.redhat.io/openshift-service-mesh/istio-pilot-rhel9:1.30")
                .addNewPort().withName("http-monitoring").withContainerPort(15014).withProtocol("TCP").endPort()
                .addNewPort().withName("grpc-xds").withContainerPort(15010).withProtocol("TCP").endPort()
                .endContainer().endSpec().build();
        Pod made;
        try {
            made = api.client().pods().inNamespace(ns).resource(pod).create();
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            if (e.getCode() == 409) {
                return;
            }
            throw e;
        }
        made.setStatus(podStatus(uid, unschedulable));
        api.client().pods().inNamespace(ns).resource(made).updateStatus();
    }

    /** Running with an IP and Ready, or Pending and unscheduled (why, as the scheduler says it). */
    private static io.fabric8.kubernetes.api.model.PodStatus podStatus(String uid, String unschedulable) {
        if (unschedulable != null) {
            return new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Pending").addNewCondition()
                    .withType("PodScheduled").withStatus("False").withReason("Unschedulable").withMessage(unschedulable)
                    .endCondition().build();
        }
        String ip = "10.128.0." + (2 + Math.floorMod(uid.hashCode(), 250));
        return new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running").withPodIP(ip)
                .addNewPodIP().withIp(ip).endPodIP()
                .addNewCondition().withType("Ready").withStatus("True").endCondition().build();
    }

    /** The label the simulation puts on istiod's Pod: which Deployment it is of (pod-template-hash in a real one). */
    static final String POD_OF = "meshfed.io/simulated-pod-of";

    private Secret secretOf(String ns, String name) {
        Secret secret = api.secret(ns, name);
        return secret != null ? secret : api.client().secrets().inNamespace(ns).withName(name).get();
    }

    private static Map<String, Object> ready(GenericKubernetesResource r, boolean ready, String message) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("observedGeneration", r.getMetadata().getGeneration());
        status.put("conditions", List.of(
                Map.of("type", "Reconciled", "status", "True", "reason", "ReconcileSuccess"),
                Map.of("type", "Ready", "status", ready ? "True" : "False", "reason", ready ? "Healthy" : "NotReady",
                        "message", message)));
        return status;
    }

}
