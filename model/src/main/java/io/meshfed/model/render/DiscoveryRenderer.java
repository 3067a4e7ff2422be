package io.meshfed.model.render;

import io.meshfed.model.inventory.ClusterSpec;
import io.meshfed.model.migration.ManualDiscovery.Imported;
import io.meshfed.model.resource.LiveValue;
import io.meshfed.model.resource.ObjectRef;
import io.meshfed.model.resource.Readiness;
import io.meshfed.model.resource.Tree;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static io.meshfed.model.render.FederationNames.SERVICE_PORT;

/**
 * The migration's discovery phase: manual service discovery beside the federation, as the migration guide's
 * "Export services" and "Import services" build it by hand.
 * <ul>
 *   <li>Each exporter: an east-west Gateway API {@code Gateway} on its network (istiod deploys it; its Service's
 *       load-balancer address is what importers reach), an Istio {@code Gateway} in AUTO_PASSTHROUGH opening it to
 *       exactly the hosts its peers import, and a ServiceEntry for each such host its own Services do not answer
 *       to (the federation's {@code <name>.<ns>.svc.<mesh>-imports.local}), selecting the Service's workloads.</li>
 *   <li>Each importer: an {@code istio-remote} Gateway per exporter at that exporter's east-west address (read from
 *       the exporter's cluster), and per imported service a ServiceEntry (the host its clients already use, the
 *       exporter's ports, its workloads' SPIFFE identity) and a WorkloadEntry on the exporter's network.</li>
 * </ul>
 */
final class DiscoveryRenderer {

    static final String GATEWAY_API = "gateway.networking.k8s.io/v1";
    static final String ISTIO_API = "networking.istio.io/v1beta1";
    /** The label joining an importer's ServiceEntry to its WorkloadEntry. */
    static final String IMPORT_LABEL = "federation.meshfed.io/import";
    private static final String SOURCE = "migration discovery";

    private DiscoveryRenderer() {
    }

    /** @param gatewayLabels the east-west gateway's labels of the phase ({@link Ossm3BesideRenderer#gatewayLabels}) */
    static void render(List<Imported> imported, Map<String, String> gatewayLabels, Rendering out) {
        Map<String, List<Imported>> byExporter = new TreeMap<>();
        Map<String, Map<String, List<Imported>>> byImporter = new TreeMap<>();
        for (Imported i : imported) {
            if ("*".equals(i.rule().namespace()) || "*".equals(i.rule().name())) {
                throw new RenderException(i.rule().location(), "federation.imports: " + i.importer().name() + " imports "
                        + i.rule().namespace() + "/" + i.rule().name() + " from " + i.exporter().name() + ", and the migration's "
                        + "discovery phase writes a ServiceEntry and a WorkloadEntry for each imported service: name each "
                        + "service the federation imports (its ImportedServiceSet status lists them) instead of '*'");
            }
            byExporter.computeIfAbsent(i.exporter().name(), k -> new ArrayList<>()).add(i);
            byImporter.computeIfAbsent(i.importer().name(), k -> new TreeMap<>())
                    .computeIfAbsent(i.exporter().name(), k -> new ArrayList<>()).add(i);
        }
        byExporter.values().forEach(list -> export(list.get(0).exporter(), list, gatewayLabels, out));
        byImporter.values().forEach(peers -> peers.values().forEach(list -> importFrom(list.get(0).exporter(), list, out)));
    }

