package io.meshfed.provisioner.simulate;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Duration;
import java.util.Set;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The Service Mesh operator and istiod, simulated. For every ServiceMeshControlPlane:
 * <ul>
 *   <li>istiod's Service and Deployment, and for every additional ingress and egress gateway a Service
 *       carrying the SMCP's labels (as labels and selector) and ports, of the SMCP's service type, a
 *       ServiceAccount {@code <gateway>-service-account} and a Deployment of one replica (made when
 *       missing, never scaled back: scale one to 0 and the federation controller sees no gateway);</li>
 *   <li>a real root CA for the mesh (kept in {@code istio-ca-secret}, istiod's: it stays when the control plane goes), published in the ConfigMap
 *       {@code istio-ca-root-cert} under {@code root-cert.pem} in the control-plane namespace and every
 *       member namespace of the ServiceMeshMemberRoll;</li>
 *   <li>the Ready condition, after {@link SimulationTiming#controlPlaneStart()}.</li>
 * </ul>
 * The member roll's status lists its configured members.
 */
final class MaistraController implements Controller {

    static final String OWNER_LABEL = "maistra.io/owner";

    private final ClusterApi api;
    private final SimulationTiming timing;
    private final Map<String, Instant> firstSeen = new HashMap<>();

    MaistraController(ClusterApi api, SimulationTiming timing) {
        this.api = api;
        this.timing = timing;
    }

    @Override
    public String name() {
        return "maistra";
    }

    /** Its control planes and member rolls, the namespaces that get the root certificate, and what it creates. */
    @Override
    public Set<String> watches() {
        return Set.of("servicemeshcontrolplanes", "servicemeshmemberrolls", "namespaces", "services", "serviceaccounts",
                "configmaps", "secrets", "deployments");
    }

    @Override
    public Duration reconcile() {
        Duration next = null;
        for (GenericKubernetesResource smcp : api.list(Kinds.SMCP)) {
            Duration wait = controlPlane(smcp);
            if (wait != null && (next == null || wait.compareTo(next) < 0)) {
                next = wait;
            }
        }
        for (GenericKubernetesResource roll : api.list(Kinds.SMMR)) {
            memberRoll(roll);
        }
        return next;
    }

    @SuppressWarnings("unchecked")
    private Duration controlPlane(GenericKubernetesResource smcp) {
        KubernetesClient client = api.client();
        String ns = smcp.getMetadata().getNamespace();
        String name = smcp.getMetadata().getName();
        Instant seen = firstSeen.computeIfAbsent(ns + "/" + name, k -> Instant.now());
        Map<String, Object> spec = ClusterApi.map(smcp, "spec");
        String trustDomain = (String) path(spec, "security", "trust", "domain");
        OwnerReference owner = new OwnerReferenceBuilder().withApiVersion(smcp.getApiVersion()).withKind(smcp.getKind())
                .withName(name).withUid(smcp.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true).build();
        // istiod makes its CA's Secret, not the operator: it stays when the control plane goes (OSSM 3's istiod in the
        // same namespace goes on signing with it once 2.6 is removed)
        String rootCert = IstiodCa.selfSigned(api, ns, trustDomain == null ? "cluster.local" : trustDomain,
                Map.of(OWNER_LABEL, ns), null);

        List<String> namespaces = new ArrayList<>(List.of(ns));
        namespaces.addAll(members(ns));
        for (String target : namespaces) {
            if (api.namespaceExists(target)) {
                IstiodCa.publish(api, target, rootCert);
            }
        }

        meshConfig(ns, name, owner, spec, trustDomain);
        networkPolicies(ns, name, namespaces, !Boolean.FALSE.equals(path(spec, "security", "manageNetworkPolicy")));

        ensureService(ns, "istiod-" + name, owner, Map.of("app", "istiod", OWNER_LABEL, ns), "ClusterIP", Map.of(), List.of(
                port("grpc-xds", 15010), port("https-dns", 15012), port("https-webhook", 443), port("http-discovery", 8188)));
        ensureDeployment(ns, "istiod-" + name, owner, Map.of("app", "istiod", "istio.io/rev", name, OWNER_LABEL, ns), "discovery");
        List<String> gateways = new ArrayList<>();
        for (String section : List.of("additionalIngress", "additionalEgress")) {
            Map<String, Object> defined = (Map<String, Object>) path(spec, "gateways", section);
            if (defined == null) {
                continue;
            }
            for (Map.Entry<String, Object> e : defined.entrySet()) {
                Map<String, Object> gateway = (Map<String, Object>) e.getValue();
                if (Boolean.FALSE.equals(gateway.get("enabled"))) {
                    continue;
                }
                gateways.add(e.getKey());
                gateway(ns, e.getKey(), owner, (Map<String, Object>) gateway.getOrDefault("service", Map.of()));
            }
        }
        for (Service s : api.services(ns)) {
            Map<String, String> labels = s.getMetadata().getLabels() == null ? Map.of() : s.getMetadata().getLabels();
            if (ns.equals(labels.get(OWNER_LABEL)) && labels.containsKey("maistra.io/gateway")
                    && !gateways.contains(s.getMetadata().getName())) {
                client.services().inNamespace(ns).withName(s.getMetadata().getName()).delete();
                client.serviceAccounts().inNamespace(ns).withName(s.getMetadata().getName() + "-service-account").delete();
                client.apps().deployments().inNamespace(ns).withName(s.getMetadata().getName()).delete();
            }
        }

        Duration left = timing.controlPlaneStart().minus(Duration.between(seen, Instant.now()));
        boolean ready = left.isNegative() || left.isZero();
        List<String> components = new ArrayList<>(List.of("istiod"));
        components.addAll(gateways);
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("observedGeneration", smcp.getMetadata().getGeneration());
        status.put("chartVersion", "2.3.11");
        status.put("conditions", List.of(
                Map.of("type", "Installed", "status", "True", "reason", "InstallSuccessful"),
                Map.of("type", "Reconciled", "status", "True", "reason", "InstallSuccessful"),
                Map.of("type", "Ready", "status", ready ? "True" : "False",
                        "reason", ready ? "ComponentsReady" : "ComponentsNotReady",
                        "message", ready ? "All component deployments are Available" : "Some components are not ready")));
        status.put("readiness", Map.of("components", Map.of("ready", ready ? components : List.of(),
                "pending", ready ? List.of() : components)));
        api.setStatus(Kinds.SMCP, smcp, status);
        return ready ? null : left;
    }

    @SuppressWarnings("unchecked")
    private void gateway(String ns, String name, OwnerReference owner, Map<String, Object> service) {
        Map<String, Object> metadata = (Map<String, Object>) service.getOrDefault("metadata", Map.of());
        Map<String, String> labels = new TreeMap<>((Map<String, String>) metadata.getOrDefault("labels", Map.of()));
        labels.putIfAbsent("app", name);
        labels.putIfAbsent("istio", name);
        labels.put("maistra.io/gateway", name);
        labels.put("service.istio.io/canonical-name", name);
        labels.put(OWNER_LABEL, ns);
        List<ServicePort> ports = new ArrayList<>();
        for (Map<String, Object> p : (List<Map<String, Object>>) service.getOrDefault("ports", List.of())) {
            ports.add(port((String) p.get("name"), ((Number) p.get("port")).intValue()));
        }
        String type = (String) service.getOrDefault("type", "ClusterIP");
        ensureService(ns, name, owner, labels, type, (Map<String, String>) metadata.getOrDefault("annotations", Map.of()), ports);
        if (api.serviceAccount(ns, name + "-service-account") == null) {
            ClusterApi.createIfAbsent(() -> api.client().serviceAccounts().inNamespace(ns).resource(new ServiceAccountBuilder()
                    .withNewMetadata().withName(name + "-service-account").withNamespace(ns).addToLabels(OWNER_LABEL, ns)
                    .addToLabels("maistra.io/gateway", name).withOwnerReferences(owner).endMetadata().build()).create());
        }
        ensureDeployment(ns, name, owner, labels, "istio-proxy");
        markReplicas(ns, name);
    }

    /** Marks a gateway's Service whose Deployment was scaled to 0 (what the federation controllers look at). */
    static final String NO_REPLICA = "simulation.meshfed.io/no-replica";

    /**
     * Says on the gateway's Service whether its Deployment has no replica: the federation controllers,
     * which look across clusters, watch Services, not the Deployments' frequent status updates.
     */
    private void markReplicas(String ns, String name) {
        io.fabric8.kubernetes.api.model.apps.Deployment d = api.deployment(ns, name);
        Service service = api.service(ns, name);
        if (d == null || service == null) {
            return;
        }
        boolean none = d.getSpec().getReplicas() != null && d.getSpec().getReplicas() == 0;
        Map<String, String> annotations = service.getMetadata().getAnnotations();
        boolean marked = annotations != null && "true".equals(annotations.get(NO_REPLICA));
        if (none != marked) {
            api.client().services().inNamespace(ns).withName(name).edit(s -> {
                if (none) {
                    s.getMetadata().setAnnotations(new TreeMap<>(s.getMetadata().getAnnotations() == null ? Map.of()
                            : s.getMetadata().getAnnotations()));
                    s.getMetadata().getAnnotations().put(NO_REPLICA, "true");
                } else if (s.getMetadata().getAnnotations() != null) {
                    s.getMetadata().getAnnotations().remove(NO_REPLICA);
                }
                return s;
            });
        }
    }

    /**
     * A component's Deployment (its pods carry the Service's selector), made when missing; its replicas are
     * the user's after that, as kubectl scale leaves them (the Deployment controller reports them).
     */
    private void ensureDeployment(String ns, String name, OwnerReference owner, Map<String, String> labels, String container) {
        if (api.deployment(ns, name) != null) {
            return;
        }
        Map<String, String> selector = new TreeMap<>(labels);
        selector.remove(OWNER_LABEL);
        ClusterApi.createIfAbsent(() -> api.client().apps().deployments().inNamespace(ns).resource(
                new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder().withNewMetadata().withName(name).withNamespace(ns)
                        .withLabels(labels).withOwnerReferences(owner).endMetadata()
                        .withNewSpec().withReplicas(1).withNewSelector().withMatchLabels(selector).endSelector()
                        .withNewTemplate().withNewMetadata().withLabels(selector).endMetadata().withNewSpec()
                        .addNewContainer().withName(container)
                        .withImage("registry.redhat.io/openshift-service-mesh/proxyv2-rhel8:2.3.11").endContainer()
                        .withServiceAccountName(container.equals("istio-proxy") ? name + "-service-account" : null)
                        .endSpec().endTemplate().endSpec().build()).create());
    }

    private void ensureService(String ns, String name, OwnerReference owner, Map<String, String> labels, String type,
                               Map<String, String> annotations, List<ServicePort> ports) {
        KubernetesClient client = api.client();
        Service existing = api.service(ns, name);
        Map<String, String> selector = new TreeMap<>(labels);
        selector.remove(OWNER_LABEL);
        if (existing == null) {
            ClusterApi.createIfAbsent(() -> client.services().inNamespace(ns).resource(new ServiceBuilder().withNewMetadata()
                    .withName(name).withNamespace(ns).withLabels(labels).withOwnerReferences(owner)
                    .withAnnotations(annotations.isEmpty() ? null : annotations).endMetadata().withNewSpec().withType(type)
                    .withSelector(selector).withPorts(ports).endSpec().build()).create());
            return;
        }
        boolean same = Objects.equals(existing.getSpec().getType(), type) && sameKeys(existing.getSpec().getPorts()).equals(sameKeys(ports))
                && Objects.equals(existing.getMetadata().getLabels(), labels);
        if (!same) {
            client.services().inNamespace(ns).withName(name).edit(s -> new ServiceBuilder(s).editMetadata()
                    .withLabels(labels).endMetadata().editSpec().withType(type).withSelector(selector).withPorts(ports)
                    .endSpec().build());
        }
    }

    /** What of a port the operator sets: the API server adds the rest (a node port to a LoadBalancer's). */
    private static List<String> sameKeys(List<ServicePort> ports) {
        return ports.stream().map(p -> p.getName() + "/" + p.getPort() + "/" + p.getProtocol() + "/"
                + (p.getTargetPort() == null ? "" : p.getTargetPort().getValue())).toList();
    }

    /**
     * istiod's mesh configuration, as the operator renders it into ConfigMap {@code istio-<smcp>} (key {@code mesh}):
     * the trust domain and the aliases it also accepts ({@code techPreview.meshConfig.trustDomainAliases}).
     */
    private void meshConfig(String ns, String smcp, OwnerReference owner, Map<String, Object> spec, String trustDomain) {
        Object aliases = path(spec, "techPreview", "meshConfig", "trustDomainAliases");
        StringBuilder mesh = new StringBuilder("trustDomain: ").append(trustDomain == null ? "cluster.local" : trustDomain).append('\n');
        if (aliases instanceof List<?> list && !list.isEmpty()) {
            mesh.append("trustDomainAliases:\n");
            list.forEach(a -> mesh.append("- ").append(a).append('\n'));
        }
        ConfigMap existing = api.configMap(ns, "istio-" + smcp);
        if (existing != null && existing.getData() != null && mesh.toString().equals(existing.getData().get("mesh"))) {
            return;
        }
        api.client().configMaps().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata().withName("istio-" + smcp).withNamespace(ns).withLabels(Map.of(OWNER_LABEL, ns))
                .withOwnerReferences(owner).endMetadata().withData(Map.of("mesh", mesh.toString())).build())
                .serverSideApply();
    }

    /** Which namespaces have the operator's NetworkPolicy, as last made or deleted here (namespace UID/name: true/false). */
    private final Map<String, Boolean> policies = new HashMap<>();

    /**
     * The NetworkPolicy the operator keeps in the control-plane namespace and every member namespace while
     * {@code security.manageNetworkPolicy} is not false ({@code istio-mesh-<smcp>}: traffic only from the mesh's
     * namespaces), and deletes once it is — why the migration guide turns it off before east-west gateways are
     * reached from outside the mesh's namespaces.
     */
    private void networkPolicies(String ns, String smcp, List<String> namespaces, boolean managed) {
        String name = "istio-mesh-" + smcp;
        for (String target : namespaces) {
            String uid = api.namespaces().stream().filter(n -> target.equals(n.getMetadata().getName()))
                    .map(n -> n.getMetadata().getUid()).findFirst().orElse(null);
            String key = uid + "/" + name;   // a namespace made again (destroy, apply) gets its policy again
            if (uid == null || Objects.equals(policies.get(key), managed)) {
                continue;
            }
            var policy = api.client().network().v1().networkPolicies().inNamespace(target).withName(name);
            if (managed) {
                ClusterApi.createIfAbsent(() -> api.client().network().v1().networkPolicies().inNamespace(target).resource(
                        new io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder().withNewMetadata().withName(name)
                                .withNamespace(target).withLabels(Map.of("maistra.io/member-of", ns, OWNER_LABEL, ns))
                                .endMetadata().withNewSpec().withNewPodSelector().endPodSelector().addNewIngress().addNewFrom()
                                .withNewNamespaceSelector().withMatchLabels(Map.of("maistra.io/member-of", ns))
                                .endNamespaceSelector().endFrom().endIngress().endSpec().build()).create());
            } else {
                policy.delete();
            }
            policies.put(key, managed);
        }
    }

    private List<String> members(String ns) {
        List<String> members = new ArrayList<>();
        for (GenericKubernetesResource roll : api.list(Kinds.SMMR, ns)) {
            Object listed = ClusterApi.map(roll, "spec").get("members");
            if (listed instanceof List<?> l) {
                l.forEach(m -> members.add(String.valueOf(m)));
            }
        }
        return members;
    }

    private void memberRoll(GenericKubernetesResource roll) {
        List<String> configured = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        Object listed = ClusterApi.map(roll, "spec").get("members");
        if (listed instanceof List<?> l) {
            for (Object m : l) {
                (api.namespaceExists(String.valueOf(m)) ? configured : pending).add(String.valueOf(m));
            }
        }
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("configuredMembers", configured);
        status.put("members", configured);
        status.put("pendingMembers", pending);
        status.put("conditions", List.of(Map.of("type", "Ready", "status", pending.isEmpty() ? "True" : "False",
                "reason", pending.isEmpty() ? "Configured" : "ReconcileError")));
        api.setStatus(Kinds.SMMR, roll, status);
    }

    private static ServicePort port(String name, int port) {
        return new ServicePortBuilder().withName(name).withPort(port).withProtocol("TCP")
                .withNewTargetPort(port).build();
    }

    @SuppressWarnings("unchecked")
    static Object path(Map<String, Object> tree, String... keys) {
        Object current = tree;
        for (String k : keys) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = ((Map<String, Object>) m).get(k);
        }
        return current;
    }

}
