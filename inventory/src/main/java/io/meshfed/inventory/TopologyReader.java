package io.meshfed.inventory;

import io.meshfed.model.text.Suggestions;
import io.meshfed.inventory.yaml.Located;
import io.meshfed.model.inventory.ClusterSpec;
import io.meshfed.model.inventory.ExportRule;
import io.meshfed.model.inventory.ImportRule;
import io.meshfed.model.inventory.Locality;
import io.meshfed.model.inventory.Location;
import io.meshfed.model.inventory.Peering;
import io.meshfed.model.inventory.Route;
import io.meshfed.model.inventory.ServiceAlias;
import io.meshfed.model.inventory.Topology;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code federation} variable: peering (full-mesh, hub-and-spoke, pairs), exports,
 * imports and routes. Cluster names are inventory host names.
 */
final class TopologyReader {

    private static final List<String> KEYS = List.of("peering", "hub", "pairs", "exports", "imports", "routes");
    private static final List<String> PEERING_MODES = List.of("full-mesh", "hub-and-spoke", "pairs", "none");
    private static final List<String> EXPORT_KEYS = List.of("from", "to", "services");
    private static final List<String> EXPORT_SERVICE_KEYS = List.of("namespace", "name", "alias", "labels", "aliases");
    private static final List<String> ALIAS_KEYS = List.of("namespace", "name");
    private static final List<String> LABEL_ALIAS_KEYS = List.of("namespace", "name", "alias");
    private static final List<String> IMPORT_KEYS = List.of("into", "from", "locality", "services");
    private static final List<String> IMPORT_SERVICE_KEYS = List.of("namespace", "name", "alias", "as_local", "service_account");
    private static final List<String> LOCALITY_KEYS = List.of("region", "zone", "subzone");
    private static final List<String> ROUTE_KEYS = List.of("cluster", "namespace", "name", "gateways", "hosts", "match",
            "port", "to");
    private static final List<String> DESTINATION_KEYS = List.of("service", "namespace", "from", "port", "weight");

    private final List<String> clusters;
    /** Hosts with problems of their own: a rule naming one is left out, unchecked (its problems are said already). */
    private final java.util.Set<String> leftOut;
    /** The inventory's OSSM 3 hosts: no federation, so named here only by mistake. */
    private final List<String> multiCluster;
    private final Problems problems;
    /** False when the peering itself is wrong: "not its peer" would then only echo that error. */
    private boolean peeringsKnown = true;

    private TopologyReader(List<ClusterSpec> clusters, List<ClusterSpec> multiCluster, java.util.Set<String> leftOut,
                           Problems problems) {
        this.clusters = clusters.stream().map(ClusterSpec::name).toList();
        this.leftOut = leftOut;
        this.multiCluster = multiCluster.stream().map(ClusterSpec::name).toList();
        this.problems = problems;
    }

    /**
     * @param clusters     the OSSM 2 hosts, which federate
     * @param multiCluster the OSSM 3 hosts, which do not
     * @param leftOut      hosts with problems of their own, read no further: what names them is not checked
     */
    static Topology read(Located federation, List<ClusterSpec> clusters, List<ClusterSpec> multiCluster,
                         java.util.Set<String> leftOut, Problems problems) {
        TopologyReader reader = new TopologyReader(clusters, multiCluster, leftOut, problems);
        if (federation == null || federation.value() == null) {
            return new Topology(reader.fullMesh(), List.of(), List.of(), List.of());
        }
        Fields f = Fields.of("federation", federation, problems);
        if (f == null) {
            return Topology.empty();
        }
        f.onlyKeys(KEYS);
        int before = problems.size();
        List<Peering> peerings = reader.peerings(f);
        reader.peeringsKnown = problems.size() == before;
        List<ExportRule> exports = new ArrayList<>();
        for (Located item : f.list("exports")) {
            reader.export(item, peerings, exports);
        }
        List<ImportRule> imports = new ArrayList<>();
        for (Located item : f.list("imports")) {
            reader.imports(item, peerings, imports);
        }
        reader.exportsToImporters(exports, imports);
        List<Route> routes = new ArrayList<>();
        for (Located item : f.list("routes")) {
            Route route = reader.route(item);
            if (route != null) {
                routes.add(route);
            }
        }
        return new Topology(peerings, exports, imports, routes);
    }

    private List<Peering> fullMesh() {
        List<Peering> all = new ArrayList<>();
        for (int i = 0; i < clusters.size(); i++) {
            for (int j = i + 1; j < clusters.size(); j++) {
                all.add(Peering.of(clusters.get(i), clusters.get(j)));
            }
        }
        return all;
    }

