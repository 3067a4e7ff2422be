package io.meshfed.provisioner.simulate;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * OSSM 2.6 istiod's Gateway API deployment controller, simulated: for a Gateway of class {@code istio} in the
 * namespace of a Ready ServiceMeshControlPlane with {@code techPreview.gatewayAPI.enabled} (or of a Ready Istio's istiod),
 * the gateway's Service
 * {@code <name>-istio} (LoadBalancer, the listeners' ports, label {@code istio.io/gateway-name}), owned by the Gateway
 * so that the garbage collector removes it with it; the Gateway's status says Programmed with the Service's address.
 * Without a control plane that enables Gateway API the Gateway stays unprogrammed, as istiod ignores it. An
 * {@code istio-remote} Gateway deploys nothing (istiod reads its address).
 */
final class GatewayApiController implements Controller {

    static final String GATEWAY_NAME_LABEL = "istio.io/gateway-name";
    private final ClusterApi api;

    GatewayApiController(ClusterApi api) {
        this.api = api;
    }

    @Override
    public String name() {
        return "gateway-api";
    }

    @Override
    public Set<String> watches() {
        return Set.of("gateways", "servicemeshcontrolplanes", "istios", "services");
    }

    @Override
    public Duration reconcile() {
        for (GenericKubernetesResource gateway : api.list(Kinds.KUBE_GATEWAY)) {
            Map<String, Object> spec = ClusterApi.map(gateway, "spec");
            if ("istio".equals(spec.get("gatewayClassName"))) {
                deploy(gateway, spec);
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private void deploy(GenericKubernetesResource gateway, Map<String, Object> spec) {
        String ns = gateway.getMetadata().getNamespace();
        String name = gateway.getMetadata().getName();
        boolean enabled = api.list(Kinds.SMCP, ns).stream().anyMatch(smcp -> ready(smcp) && Boolean.TRUE.equals(
                MaistraController.path(ClusterApi.map(smcp, "spec"), "techPreview", "gatewayAPI", "enabled")))
                // OSSM 3's istiod always deploys Gateway API gateways: an Istio whose istiod runs in the namespace
                || api.list(Kinds.ISTIO).stream().anyMatch(istio -> ready(istio)
                        && ns.equals(String.valueOf(ClusterApi.map(istio, "spec").getOrDefault("namespace", "istio-system"))));
        if (!enabled) {
            api.setStatus(Kinds.KUBE_GATEWAY, gateway, Map.of("conditions", List.of(condition("Accepted", false, "Pending"),
                    condition("Programmed", false, "Pending"))));
            return;
        }
        List<ServicePort> ports = new ArrayList<>();
        for (Map<String, Object> listener : (List<Map<String, Object>>) spec.getOrDefault("listeners", List.of())) {
            int port = ((Number) listener.get("port")).intValue();
            ports.add(new ServicePortBuilder().withName(String.valueOf(listener.get("name"))).withPort(port).withProtocol("TCP").build());
        }
        OwnerReference owner = new OwnerReferenceBuilder().withApiVersion(gateway.getApiVersion()).withKind(gateway.getKind())
                .withName(name).withUid(gateway.getMetadata().getUid()).withController(true).build();
        String serviceName = name + "-istio";
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(GATEWAY_NAME_LABEL, name);
        labels.put("gateway.istio.io/managed", "istio.io-gateway-controller");
        Map<String, String> gatewayLabels = gateway.getMetadata().getLabels() == null ? Map.of() : gateway.getMetadata().getLabels();
        gatewayLabels.forEach(labels::putIfAbsent);
        Service service = api.service(ns, serviceName);
        if (service == null) {
            ClusterApi.createIfAbsent(() -> api.client().services().inNamespace(ns).resource(new ServiceBuilder().withNewMetadata()
                    .withName(serviceName).withNamespace(ns).withLabels(labels).withOwnerReferences(owner).endMetadata()
                    .withNewSpec().withType("LoadBalancer").withSelector(Map.of(GATEWAY_NAME_LABEL, name)).withPorts(ports)
                    .endSpec().build()).create());
            return;
        }
        List<Map<String, Object>> addresses = new ArrayList<>();
        if (service.getStatus() != null && service.getStatus().getLoadBalancer() != null
                && service.getStatus().getLoadBalancer().getIngress() != null) {
            service.getStatus().getLoadBalancer().getIngress().forEach(i -> addresses.add(i.getIp() != null
                    ? Map.of("type", "IPAddress", "value", i.getIp()) : Map.of("type", "Hostname", "value", i.getHostname())));
        }
        Map<String, Object> status = new LinkedHashMap<>();
        if (!addresses.isEmpty()) {
            status.put("addresses", addresses);
        }
        status.put("conditions", List.of(condition("Accepted", true, "Accepted"),
                condition("Programmed", !addresses.isEmpty(), addresses.isEmpty() ? "AddressNotAssigned" : "Programmed")));
        api.setStatus(Kinds.KUBE_GATEWAY, gateway, status);
    }

    private static Map<String, Object> condition(String type, boolean status, String reason) {
        return Map.of("type", type, "status", status ? "True" : "False", "reason", reason, "message", reason,
                "lastTransitionTime", "2026-01-01T00:00:00Z");
    }

    private static boolean ready(GenericKubernetesResource controlPlane) {
        Object conditions = ClusterApi.map(controlPlane, "status").get("conditions");
        return conditions instanceof List<?> l && l.stream().anyMatch(c -> c instanceof Map<?, ?> m
                && "Ready".equals(m.get("type")) && "True".equals(m.get("status")));
    }
}
