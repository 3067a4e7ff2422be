package io.meshfed.model.render;

import io.meshfed.model.inventory.ImportRule;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.model.inventory.Route;
import io.meshfed.model.resource.Readiness;
import io.meshfed.model.resource.Tree;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A VirtualService that sends weighted traffic to local and imported services (the seed's last step).
 * An imported destination's host is the name the importing mesh gives it:
 * {@code name.ns.svc.<peer>-imports.local}, or the cluster-local name for importAsLocal.
 */
final class RouteRenderer {

    static final String ISTIO_API = "networking.istio.io/v1beta1";

    private RouteRenderer() {
    }

    static void render(Route route, Inventory inventory, Rendering out) {
        List<Object> destinations = new ArrayList<>();
        for (Route.Destination d : route.destinations()) {
            Map<String, Object> destination = Tree.map("host", host(route, d, inventory));
            if (d.port() > 0) {
                destination.put("port", Tree.map("number", d.port()));
            }
            destinations.add(Tree.map("destination", destination, "weight", d.weight()));
        }
        Map<String, Object> http = Tree.map("match", route.match().isEmpty() ? null : route.match(), "route", destinations);
        out.managed(route.cluster(), ISTIO_API, "VirtualService", route.namespace(), route.name(),
                Tree.map("spec", Tree.map(
                        "gateways", route.gateways().isEmpty() ? null : route.gateways(),
                        "hosts", route.hosts(),
                        "http", List.of(http))),
                Readiness.EXISTS, "route", Tags.ROUTE);
    }

    static String host(Route route, Route.Destination d, Inventory inventory) {
        if (d.importedFrom() == null) {
            return d.namespace().equals(route.namespace()) ? d.service() : FederationNames.localHost(d.service(), d.namespace());
        }
        ImportRule rule = importRuleFor(route, d, inventory);
        if (rule.importAsLocal()) {
            return FederationNames.localHost(d.service(), d.namespace());
        }
        String peerMesh = inventory.requireCluster(d.importedFrom()).mesh().name();
        return FederationNames.importedHost(d.service(), d.namespace(), peerMesh);
    }

    /** The import rule that makes an imported destination exist. The loader checks that there is one. */
    static ImportRule importRuleFor(Route route, Route.Destination d, Inventory inventory) {
        return inventory.topology().imports().stream()
                .filter(r -> r.into().equals(route.cluster()) && r.from().equals(d.importedFrom())
                        && r.localName().equals(d.service()) && r.localNamespace().equals(d.namespace()))
                .findFirst()
                .orElseThrow(() -> new RenderException(route.location(), "route " + route.name() + " sends traffic to "
                        + d.service() + "." + d.namespace() + " from " + d.importedFrom() + ", which no import rule of "
                        + route.cluster() + " imports"));
    }
}