    private List<Peering> peerings(Fields f) {
        String mode = f.string("peering", "full-mesh");
        if (!PEERING_MODES.contains(mode)) {
            problems.add(f.locationOf("peering"), "federation: peering must be one of " + PEERING_MODES + ", not '" + mode
                    + "'" + Suggestions.didYouMean(mode, PEERING_MODES));
            return List.of();
        }
        if (f.has("hub") && !mode.equals("hub-and-spoke")) {
            problems.add(f.locationOf("hub"), "federation: 'hub' goes with peering: hub-and-spoke, not " + mode);
        }
        if (f.has("pairs") && !mode.equals("pairs")) {
            problems.add(f.locationOf("pairs"), "federation: 'pairs' goes with peering: pairs, not " + mode);
        }
        switch (mode) {
            case "full-mesh":
                return fullMesh();
            case "none":
                return List.of();
            case "hub-and-spoke": {
                String hub = f.requiredString("hub");
                if (hub == null || !cluster(hub, f.locationOf("hub"), "federation.hub")) {
                    return List.of();
                }
                return clusters.stream().filter(c -> !c.equals(hub)).map(c -> Peering.of(hub, c)).toList();
            }
            default: {
                Set<Peering> pairs = new LinkedHashSet<>();
                if (!f.has("pairs")) {
                    problems.add(f.location(), "federation: peering: pairs needs 'pairs', a list of [cluster, cluster]");
                }
                for (Located pair : f.list("pairs")) {
                    List<String> names = pairNames(pair);
                    if (names != null && cluster(names.get(0), pair.location(), "federation.pairs")
                            && cluster(names.get(1), pair.location(), "federation.pairs")) {
                        if (names.get(0).equals(names.get(1))) {
                            problems.add(pair.location(), "federation.pairs: a cluster cannot peer with itself ("
                                    + names.get(0) + ")");
                        } else if (!pairs.add(Peering.of(names.get(0), names.get(1)))) {
                            problems.add(pair.location(), "federation.pairs: " + names + " is listed twice");
                        }
                    }
                }
                return List.copyOf(pairs);
            }
        }
    }

    private List<String> pairNames(Located pair) {
        if (pair.isList() && pair.asList().size() == 2
                && pair.asList().stream().allMatch(l -> l.value() instanceof String)) {
            return pair.asList().stream().map(l -> (String) l.value()).toList();
        }
        problems.add(pair.location(), "federation.pairs: each pair is a list of two cluster names, like [blue, green]");
        return null;
    }

    /** True when {@code name} is a cluster; otherwise reports it. */
    private boolean cluster(String name, Location where, String field) {
        if (clusters.contains(name)) {
            return true;
        }
        if (leftOut.contains(name)) {
            return false;
        }
        if (multiCluster.contains(name)) {
            problems.add(where, field + ": cluster '" + name + "' runs OpenShift Service Mesh 3 (mesh_generation: ossm3), "
                    + "which has no federation: its services reach the other OSSM 3 clusters as one mesh");
            return false;
        }
        List<String> hosts = new ArrayList<>(clusters);
        hosts.addAll(leftOut);
        problems.add(where, field + ": unknown cluster '" + name + "'" + Suggestions.didYouMean(name, hosts)
                + " (clusters are inventory hosts: " + String.join(", ", hosts) + ")");
        return false;
    }

    /** Exports without {@code to}: offered to each peer that imports from the exporter (set once imports are read). */
    private final java.util.Set<ExportRule> exportsToEveryImporter = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    /** Exports with {@code to}: where it is written, and the peers it names (the others are reported already). */
    private record ExplicitTo(Location where, List<String> peers) {
    }

    private final Map<ExportRule, ExplicitTo> explicitTo = new java.util.IdentityHashMap<>();

