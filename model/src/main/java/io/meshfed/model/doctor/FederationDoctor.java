package io.meshfed.model.doctor;

import io.meshfed.model.resource.Tree;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Why a federation does not work: pure checks over one snapshot per cluster, for every cluster's
 * control plane and then, for every ServiceMeshPeer, the chain traffic needs in its order — the
 * peer's gateways, its trust domain, its CA certificate, the client ID the peer's ingress admits, the address it
 * dials, and the connection Maistra reports. Each check names the FEDERATION.md rule it comes from.
 */
public final class FederationDoctor {

    private static final String DEFAULT_TRUST_DOMAIN = "cluster.local";
    private static final String ROOT_CERT = "root-cert.pem";

    private final List<ClusterSnapshot> clusters;

    private FederationDoctor(List<ClusterSnapshot> clusters) {
        this.clusters = clusters;
    }

    /** Every finding, cluster by cluster, each peer's chain in the order traffic needs it. */
    public static List<Finding> check(List<ClusterSnapshot> clusters) {
        FederationDoctor doctor = new FederationDoctor(clusters);
        List<Finding> findings = new ArrayList<>();
        for (ClusterSnapshot mesh : clusters) {
            Finding controlPlane = doctor.controlPlane(mesh);
            findings.add(controlPlane);
            if (mesh.controlPlane().isEmpty()) {
                continue;
            }
            for (Map<String, Object> peer : mesh.peers()) {
                findings.addAll(doctor.peer(mesh, peer));
            }
        }
        return findings;
    }

    /** The control plane is Ready, at a version with federation (v2.1+). */
    private Finding controlPlane(ClusterSnapshot mesh) {
        Optional<Map<String, Object>> smcp = mesh.controlPlane();
        if (smcp.isEmpty()) {
            return Finding.fail(mesh.cluster(), null, "control plane", "no ServiceMeshControlPlane on " + mesh.cluster(),
                    "install the Service Mesh operator and create a ServiceMeshControlPlane (meshfed apply)");
        }
        String where = mesh.cluster() + "/ServiceMeshControlPlane " + ref(smcp.get());
        String version = Objects.toString(Tree.get(smcp.get(), "spec", "version"), "");
        if (!version.matches("v2\\.([1-9]|\\d{2,})")) {
            return Finding.fail(mesh.cluster(), null, "control plane", where + " has spec.version '" + version
                    + "'; federation needs v2.1 or later", "set spec.version of " + where + " to v2.3 or later");
        }
        String ready = condition(smcp.get(), "Ready");
        if (!"True".equals(ready)) {
            return Finding.fail(mesh.cluster(), null, "control plane", where + " is not Ready (Ready=" + ready + ": "
                    + conditionMessage(smcp.get(), "Ready") + ")", "see the operator's status on " + where);
        }
        return Finding.ok(mesh.cluster(), null, "control plane", where + " Ready, " + version);
    }

    /** The chain for one peer object on {@code mesh}; checks after one that cannot be evaluated are unknown. */
    private List<Finding> peer(ClusterSnapshot mesh, Map<String, Object> peer) {
        List<Finding> findings = new ArrayList<>();
        String peerWhere = mesh.cluster() + "/ServiceMeshPeer " + ref(peer);
        Optional<ClusterSnapshot> remote = remoteOf(peer);
        if (remote.isEmpty()) {
            findings.add(Finding.unknown(mesh.cluster(), null, "peer's cluster", peerWhere + " names trust domain '"
                    + Tree.get(peer, "spec", "security", "trustDomain") + "', which no control plane of the clusters checked has"));
            return findings;
        }
        ClusterSnapshot other = remote.get();
        Map<String, Object> otherSmcp = other.controlPlane().orElseThrow();
        Optional<Map<String, Object>> back = peerFor(other, trustDomain(mesh.controlPlane().orElseThrow()));
        findings.add(gateways(mesh, other, peer, peerWhere));
        findings.add(trustDomain(mesh, other, peer, peerWhere, otherSmcp));
        findings.add(certificate(mesh, other, peer, peerWhere, otherSmcp));
        findings.add(clientId(mesh, other, peer, peerWhere, otherSmcp, back));
        findings.add(address(mesh, other, peer, peerWhere, back));
        Finding connection = connection(mesh, other, peer, peerWhere);
        boolean explained = findings.stream().anyMatch(f -> f.status() == Finding.Status.FAIL);
        // a peer that is not connected because of a failure above is that failure, said once
        findings.add(explained && connection.status() == Finding.Status.FAIL
                ? new Finding(connection.cluster(), connection.peer(), connection.check(), Finding.Status.WARN,
                        connection.evidence() + " (follows from the failure above)", null)
                : connection);
        return findings;
    }