    private static void export(ClusterSpec exporter, List<Imported> imported, Map<String, String> gatewayLabels, Rendering out) {
        String ns = exporter.mesh().namespace();
        Map<String, String> labels = new TreeMap<>(Map.of(FederationNames.NETWORK_LABEL, FederationNames.meshNetwork(exporter.mesh().name())));
        // labels on the Gateway itself: the namespace's are not propagated to it (the guide)
        labels.putAll(gatewayLabels);
        out.managed(exporter.name(), GATEWAY_API, "Gateway", ns, FederationNames.EASTWEST_GATEWAY, labels, Map.of(),
                Tree.map("spec", Tree.map(
                        "gatewayClassName", "istio",
                        // a hostname that matches nothing: the Istio Gateway below opens it to the exported hosts alone
                        "listeners", List.of(listener("fake-hostname-to-block-all-by-default")))),
                Readiness.EXISTS, SOURCE, Tags.DISCOVERY, Tags.EASTWEST_GATEWAY);
        out.observed(exporter.name(), "v1", "Service", ns, FederationNames.EASTWEST_SERVICE,
                Readiness.LOAD_BALANCER_ADDRESS, Tags.LB_ADDRESS, Tags.EASTWEST_ADDRESS);

        TreeSet<String> hosts = new TreeSet<>();
        imported.forEach(i -> hosts.add(i.host()));
        out.managed(exporter.name(), ISTIO_API, "Gateway", ns, FederationNames.EXPOSED_SERVICES,
                Tree.map("spec", Tree.map(
                        "selector", Tree.map("istio.io/gateway-name", FederationNames.EASTWEST_GATEWAY),
                        "servers", List.of(Tree.map(
                                "port", Tree.map("number", SERVICE_PORT, "name", "tls", "protocol", "TLS"),
                                "tls", Tree.map("mode", "AUTO_PASSTHROUGH"),
                                "hosts", List.copyOf(hosts))))),
                Readiness.EXISTS, SOURCE, Tags.DISCOVERY);

        Map<String, Imported> aliased = new TreeMap<>();
        imported.stream().filter(i -> !i.servedAsIs()).forEach(i -> aliased.putIfAbsent(i.host(), i));
        for (Imported i : aliased.values()) {
            ObjectRef service = exportedService(i, out);
            out.managed(exporter.name(), ISTIO_API, "ServiceEntry", i.serviceNamespace(), i.objectName(),
                    Tree.map("spec", Tree.map(
                            "hosts", List.of(i.host()),
                            "location", "MESH_INTERNAL",
                            "ports", LiveValue.of(service, "spec", "ports", new LiveValue.ServiceEntryPorts(true)),
                            "resolution", "STATIC",
                            "workloadSelector", Tree.map("labels", LiveValue.of(service, "spec", "selector")))),
                    Readiness.EXISTS, SOURCE, Tags.DISCOVERY);
        }
    }

    private static void importFrom(ClusterSpec exporter, List<Imported> imported, Rendering out) {
        ClusterSpec importer = imported.get(0).importer();
        String ns = importer.mesh().namespace();
        String network = FederationNames.remoteNetwork(exporter.mesh().name());
        ObjectRef eastWest = new ObjectRef(exporter.name(), "v1", "Service", exporter.mesh().namespace(),
                FederationNames.EASTWEST_SERVICE);
        out.managed(importer.name(), GATEWAY_API, "Gateway", ns, FederationNames.remoteGateway(exporter.mesh().name()),
                Map.of(FederationNames.NETWORK_LABEL, network), Map.of(),
                Tree.map("spec", Tree.map(
                        "gatewayClassName", "istio-remote",
                        "addresses", List.of(Tree.map(
                                "type", LiveValue.of(eastWest, "status", "loadBalancer", "ingress", 0,
                                        PeeringRenderer.ADDRESS, LiveValue.ADDRESS_TYPE),
                                "value", LiveValue.of(eastWest, "status", "loadBalancer", "ingress", 0, PeeringRenderer.ADDRESS))),
                        "listeners", List.of(listener(null)))),
                Readiness.EXISTS, SOURCE, Tags.DISCOVERY);
        for (Imported i : imported) {
            ObjectRef service = exportedService(i, out);
            out.managed(importer.name(), ISTIO_API, "ServiceEntry", ns, i.objectName(),
                    Tree.map("spec", Tree.map(
                            "hosts", List.of(i.host()),
                            "location", "MESH_INTERNAL",
                            "ports", LiveValue.of(service, "spec", "ports", new LiveValue.ServiceEntryPorts(false)),
                            "resolution", "STATIC",
                            "subjectAltNames", List.of(i.spiffeId()),
                            "workloadSelector", Tree.map("labels", Tree.map(IMPORT_LABEL, i.selectorValue())))),
                    Readiness.EXISTS, SOURCE, Tags.DISCOVERY);
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put(IMPORT_LABEL, i.selectorValue());
            labels.put("security.istio.io/tlsMode", "istio");
            out.managed(importer.name(), ISTIO_API, "WorkloadEntry", ns, i.objectName(), labels, Map.of(),
                    Tree.map("spec", Tree.map("network", network)), Readiness.EXISTS, SOURCE, Tags.DISCOVERY);
        }
    }

    /** The exporter's Service behind an import, as meshfed renders it (the inventory's apps) or reads it. */
    private static ObjectRef exportedService(Imported i, Rendering out) {
        return out.observed(i.exporter().name(), "v1", "Service", i.serviceNamespace(), i.serviceName(), Readiness.EXISTS);
    }

    /**
     * The guide's cross-network listener: TLS passthrough on 15443, istiod's auto-passthrough protocol; with a
     * hostname on the exporter's own Gateway.
     */
    private static Map<String, Object> listener(String hostname) {
        return Tree.map(
                "name", "cross-network",
                "hostname", hostname,
                "port", SERVICE_PORT,
                "protocol", "TLS",
                "tls", Tree.map("mode", "Passthrough",
                        "options", Tree.map("gateway.istio.io/listener-protocol", "auto-passthrough")));
    }
}