    /**
     * An export goes to the peers that import from its cluster: without {@code to}, to each of them
     * (a peer that imports nothing from it gets no ExportedServiceSet, so a cluster added to the
     * inventory is not offered services it does not take, and the doctor has nothing to fail); with
     * {@code to}, naming a peer that imports nothing from the exporter is an error saying how to fix it.
     */
    private void exportsToImporters(List<ExportRule> exports, List<ImportRule> imports) {
        java.util.Set<String> pairs = new java.util.HashSet<>();
        imports.forEach(i -> pairs.add(i.from() + "\n" + i.into()));
        java.util.Set<String> reported = new java.util.HashSet<>();
        exports.replaceAll(rule -> {
            if (exportsToEveryImporter.contains(rule)) {
                return new ExportRule(rule.from(), rule.to().stream().filter(peer -> pairs.contains(rule.from() + "\n" + peer))
                        .toList(), rule.selector(), rule.location());
            }
            ExplicitTo explicit = explicitTo.get(rule);
            for (String peer : explicit == null ? List.<String>of() : explicit.peers()) {
                if (!pairs.contains(rule.from() + "\n" + peer) && reported.add(explicit.where() + "\n" + peer)) {
                    problems.add(explicit.where(), "federation.exports: " + rule.from() + " exports to " + peer + ", which imports "
                            + "nothing from " + rule.from() + " (the doctor would fail it): add an entry to "
                            + "federation.imports with into: " + peer + " and from: " + rule.from()
                            + ", or leave " + peer + " out of 'to' (without 'to', an export goes to every peer that imports "
                            + "from " + rule.from() + ")");
                }
            }
            return rule;
        });
    }

    private void export(Located item, List<Peering> peerings, List<ExportRule> out) {
        Fields f = Fields.of("federation.exports entry", item, problems);
        if (f == null) {
            return;
        }
        f.onlyKeys(EXPORT_KEYS);
        String from = f.requiredString("from");
        if (from == null || !cluster(from, f.locationOf("from"), "federation.exports.from")) {
            return;
        }
        List<String> peers = peerings.stream().filter(p -> p.involves(from)).map(p -> p.other(from)).sorted().toList();
        List<String> to = f.strings("to", peers);
        boolean defaultTo = !f.has("to");
        for (String target : to) {
            if (cluster(target, f.locationOf("to"), "federation.exports.to") && peeringsKnown && !peers.contains(target)) {
                problems.add(f.locationOf("to"), "federation.exports: " + from + " cannot export to " + target
                        + ", which is not its peer (peers of " + from + ": " + peers + ")");
            }
        }
        if (!f.has("services")) {
            problems.add(f.location(), "federation.exports entry: 'services' is required");
        }
        for (Located service : f.list("services")) {
            ExportRule.Selector selector = exportSelector(service);
            if (selector != null) {
                ExportRule rule = new ExportRule(from, to, selector, service.location());
                out.add(rule);
                if (defaultTo) {
                    exportsToEveryImporter.add(rule);
                } else {
                    explicitTo.put(rule, new ExplicitTo(f.locationOf("to"), to.stream().filter(peers::contains).toList()));
                }
            }
        }
    }

    private ExportRule.Selector exportSelector(Located item) {
        Fields f = Fields.of("federation.exports service", item, problems);
        if (f == null) {
            return null;
        }
        f.onlyKeys(EXPORT_SERVICE_KEYS);
        String namespace = f.requiredString("namespace");
        if (f.has("labels")) {
            if (f.has("name") || f.has("alias")) {
                problems.add(f.location(), "federation.exports service: 'labels' selects by label; it does not go with "
                        + "'name' or 'alias' (use 'aliases' to rename)");
            }
            List<ExportRule.LabelAlias> aliases = new ArrayList<>();
            for (Located a : f.list("aliases")) {
                Fields af = Fields.of("federation.exports aliases entry", a, problems);
                if (af != null) {
                    af.onlyKeys(LABEL_ALIAS_KEYS);
                    aliases.add(new ExportRule.LabelAlias(af.string("namespace", "*"), af.string("name", "*"),
                            alias(af.nested("alias", "federation.exports aliases alias"))));
                }
            }
            return new ExportRule.LabelSelector(namespace, f.stringMap("labels"), aliases);
        }
        if (f.has("aliases")) {
            problems.add(f.locationOf("aliases"), "federation.exports service: 'aliases' goes with 'labels'; "
                    + "a name selector takes one 'alias'");
        }
        return new ExportRule.NameSelector(namespace, f.string("name", "*"),
                alias(f.nested("alias", "federation.exports service alias")));
    }

    private ServiceAlias alias(Fields f) {
        if (f == null) {
            return null;
        }
        f.onlyKeys(ALIAS_KEYS);
        return new ServiceAlias(f.string("namespace", null), f.string("name", null));
    }