    /**
     * FEDERATION.md "Gateway labels", "Ports", cause 2: the peer's ingress and egress gateways are in
     * the control plane, their Services exist in its namespace with 15443 (and 8188 on the ingress),
     * and select only their own pods (not the default gateway's).
     */
    private Finding gateways(ClusterSnapshot mesh, ClusterSnapshot other, Map<String, Object> peer, String peerWhere) {
        Map<String, Object> smcp = mesh.controlPlane().orElseThrow();
        String smcpWhere = mesh.cluster() + "/ServiceMeshControlPlane " + ref(smcp);
        String namespace = ClusterSnapshot.namespace(smcp);
        List<String> problems = new ArrayList<>();
        List<String> fixes = new ArrayList<>();
        for (String[] side : new String[][] {{"ingress", "additionalIngress", "istio-ingressgateway"},
                {"egress", "additionalEgress", "istio-egressgateway"}}) {
            String name = (String) Tree.get(peer, "spec", "gateways", side[0], "name");
            if (name == null) {
                problems.add(peerWhere + " names no " + side[0] + " gateway");
                fixes.add("set spec.gateways." + side[0] + ".name of " + peerWhere);
                continue;
            }
            if (!(Tree.get(smcp, "spec", "gateways", side[1]) instanceof Map<?, ?> gateways && gateways.containsKey(name))) {
                problems.add(smcpWhere + " has no spec.gateways." + side[1] + "." + name);
                fixes.add("add " + side[0] + " gateway " + name + " to " + smcpWhere);
                continue;
            }
            Optional<Map<String, Object>> service = mesh.service(namespace, name);
            String serviceWhere = mesh.cluster() + "/Service " + namespace + "/" + name;
            if (service.isEmpty()) {
                problems.add(serviceWhere + " does not exist (the operator makes it from the control plane)");
                continue;
            }
            List<Integer> wanted = side[0].equals("ingress") ? List.of(15443, 8188) : List.of(15443);
            List<Object> ports = ports(service.get());
            List<Integer> missing = wanted.stream().filter(p -> !ports.contains(p)).toList();
            if (!missing.isEmpty()) {
                problems.add(serviceWhere + " has ports " + ports + ", not " + missing);
                fixes.add("add port" + (missing.size() > 1 ? "s " : " ") + missing + " to gateway " + name + " in " + smcpWhere);
            }
            Object selector = Tree.get(service.get(), "spec", "selector");
            Object defaultSelector = mesh.service(namespace, side[2]).map(d -> Tree.get(d, "spec", "selector")).orElse(null);
            if (!(selector instanceof Map<?, ?> labels) || labels.isEmpty() || Objects.equals(selector, defaultSelector)) {
                problems.add(serviceWhere + " selects " + selector + ", the default " + side[0] + " gateway's pods too");
                fixes.add("give gateway " + name + " a label of its own (service.metadata.labels, like "
                        + "federation.maistra.io/" + side[0] + "-for: " + ClusterSnapshot.name(peer) + ") in " + smcpWhere);
            }
        }
        return problems.isEmpty()
                ? Finding.ok(mesh.cluster(), other.cluster(), "gateways", "ingress and egress gateways of " + peerWhere
                        + " are in the control plane, with their ports and their own pods")
                : Finding.fail(mesh.cluster(), other.cluster(), "gateways", String.join("; ", problems),
                        fixes.isEmpty() ? "see the operator's status on " + smcpWhere : String.join("; ", fixes));
    }

