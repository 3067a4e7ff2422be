package io.meshfed.inventory;

import io.meshfed.inventory.yaml.Located;
import io.meshfed.model.inventory.ClusterSpec;
import io.meshfed.model.inventory.Connection;
import io.meshfed.model.inventory.Location;
import io.meshfed.model.inventory.MultiCluster;
import io.meshfed.model.text.Quoted;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the inventory's OSSM 3 hosts share: the mesh ID ({@code mesh_id}, by default the inventory's
 * name) and the root of trust ({@code mesh_trust}: {@code root_cert} and {@code root_key}, files relative
 * to the inventory, or {@code secret} on a cluster reached as a host is; never read here, never printed),
 * each set once for all of them; and their cluster
 * names, which must differ (istiod tells remote clusters apart by them).
 */
final class MultiClusterReader {

    private static final List<String> TRUST_KEYS = List.of("root_cert", "root_key", "secret", "namespace",
            HostKeys.KUBE_CONTEXT, HostKeys.KUBECONFIG, HostKeys.KUBE_IN_CLUSTER);
    private static final Pattern SECRET_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    /** Where meshfed's Job runs (deploy/namespace.yaml): a root kept beside it by default. */
    static final String DEFAULT_TRUST_NAMESPACE = "meshfed";
    /** A lifetime as kubectl create token's --duration takes it (hours, minutes), or in days. */
    private static final Pattern LIFETIME = Pattern.compile("(\\d+)([dhm])");
    /** The API server refuses a TokenRequest for less than ten minutes. */
    private static final Duration SHORTEST_LIFETIME = Duration.ofMinutes(10);

    private MultiClusterReader() {
    }

    static MultiCluster read(String inventoryName, List<ClusterSpec> clusters, Map<String, Map<String, Located>> vars,
                             Location firstHost, Path baseDir, Problems problems) {
        Map<String, String> names = new HashMap<>();
        for (ClusterSpec c : clusters) {
            String other = names.putIfAbsent(c.istio().clusterName(), c.name());
            if (other != null) {
                Located named = vars.get(c.name()).get(HostKeys.MESH_CLUSTER_NAME);
                problems.add(named != null ? named.location() : Location.UNKNOWN, "host '" + c.name() + "': cluster name "
                        + Quoted.of(c.istio().clusterName()) + " is also host '" + other + "''s; each cluster of an OSSM 3 "
                        + "mesh needs its own (istiod knows remote clusters by it)");
            }
        }
        Located idVar = InventoryLoader.sameForAll(vars, HostKeys.MESH_ID, problems);
        String id = inventoryName;
        if (idVar != null) {
            if (idVar.value() instanceof String named && Fields.isDnsLabel(named)) {
                id = named;
            } else {
                problems.add(idVar.location(), "mesh_id must be a name (lower-case letters, digits and '-'), not "
                        + Quoted.of(String.valueOf(idVar.value())));
            }
        }
        String meshId = id;
        Duration lifetime = lifetime(InventoryLoader.sameForAll(vars, HostKeys.MESH_READER_TOKEN_LIFETIME, problems), problems);
        String reachability = reachability(InventoryLoader.sameForAll(vars, HostKeys.MESH_REACHABILITY, problems), problems);
        List<String> services = services(InventoryLoader.sameForAll(vars, HostKeys.MESH_SERVICES, problems), clusters, problems);
        java.util.function.Function<MultiCluster.TrustRoot, MultiCluster> mesh = root -> new MultiCluster(meshId, root, lifetime,
                reachability, services);
        Located trustVar = InventoryLoader.sameForAll(vars, HostKeys.MESH_TRUST, problems);
        if (trustVar == null) {
            problems.add(firstHost, "mesh_trust is not set: OSSM 3 clusters of one mesh need one root of "
                    + "trust; set mesh_trust: {root_cert: FILE, root_key: FILE} (or {secret: NAME, kube_context: CONTEXT} "
                    + "on a cluster outside the mesh) in group_vars/all (meshfed issues each cluster's intermediate CA from "
                    + "it; `meshfed pki root` makes one for a mesh without a PKI)");
            return mesh.apply(null);
        }
        Fields trust = Fields.of("mesh_trust", trustVar, problems);
        if (trust == null) {
            return mesh.apply(null);
        }
        trust.onlyKeys(TRUST_KEYS);
        if (trust.has("secret")) {
            return mesh.apply(secret(trust, trustVar.location()));
        }
        for (String key : List.of("namespace", HostKeys.KUBE_CONTEXT, HostKeys.KUBECONFIG, HostKeys.KUBE_IN_CLUSTER)) {
            if (trust.has(key)) {
                trust.problem(trust.locationOf(key), "mesh_trust." + key + " says where a Secret is, and mesh_trust names "
                        + "files (root_cert, root_key); set mesh_trust.secret, or remove " + key);
            }
        }
        String cert = file(trust, "root_cert", baseDir);
        String key = file(trust, "root_key", baseDir);
        return mesh.apply(MultiCluster.TrustRoot.files(cert, key, trustVar.location()));
    }

