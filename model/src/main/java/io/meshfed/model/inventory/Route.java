package io.meshfed.model.inventory;

import java.util.List;
import java.util.Map;

/**
 * A VirtualService in one cluster that sends weighted traffic to local and imported services, as the
 * seed's last step does.
 *
 * @param cluster      where the VirtualService lives
 * @param namespace    its namespace
 * @param name         its name
 * @param gateways     {@code spec.gateways}
 * @param hosts        {@code spec.hosts}
 * @param match        {@code spec.http[0].match}, as written
 * @param destinations weighted destinations
 * @param location     where the route was written
 */
public record Route(String cluster, String namespace, String name, List<String> gateways, List<String> hosts,
                    List<Map<String, Object>> match, List<Destination> destinations, Location location) {

    public Route {
        gateways = List.copyOf(gateways);
        hosts = List.copyOf(hosts);
        match = List.copyOf(match);
        destinations = List.copyOf(destinations);
    }

    /**
     * A weighted destination: a local service, or a service imported from a peer, named as the
     * importing mesh names it (the import rule's alias).
     *
     * @param service      the service name
     * @param namespace    the service's namespace (the route's unless given)
     * @param importedFrom the peer the service is imported from, or null for a local service
     * @param port         the destination port, or 0 for none
     * @param weight       the weight
     */
    public record Destination(String service, String namespace, String importedFrom, int port, int weight) {
    }
}