    private static List<Object> ports(Map<String, Object> service) {
        List<Object> ports = new ArrayList<>();
        if (Tree.get(service, "spec", "ports") instanceof List<?> list) {
            for (Object p : list) {
                if (p instanceof Map<?, ?> port && port.get("port") instanceof Number n) {
                    ports.add(n.intValue());
                }
            }
        }
        return ports;
    }

    /** FEDERATION.md "Certificates", cause 6: the peer's trust domain is the remote mesh's and not the local one. */
    private Finding trustDomain(ClusterSnapshot mesh, ClusterSnapshot other, Map<String, Object> peer, String peerWhere,
                                Map<String, Object> otherSmcp) {
        String wanted = trustDomain(otherSmcp);
        String set = (String) Tree.get(peer, "spec", "security", "trustDomain");
        String local = trustDomain(mesh.controlPlane().orElseThrow());
        if (Objects.equals(set, local)) {
            return Finding.fail(mesh.cluster(), other.cluster(), "trust domain", peerWhere + " spec.security.trustDomain '"
                    + set + "' is the local mesh's own, so Maistra never reads the peer's CA", "give the meshes distinct "
                    + "trust domains (spec.security.trust.domain of each ServiceMeshControlPlane)");
        }
        return Objects.equals(set, wanted)
                ? Finding.ok(mesh.cluster(), other.cluster(), "trust domain", peerWhere + " trusts '" + set + "', "
                        + other.cluster() + "'s mesh's")
                : Finding.fail(mesh.cluster(), other.cluster(), "trust domain", peerWhere + " spec.security.trustDomain is '"
                        + set + "'; " + other.cluster() + "/ServiceMeshControlPlane " + ref(otherSmcp) + " has '" + wanted + "'",
                        "set spec.security.trustDomain of " + peerWhere + " to " + wanted);
    }

    /** FEDERATION.md "Certificates": the certificateChain ConfigMap holds the remote mesh's current root CA. */
    private Finding certificate(ClusterSnapshot mesh, ClusterSnapshot other, Map<String, Object> peer, String peerWhere,
                                Map<String, Object> otherSmcp) {
        String namespace = ClusterSnapshot.namespace(peer);
        String name = (String) Tree.get(peer, "spec", "security", "certificateChain", "name");
        String otherNamespace = ClusterSnapshot.namespace(otherSmcp);
        Object remoteCa = other.configMap(otherNamespace, "istio-ca-root-cert").map(c -> Tree.get(c, "data", ROOT_CERT)).orElse(null);
        if (remoteCa == null) {
            return Finding.unknown(mesh.cluster(), other.cluster(), "CA certificate", other.cluster() + "/ConfigMap "
                    + otherNamespace + "/istio-ca-root-cert has no " + ROOT_CERT + " (istiod writes it when it runs)");
        }
        Optional<Map<String, Object>> copy = name == null ? Optional.empty() : mesh.configMap(namespace, name);
        String copyWhere = mesh.cluster() + "/ConfigMap " + namespace + "/" + name;
        String fix = "copy " + ROOT_CERT + " of " + other.cluster() + "/ConfigMap " + otherNamespace + "/istio-ca-root-cert into "
                + copyWhere + " (meshfed apply does)";
        if (copy.isEmpty()) {
            return Finding.fail(mesh.cluster(), other.cluster(), "CA certificate", peerWhere + " names certificateChain "
                    + copyWhere + ", which does not exist (it must be in the control plane's namespace)", fix);
        }
        Object held = Tree.get(copy.get(), "data", ROOT_CERT);
        if (held == null) {
            return Finding.fail(mesh.cluster(), other.cluster(), "CA certificate", copyWhere + " has no " + ROOT_CERT, fix);
        }
        return held.toString().strip().equals(remoteCa.toString().strip())
                ? Finding.ok(mesh.cluster(), other.cluster(), "CA certificate", copyWhere + " holds " + other.cluster()
                        + "'s current root CA")
                : Finding.fail(mesh.cluster(), other.cluster(), "CA certificate", copyWhere + " differs from "
                        + other.cluster() + "'s current root CA (rotated since it was copied?)", fix);
    }