    private void imports(Located item, List<Peering> peerings, List<ImportRule> out) {
        Fields f = Fields.of("federation.imports entry", item, problems);
        if (f == null) {
            return;
        }
        f.onlyKeys(IMPORT_KEYS);
        String into = f.requiredString("into");
        String from = f.requiredString("from");
        boolean known = into != null && cluster(into, f.locationOf("into"), "federation.imports.into");
        known &= from != null && cluster(from, f.locationOf("from"), "federation.imports.from");
        if (!known) {
            return;
        }
        if (peeringsKnown && !peeringSet(peerings).contains(Peering.of(into, from))) {
            problems.add(f.locationOf("from"), "federation.imports: " + into + " cannot import from " + from
                    + ", which is not its peer");
            return;
        }
        Locality locality = null;
        Fields lf = f.nested("locality", "federation.imports locality");
        if (lf != null) {
            lf.onlyKeys(LOCALITY_KEYS);
            locality = new Locality(lf.string("region", null), lf.string("zone", null), lf.string("subzone", null));
        }
        if (!f.has("services")) {
            problems.add(f.location(), "federation.imports entry: 'services' is required");
        }
        for (Located service : f.list("services")) {
            Fields sf = Fields.of("federation.imports service", service, problems);
            if (sf == null) {
                continue;
            }
            sf.onlyKeys(IMPORT_SERVICE_KEYS);
            ServiceAlias alias = alias(sf.nested("alias", "federation.imports service alias"));
            boolean asLocal = sf.bool("as_local", false);
            if (asLocal && (alias == null || alias.namespace() == null || alias.namespace().isEmpty()
                    || "*".equals(alias.namespace()))) {
                problems.add(sf.location(), "federation.imports service: as_local needs a fixed alias.namespace "
                        + "(Maistra skips an importAsLocal rule without one)");
            }
            out.add(new ImportRule(into, from, sf.requiredString("namespace"), sf.requiredString("name"), alias,
                    asLocal, locality, sf.string("service_account", null), service.location()));
        }
    }

    private Set<Peering> peeringSet;

    private Set<Peering> peeringSet(List<Peering> peerings) {
        if (peeringSet == null) {
            peeringSet = new java.util.HashSet<>(peerings);
        }
        return peeringSet;
    }

    private Route route(Located item) {
        Fields f = Fields.of("federation.routes entry", item, problems);
        if (f == null) {
            return null;
        }
        f.onlyKeys(ROUTE_KEYS);
        String cluster = f.requiredString("cluster");
        String namespace = f.name("namespace", null, true);
        String name = f.name("name", null, true);
        if (cluster != null && !cluster(cluster, f.locationOf("cluster"), "federation.routes.cluster")) {
            return null;
        }
        int port = f.integer("port", 0);
        List<Route.Destination> destinations = new ArrayList<>();
        if (!f.has("to")) {
            problems.add(f.location(), "federation.routes entry: 'to' is required (the weighted destinations)");
        }
        List<Located> to = f.list("to");
        for (Located d : to) {
            Fields df = Fields.of("federation.routes destination", d, problems);
            if (df == null) {
                continue;
            }
            df.onlyKeys(DESTINATION_KEYS);
            String from = df.string("from", null);
            if (from != null) {
                cluster(from, df.locationOf("from"), "federation.routes.to.from");
            }
            Integer weight = df.integer("weight", to.size() == 1 ? 100 : null);
            if (weight == null) {
                problems.add(df.location(), "federation.routes destination: 'weight' is required when a route has "
                        + "more than one destination");
                weight = 0;
            }
            destinations.add(new Route.Destination(df.requiredString("service"), df.string("namespace", namespace), from,
                    df.integer("port", port), weight));
        }
        int total = destinations.stream().mapToInt(Route.Destination::weight).sum();
        if (!destinations.isEmpty() && total != 100) {
            problems.add(f.locationOf("to"), "federation.routes: the weights of route '" + name + "' add up to " + total
                    + ", not 100");
        }
        List<Map<String, Object>> match = new ArrayList<>();
        for (Located m : f.list("match")) {
            if (m.isMap()) {
                @SuppressWarnings("unchecked")
                Map<String, Object> plain = (Map<String, Object>) m.plain();
                match.add(plain);
            } else {
                problems.add(m.location(), "federation.routes: each 'match' entry is an Istio HTTPMatchRequest mapping");
            }
        }
        if (!f.has("hosts")) {
            problems.add(f.location(), "federation.routes entry: 'hosts' is required (the VirtualService's hosts, "
                    + "like ['*'] behind a gateway)");
        }
        return new Route(cluster, namespace, name, f.strings("gateways", List.of()), f.strings("hosts", List.of()),
                match, destinations, item.location());
    }
}
