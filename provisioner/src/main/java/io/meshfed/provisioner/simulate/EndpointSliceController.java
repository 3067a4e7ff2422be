package io.meshfed.provisioner.simulate;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * kube-controller-manager's EndpointSlice controller, simulated without pods: a Service with a selector
 * gets an EndpointSlice ({@code kubernetes.io/service-name}) with one ready endpoint per replica of each
 * Deployment whose pod template the selector matches, at an address made from the pod's name, its
 * {@code targetRef} the pod ({@code <deployment>-<i>}), owned by the Service. What istiod reads to know a
 * Service's endpoints, locally and on remote clusters; made on clusters with an OSSM 3 control plane.
 */
final class EndpointSliceController implements Controller {

    static final String SERVICE_NAME = "kubernetes.io/service-name";
    private static final String MANAGER = "endpointslice-controller.k8s.io";

    private final ClusterApi api;
    private final Map<String, List<String>> written = new HashMap<>();

    EndpointSliceController(ClusterApi api) {
        this.api = api;
    }

    @Override
    public String name() {
        return "endpointslices";
    }

    @Override
    public Set<String> watches() {
        return Set.of("services", "deployments");
    }

    @Override
    public Duration reconcile() {
        if (api.list(Kinds.ISTIO).isEmpty()) {
            return null;   // only where an OSSM 3 istiod reads them: the OSSM 2 simulation works from Services
        }
        for (Service service : api.services()) {
            Map<String, String> selector = service.getSpec().getSelector();
            if (selector == null || selector.isEmpty() || service.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            List<String> pods = new ArrayList<>();
            for (Deployment d : api.deployments()) {
                Map<String, String> labels = d.getSpec() == null || d.getSpec().getTemplate() == null
                        || d.getSpec().getTemplate().getMetadata() == null ? null : d.getSpec().getTemplate().getMetadata().getLabels();
                if (Objects.equals(d.getMetadata().getNamespace(), service.getMetadata().getNamespace()) && labels != null
                        && labels.entrySet().containsAll(selector.entrySet())) {
                    int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
                    for (int i = 0; i < replicas; i++) {
                        pods.add(d.getMetadata().getName() + "-" + i);
                    }
                }
            }
            String key = service.getMetadata().getNamespace() + "/" + service.getMetadata().getName();
            if (pods.equals(written.get(key))) {
                continue;
            }
            List<Endpoint> endpoints = new ArrayList<>();
            for (String pod : pods) {
                endpoints.add(new EndpointBuilder().withAddresses(address(key + "/" + pod)).withNewConditions().withReady(true)
                        .endConditions().withNewTargetRef().withKind("Pod").withName(pod)
                        .withNamespace(service.getMetadata().getNamespace()).endTargetRef().build());
            }
            List<EndpointPort> ports = new ArrayList<>();
            for (ServicePort p : service.getSpec().getPorts() == null ? List.<ServicePort>of() : service.getSpec().getPorts()) {
                int target = p.getTargetPort() != null && p.getTargetPort().getIntVal() != null ? p.getTargetPort().getIntVal() : p.getPort();
                ports.add(new EndpointPortBuilder().withName(p.getName() == null ? "" : p.getName()).withPort(target)
                        .withProtocol(p.getProtocol() == null ? "TCP" : p.getProtocol()).build());
            }
            // owned by its Service, as the real controller makes them: gone with it, never a team's object in a namespace
            EndpointSlice slice = new EndpointSliceBuilder().withNewMetadata().withName(service.getMetadata().getName() + "-sim")
                    .withNamespace(service.getMetadata().getNamespace()).addToLabels(SERVICE_NAME, service.getMetadata().getName())
                    .addNewOwnerReference().withApiVersion("v1").withKind("Service").withName(service.getMetadata().getName())
                    .withUid(service.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true).endOwnerReference()
                    .addToLabels("endpointslice.kubernetes.io/managed-by", MANAGER).endMetadata()
                    .withAddressType("IPv4").withEndpoints(endpoints).withPorts(ports).build();
            api.client().discovery().v1().endpointSlices().inNamespace(service.getMetadata().getNamespace()).resource(slice)
                    .fieldManager(MANAGER).forceConflicts().serverSideApply();
            written.put(key, pods);
        }
        return null;
    }

    /** A pod address in 10.128.0.0/14, the same for the same pod. */
    private static String address(String pod) {
        int h = pod.hashCode() & 0x3ffff;
        return "10." + (128 + (h >> 16)) + "." + ((h >> 8) & 0xff) + "." + Math.max(1, h & 0xff);
    }
}