    /** FEDERATION.md "clientID": the peer's ingress admits only {@code <trust domain>/ns/<ns>/sa/<egress>-service-account}. */
    private Finding clientId(ClusterSnapshot mesh, ClusterSnapshot other, Map<String, Object> peer, String peerWhere,
                             Map<String, Object> otherSmcp, Optional<Map<String, Object>> back) {
        if (back.isEmpty()) {
            return Finding.fail(mesh.cluster(), other.cluster(), "client ID", "no ServiceMeshPeer on " + other.cluster()
                    + " trusts " + mesh.cluster() + "'s mesh: federation needs a peer object on both sides",
                    "create the ServiceMeshPeer for " + mesh.cluster() + "'s mesh on " + other.cluster());
        }
        String egress = (String) Tree.get(back.get(), "spec", "gateways", "egress", "name");
        String wanted = trustDomain(otherSmcp) + "/ns/" + ClusterSnapshot.namespace(otherSmcp) + "/sa/" + egress
                + "-service-account";
        String set = (String) Tree.get(peer, "spec", "security", "clientID");
        return Objects.equals(set, wanted)
                ? Finding.ok(mesh.cluster(), other.cluster(), "client ID", peerWhere + " admits " + set)
                : Finding.fail(mesh.cluster(), other.cluster(), "client ID", peerWhere + " spec.security.clientID is '" + set
                        + "'; " + other.cluster() + "'s egress gateway " + egress + " runs as " + wanted,
                        "set spec.security.clientID of " + peerWhere + " to " + wanted);
    }

    /** FEDERATION.md cause 3: remote.addresses holds the peer's current ingress address (it changes with its load balancer). */
    private Finding address(ClusterSnapshot mesh, ClusterSnapshot other, Map<String, Object> peer, String peerWhere,
                            Optional<Map<String, Object>> back) {
        if (back.isEmpty()) {
            return Finding.unknown(mesh.cluster(), other.cluster(), "peer address", "no ServiceMeshPeer on " + other.cluster()
                    + " names the ingress gateway " + mesh.cluster() + " dials");
        }
        String ingress = (String) Tree.get(back.get(), "spec", "gateways", "ingress", "name");
        String otherNamespace = ClusterSnapshot.namespace(back.get());
        String serviceWhere = other.cluster() + "/Service " + otherNamespace + "/" + ingress;
        Optional<Map<String, Object>> service = other.service(otherNamespace, ingress);
        Object addresses = Tree.get(peer, "spec", "remote", "addresses");
        if (service.isEmpty()) {
            return Finding.fail(mesh.cluster(), other.cluster(), "peer address", serviceWhere + " does not exist",
                    "add ingress gateway " + ingress + " to " + other.cluster() + "'s ServiceMeshControlPlane");
        }
        Object address = loadBalancerAddress(service.get());
        if (address == null) {
            return Finding.fail(mesh.cluster(), other.cluster(), "peer address", serviceWhere + " has no load-balancer address",
                    "give " + other.cluster() + " a load balancer (MetalLB pool, or the cloud's)");
        }
        return addresses instanceof List<?> list && list.contains(address)
                ? Finding.ok(mesh.cluster(), other.cluster(), "peer address", peerWhere + " dials " + address + ", "
                        + serviceWhere + "'s address")
                : Finding.fail(mesh.cluster(), other.cluster(), "peer address", peerWhere + " spec.remote.addresses is "
                        + addresses + "; " + serviceWhere + " has " + address,
                        "set spec.remote.addresses of " + peerWhere + " to [" + address + "]");
    }

