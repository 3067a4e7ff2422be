package io.meshfed.model.doctor;

import io.meshfed.model.doctor.ServiceSets.Export;
import io.meshfed.model.resource.Tree;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.meshfed.model.doctor.MeshObjects.where;

/**
 * The routes to a peer's services (issue 12 §7): every VirtualService destination on the importing
 * mesh that names one of the peer's imported hosts ({@code NAME.NS.svc.PEER-imports.local}, the set's
 * domain suffix, or an imported-as-local name) is imported, on a port the exported Service has; the
 * VirtualService's Gateways exist; the weights of a split add up to 100.
 */
final class RouteChecks {

    private static final String CHECK = "routes";

    private RouteChecks() {
    }

    static Finding routes(Direction d) {
        if (!d.mesh().serves("VirtualService")) {
            return d.unknown(CHECK, d.mesh().cluster() + " does not serve VirtualServices");
        }
        Map<String, Export> imported = ServiceSets.importedHosts(d);
        Set<String> suffixes = suffixes(d);
        List<String> problems = new ArrayList<>();
        List<String> fixes = new ArrayList<>();
        Set<String> routed = new LinkedHashSet<>();
        for (Map<String, Object> service : d.mesh().all("VirtualService")) {
            String vsWhere = where(d.mesh().cluster(), service);
            boolean toPeer = false;
            for (String protocol : List.of("http", "tcp", "tls")) {
                List<Map<String, Object>> routes = Tree.maps(service, "spec", protocol);
                for (int i = 0; i < routes.size(); i++) {
                    List<Map<String, Object>> destinations = Tree.maps(routes.get(i), "route");
                    if (destinations.stream().noneMatch(r -> toPeer(host(r), imported, suffixes))) {
                        continue;
                    }
                    toPeer = true;
                    String at = vsWhere + " spec." + protocol + "[" + i + "]";
                    for (Map<String, Object> destination : destinations) {
                        String host = host(destination);
                        if (!toPeer(host, imported, suffixes)) {
                            continue;
                        }
                        routed.add(host);
                        Export export = imported.get(host);
                        if (export == null) {
                            problems.add(at + " routes to " + host + ", which " + d.mesh().cluster() + " does not import from "
                                    + d.other().cluster() + " (it imports " + imported.keySet() + ")");
                            fixes.add(imported.isEmpty() ? "import the service from " + d.other().cluster()
                                    + " (ImportedServiceSet " + d.namespace() + "/" + d.peerName() + ")"
                                    : "route " + at + " to one of " + imported.keySet());
                            continue;
                        }
                        port(d, at, host, destination, export, problems, fixes);
                    }
                    if (destinations.size() > 1) {
                        int total = destinations.stream().mapToInt(r -> r.get("weight") instanceof Number n ? n.intValue() : 0).sum();
                        if (total != 100) {
                            problems.add(at + " weights add up to " + total + ", not 100");
                            fixes.add("make the weights of " + at + " add up to 100");
                        }
                    }
                }
            }
            if (toPeer) {
                gateways(d, service, vsWhere, problems, fixes);
            }
        }
        if (!problems.isEmpty()) {
            return d.fail(CHECK, String.join("; ", problems), String.join("; ", fixes));
        }
        return routed.isEmpty()
                ? d.ok(CHECK, "no VirtualService on " + d.mesh().cluster() + " routes to " + d.other().cluster() + "'s services")
                : d.ok(CHECK, "VirtualServices on " + d.mesh().cluster() + " route to " + routed + ", imported from "
                        + d.other().cluster() + ", on ports its Services have");
    }

    /** The destination port is one of the exported Service's (on the exporting cluster). */
    private static void port(Direction d, String at, String host, Map<String, Object> destination, Export export,
                             List<String> problems, List<String> fixes) {
        if (!(Tree.get(destination, "destination", "port", "number") instanceof Number number)) {
            return;
        }
        Optional<Map<String, Object>> exported = d.other().service(export.local().namespace(), export.local().name());
        if (exported.isEmpty()) {
            return;
        }
        List<Integer> ports = MeshObjects.ports(exported.get(), false);
        if (!ports.contains(number.intValue())) {
            problems.add(at + " routes to " + host + " port " + number + "; " + where(d.other().cluster(), exported.get())
                    + " has ports " + ports);
            fixes.add("set the destination port of " + host + " in " + at + " to one of " + ports);
        }
    }

    /** The VirtualService's Gateways ({@code name} in its namespace, or {@code namespace/name}) exist. */
    private static void gateways(Direction d, Map<String, Object> service, String vsWhere, List<String> problems,
                                 List<String> fixes) {
        for (String gateway : MeshObjects.strings(Tree.get(service, "spec", "gateways"))) {
            if (gateway.equals("mesh")) {
                continue;
            }
            String namespace = gateway.contains("/") ? gateway.substring(0, gateway.indexOf('/')) : ClusterSnapshot.namespace(service);
            String name = gateway.contains("/") ? gateway.substring(gateway.indexOf('/') + 1) : gateway;
            if (d.mesh().find("Gateway", namespace, name).isEmpty()) {
                problems.add(vsWhere + " names Gateway " + namespace + "/" + name + ", which does not exist on "
                        + d.mesh().cluster());
                fixes.add("create Gateway " + namespace + "/" + name + " on " + d.mesh().cluster() + ", or correct spec.gateways of "
                        + vsWhere);
            }
        }
    }

    /** The domains the peer's services are imported under: the default, and the set's own suffixes. */
    private static Set<String> suffixes(Direction d) {
        Set<String> suffixes = new LinkedHashSet<>();
        suffixes.add(".svc." + d.peerName() + "-imports.local");
        d.mesh().find(ServiceSets.IMPORTS, d.namespace(), d.peerName()).ifPresent(set -> {
            suffixes.add("." + Tree.get(set, "spec", "domainSuffix"));
            Tree.maps(set, "spec", "importRules").forEach(r -> suffixes.add("." + r.get("domainSuffix")));
        });
        // Maistra skips a suffix that is the cluster's own domain (the imports check says so): local hosts are not the peer's
        suffixes.removeAll(Set.of(".null", ".cluster.local", ".svc.cluster.local"));
        return suffixes;
    }

    private static boolean toPeer(String host, Map<String, Export> imported, Set<String> suffixes) {
        return host != null && (imported.containsKey(host) || suffixes.stream().anyMatch(host::endsWith));
    }

    private static String host(Map<String, Object> destination) {
        return (String) Tree.get(destination, "destination", "host");
    }
}