    /** {@code mesh_trust: {secret: NAME, namespace: NS, kube_context | kubeconfig | kube_in_cluster}}. */
    private static MultiCluster.TrustRoot secret(Fields trust, Location location) {
        for (String key : List.of("root_cert", "root_key")) {
            if (trust.has(key)) {
                trust.problem(trust.locationOf(key), "mesh_trust." + key + " and mesh_trust.secret both say where the root "
                        + "is; keep one");
            }
        }
        String name = trust.requiredString("secret");
        if (name != null && !SECRET_NAME.matcher(name).matches()) {
            trust.problem(trust.locationOf("secret"), "mesh_trust.secret " + Quoted.of(name) + " is not a Secret's name "
                    + "(lower-case letters, digits, '-' and '.')");
        }
        String namespace = trust.name("namespace", DEFAULT_TRUST_NAMESPACE, false);
        Connection connection = new Connection(trust.string(HostKeys.KUBE_CONTEXT, null), trust.string(HostKeys.KUBECONFIG, null),
                trust.bool(HostKeys.KUBE_IN_CLUSTER, false));
        if (connection.inCluster() && (connection.context() != null || connection.kubeconfig() != null)) {
            trust.problem(trust.locationOf(HostKeys.KUBE_IN_CLUSTER), "mesh_trust: kube_in_cluster cannot go with "
                    + "kube_context or kubeconfig");
        }
        return new MultiCluster.TrustRoot(null, null, new MultiCluster.SecretSource(connection, namespace, name), location);
    }

    /** {@code mesh_reachability}: namespace-sameness (the default) or dns-capture. */
    private static String reachability(Located value, Problems problems) {
        if (value == null) {
            return MultiCluster.NAMESPACE_SAMENESS;
        }
        List<String> known = List.of(MultiCluster.NAMESPACE_SAMENESS, MultiCluster.DNS_CAPTURE);
        if (!(value.value() instanceof String text) || !known.contains(text)) {
            problems.add(value.location(), "mesh_reachability must be namespace-sameness (a Service is defined on every "
                    + "cluster that calls it) or dns-capture (the sidecars' DNS proxy answers for Services of other "
                    + "clusters), not " + Quoted.of(String.valueOf(value.value())));
            return MultiCluster.NAMESPACE_SAMENESS;
        }
        return text;
    }

    /**
     * {@code mesh_services}: Services as {@code name.namespace}, each in a namespace every OSSM 3 host has in
     * {@code mesh_members} (a sidecar outside the mesh calls none of them).
     */
    private static List<String> services(Located value, List<ClusterSpec> clusters, Problems problems) {
        if (value == null) {
            return List.of();
        }
        if (!value.isList()) {
            problems.add(value.location(), "mesh_services must be a list of Services as name.namespace, for example "
                    + "[helloworld.sample]");
            return List.of();
        }
        List<String> services = new java.util.ArrayList<>();
        for (Located item : value.asList()) {
            String[] parts = item.value() instanceof String text ? text.split("\\.", -1) : new String[0];
            if (parts.length != 2 || !Fields.isDnsLabel(parts[0]) || !Fields.isDnsLabel(parts[1])) {
                problems.add(item.location(), "mesh_services: " + Quoted.of(String.valueOf(item.value())) + " is not a "
                        + "Service as name.namespace (helloworld.sample)");
                continue;
            }
            for (ClusterSpec c : clusters) {
                if (!c.members().contains(parts[1])) {
                    problems.add(item.location(), "mesh_services: " + item.value() + " is in namespace " + parts[1]
                            + ", which is not in host '" + c.name() + "''s mesh_members (namespace sameness: the same "
                            + "namespaces on every cluster)");
                }
            }
            if (services.contains((String) item.value())) {
                problems.add(item.location(), "mesh_services: " + item.value() + " is listed twice");
            }
            services.add((String) item.value());
        }
        return services;
    }

    /** {@code mesh_reader_token_lifetime}: 90d, 2160h, 45m; at least ten minutes. */
    private static Duration lifetime(Located value, Problems problems) {
        if (value == null) {
            return MultiCluster.DEFAULT_READER_TOKEN_LIFETIME;
        }
        Matcher m = value.value() instanceof String text ? LIFETIME.matcher(text.trim()) : null;
        if (m == null || !m.matches()) {
            problems.add(value.location(), "mesh_reader_token_lifetime must be a duration in days, hours or minutes "
                    + "(90d, 2160h, 45m), not " + Quoted.of(String.valueOf(value.value())));
            return MultiCluster.DEFAULT_READER_TOKEN_LIFETIME;
        }
        long n = Long.parseLong(m.group(1));
        Duration lifetime = switch (m.group(2)) {
            case "d" -> Duration.ofDays(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofMinutes(n);
        };
        if (lifetime.compareTo(SHORTEST_LIFETIME) < 0) {
            problems.add(value.location(), "mesh_reader_token_lifetime " + Quoted.of(String.valueOf(value.value())) + " is shorter than the "
                    + "ten minutes an API server issues a token for at least");
        }
        return lifetime;
    }

    /** A file the inventory names, relative to its folder: it must be there and readable (its content is not read). */
    private static String file(Fields trust, String key, Path baseDir) {
        String value = trust.requiredString(key);
        if (value == null) {
            return null;
        }
        Path path = baseDir.resolve(value.replaceFirst("^~", System.getProperty("user.home"))).normalize();
        if (!Files.isRegularFile(path)) {
            trust.problem(trust.locationOf(key), "mesh_trust." + key + ": no such file " + value
                    + " (relative to the inventory's folder)");
        } else if (!Files.isReadable(path)) {
            trust.problem(trust.locationOf(key), "mesh_trust." + key + ": cannot read " + value + ": permission denied");
        }
        return path.toString();
    }
}