    /** FEDERATION.md "Status": an active discovery entry whose watch is connected. */
    private Finding connection(ClusterSnapshot mesh, ClusterSnapshot other, Map<String, Object> peer, String peerWhere) {
        Map<String, Object> watch = null;
        for (String state : List.of("active", "inactive")) {
            if (Tree.get(peer, "status", "discoveryStatus", state) instanceof List<?> entries && !entries.isEmpty()
                    && entries.get(0) instanceof Map<?, ?> entry && entry.get("watch") instanceof Map<?, ?> w) {
                @SuppressWarnings("unchecked")
                Map<String, Object> typed = (Map<String, Object>) w;
                watch = typed;
                break;
            }
        }
        if (watch == null) {
            return Finding.unknown(mesh.cluster(), other.cluster(), "connection", peerWhere + " has no discovery status yet "
                    + "(istiod has not reported on it)");
        }
        if (Boolean.TRUE.equals(watch.get("connected"))) {
            return Finding.ok(mesh.cluster(), other.cluster(), "connection", peerWhere + " watch connected since "
                    + watch.get("lastConnected"));
        }
        return Finding.fail(mesh.cluster(), other.cluster(), "connection", peerWhere + " is not connected: "
                + watch.getOrDefault("lastDisconnectStatus", "no reason given"), "fix what the checks above say; if they "
                + "all pass, see istiod's log on " + mesh.cluster());
    }

    /** The cluster whose mesh the peer trusts (by trust domain, else by its control plane's name). */
    private Optional<ClusterSnapshot> remoteOf(Map<String, Object> peer) {
        Object trusted = Tree.get(peer, "spec", "security", "trustDomain");
        Optional<ClusterSnapshot> byTrust = clusters.stream().filter(c -> c.controlPlane().isPresent()
                && Objects.equals(trustDomain(c.controlPlane().get()), trusted)).findFirst();
        return byTrust.isPresent() ? byTrust : clusters.stream().filter(c -> c.controlPlane().isPresent()
                && Objects.equals(ClusterSnapshot.name(c.controlPlane().get()), ClusterSnapshot.name(peer))).findFirst();
    }

    /** The peer object on {@code other} that trusts {@code trustDomain}. */
    private static Optional<Map<String, Object>> peerFor(ClusterSnapshot other, String trustDomain) {
        return other.peers().stream().filter(p -> Objects.equals(Tree.get(p, "spec", "security", "trustDomain"), trustDomain))
                .findFirst();
    }

    private static String trustDomain(Map<String, Object> smcp) {
        return Objects.toString(Tree.get(smcp, "spec", "security", "trust", "domain"), DEFAULT_TRUST_DOMAIN);
    }

    private static Object loadBalancerAddress(Map<String, Object> service) {
        if (Tree.get(service, "status", "loadBalancer", "ingress") instanceof List<?> ingress && !ingress.isEmpty()
                && ingress.get(0) instanceof Map<?, ?> first) {
            return first.get("ip") != null ? first.get("ip") : first.get("hostname");
        }
        return null;
    }

    private static String condition(Map<String, Object> object, String type) {
        return conditionField(object, type, "status");
    }

    private static String conditionMessage(Map<String, Object> object, String type) {
        return conditionField(object, type, "message");
    }

    private static String conditionField(Map<String, Object> object, String type, String field) {
        if (Tree.get(object, "status", "conditions") instanceof List<?> conditions) {
            for (Object c : conditions) {
                if (c instanceof Map<?, ?> m && type.equals(m.get("type"))) {
                    return Objects.toString(m.get(field), null);
                }
            }
        }
        return null;
    }

    private static String ref(Map<String, Object> object) {
        return ClusterSnapshot.namespace(object) + "/" + ClusterSnapshot.name(object);
    }
}
