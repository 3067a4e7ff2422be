package io.meshfed.model.doctor;

import io.meshfed.model.resource.Tree;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import static io.meshfed.model.doctor.MeshObjects.where;

/**
 * The link of one peer object, in the order traffic needs it: the peer's gateways, its trust domain,
 * its CA certificate, the client ID the peer's ingress admits, the address and ports it dials, and the
 * connection Maistra reports. Each check names the FEDERATION.md rule it comes from.
 */
final class PeerChecks {

    private static final String ROOT_CERT = "root-cert.pem";

    private PeerChecks() {
    }

    static List<Finding> check(Direction d) {
        List<Finding> findings = new ArrayList<>();
        findings.add(gateways(d));
        findings.add(trustDomain(d));
        findings.add(certificate(d));
        findings.add(clientId(d));
        findings.add(address(d));
        Finding connection = connection(d);
        boolean explained = findings.stream().anyMatch(f -> f.status() == Finding.Status.FAIL);
        // a peer that is not connected because of a failure above is that failure, said once
        findings.add(explained && connection.status() == Finding.Status.FAIL
                ? connection.following("the failure above")
                : connection);
        return findings;
    }

    /**
     * FEDERATION.md "Gateway labels", "Ports", cause 2: the peer's ingress and egress gateways are in
     * the control plane, their Services exist in its namespace with 15443 (and 8188 on the ingress),
     * select only their own pods (not the default gateway's), and the ingress is reachable from outside.
     */
    private static Finding gateways(Direction d) {
        ClusterSnapshot mesh = d.mesh();
        Map<String, Object> smcp = mesh.controlPlane().orElseThrow();
        String smcpWhere = where(mesh.cluster(), smcp);
        String namespace = ClusterSnapshot.namespace(smcp);
        List<String> problems = new ArrayList<>();
        List<String> fixes = new ArrayList<>();
        for (String[] side : new String[][] {{"ingress", "additionalIngress", "istio-ingressgateway"},
                {"egress", "additionalEgress", "istio-egressgateway"}}) {
            String name = (String) Tree.get(d.peer(), "spec", "gateways", side[0], "name");
            if (name == null) {
                problems.add(d.peerWhere() + " names no " + side[0] + " gateway");
                fixes.add("set spec.gateways." + side[0] + ".name of " + d.peerWhere());
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
            boolean ingress = side[0].equals("ingress");
            List<Integer> wanted = ingress ? List.of(15443, 8188) : List.of(15443);
            List<Integer> ports = MeshObjects.ports(service.get(), false);
            List<Integer> missing = wanted.stream().filter(p -> !ports.contains(p)).toList();
            if (!missing.isEmpty()) {
                problems.add(serviceWhere + " has ports " + ports + ", not " + missing);
                fixes.add("add port" + (missing.size() > 1 ? "s " : " ") + missing + " to gateway " + name + " in " + smcpWhere);
            }
            Object type = Tree.get(service.get(), "spec", "type");
            if (ingress && !"LoadBalancer".equals(type) && !"NodePort".equals(type)) {
                problems.add(serviceWhere + " is of type " + Objects.toString(type, "ClusterIP") + ": " + d.other().cluster()
                        + " cannot reach it");
                fixes.add("set service.type: LoadBalancer of gateway " + name + " in " + smcpWhere);
            }
            Object selector = Tree.get(service.get(), "spec", "selector");
            Object defaultSelector = mesh.service(namespace, side[2]).map(s -> Tree.get(s, "spec", "selector")).orElse(null);
            if (!(selector instanceof Map<?, ?> labels) || labels.isEmpty() || Objects.equals(selector, defaultSelector)) {
                problems.add(serviceWhere + " selects " + selector + ", the default " + side[0] + " gateway's pods too");
                fixes.add("give gateway " + name + " a label of its own (service.metadata.labels, like "
                        + "federation.maistra.io/" + side[0] + "-for: " + d.peerName() + ") in " + smcpWhere);
            }
        }
        return problems.isEmpty()
                ? d.ok("gateways", "ingress and egress gateways of " + d.peerWhere()
                        + " are in the control plane, with their ports and their own pods")
                : d.fail("gateways", String.join("; ", problems),
                        fixes.isEmpty() ? "see the operator's status on " + smcpWhere : String.join("; ", fixes));
    }

    /** FEDERATION.md "Certificates", cause 6: the peer's trust domain is the remote mesh's and not the local one. */
    private static Finding trustDomain(Direction d) {
        String wanted = MeshObjects.trustDomain(d.otherControlPlane());
        String set = (String) Tree.get(d.peer(), "spec", "security", "trustDomain");
        String local = MeshObjects.trustDomain(d.mesh().controlPlane().orElseThrow());
        if (Objects.equals(set, local)) {
            return d.fail("trust domain", d.peerWhere() + " spec.security.trustDomain '" + set + "' is the local mesh's own, "
                    + "so Maistra never reads the peer's CA", "give the meshes distinct trust domains "
                    + "(spec.security.trust.domain of each ServiceMeshControlPlane)");
        }
        return Objects.equals(set, wanted)
                ? d.ok("trust domain", d.peerWhere() + " trusts '" + set + "', " + d.other().cluster() + "'s mesh's")
                : d.fail("trust domain", d.peerWhere() + " spec.security.trustDomain is '" + set + "'; "
                        + where(d.other().cluster(), d.otherControlPlane()) + " has '" + wanted + "'",
                        "set spec.security.trustDomain of " + d.peerWhere() + " to " + wanted);
    }

    /** FEDERATION.md "Certificates": the certificateChain ConfigMap holds the remote mesh's current root CA. */
    private static Finding certificate(Direction d) {
        String name = (String) Tree.get(d.peer(), "spec", "security", "certificateChain", "name");
        String otherNamespace = ClusterSnapshot.namespace(d.otherControlPlane());
        String other = d.other().cluster();
        Object remoteCa = d.other().configMap(otherNamespace, "istio-ca-root-cert").map(c -> Tree.get(c, "data", ROOT_CERT))
                .orElse(null);
        if (remoteCa == null) {
            return d.unknown("CA certificate", other + "/ConfigMap " + otherNamespace + "/istio-ca-root-cert has no "
                    + ROOT_CERT + " (istiod writes it when it runs)");
        }
        Optional<Map<String, Object>> copy = name == null ? Optional.empty() : d.mesh().configMap(d.namespace(), name);
        String copyWhere = d.mesh().cluster() + "/ConfigMap " + d.namespace() + "/" + name;
        String fix = "copy " + ROOT_CERT + " of " + other + "/ConfigMap " + otherNamespace + "/istio-ca-root-cert into "
                + copyWhere + " (meshfed apply does)";
        if (copy.isEmpty()) {
            return d.fail("CA certificate", d.peerWhere() + " names certificateChain " + copyWhere
                    + ", which does not exist (it must be in the control plane's namespace)", fix);
        }
        Object held = Tree.get(copy.get(), "data", ROOT_CERT);
        if (held == null) {
            return d.fail("CA certificate", copyWhere + " has no " + ROOT_CERT, fix);
        }
        return held.toString().strip().equals(remoteCa.toString().strip())
                ? d.ok("CA certificate", copyWhere + " holds " + other + "'s current root CA")
                : d.fail("CA certificate", copyWhere + " differs from " + other + "'s current root CA (rotated since it was "
                        + "copied?)", fix);
    }

    /** FEDERATION.md "clientID": the peer's ingress admits only {@code <trust domain>/ns/<ns>/sa/<egress>-service-account}. */
    private static Finding clientId(Direction d) {
        String other = d.other().cluster();
        if (d.back().isEmpty()) {
            return d.fail("client ID", "no ServiceMeshPeer on " + other + " trusts " + d.mesh().cluster()
                    + "'s mesh: federation needs a peer object on both sides",
                    "create the ServiceMeshPeer for " + d.mesh().cluster() + "'s mesh on " + other);
        }
        String egress = (String) Tree.get(d.back().get(), "spec", "gateways", "egress", "name");
        String wanted = MeshObjects.trustDomain(d.otherControlPlane()) + "/ns/" + ClusterSnapshot.namespace(d.otherControlPlane())
                + "/sa/" + egress + "-service-account";
        String set = (String) Tree.get(d.peer(), "spec", "security", "clientID");
        String otherNamespace = ClusterSnapshot.namespace(d.otherControlPlane());
        if (Objects.equals(set, wanted) && d.other().find("ServiceAccount", otherNamespace, egress + "-service-account").isEmpty()) {
            return d.fail("client ID", d.peerWhere() + " admits " + set + ", but " + other + "/ServiceAccount "
                    + otherNamespace + "/" + egress + "-service-account does not exist: " + other + " has no egress gateway "
                    + egress + " running as it", "add egress gateway " + egress + " to " + other + "'s ServiceMeshControlPlane");
        }
        return Objects.equals(set, wanted)
                ? d.ok("client ID", d.peerWhere() + " admits " + set)
                : d.fail("client ID", d.peerWhere() + " spec.security.clientID is '" + set + "'; " + other
                        + "'s egress gateway " + egress + " runs as " + wanted,
                        "set spec.security.clientID of " + d.peerWhere() + " to " + wanted);
    }

    /**
     * FEDERATION.md cause 3, "Ports": remote.addresses holds the peer's current ingress address (it
     * changes with its load balancer), and the discovery and service ports are that Service's (its
     * node ports where it is a NodePort Service).
     */
    private static Finding address(Direction d) {
        String other = d.other().cluster();
        if (d.back().isEmpty()) {
            return d.unknown("peer address", "no ServiceMeshPeer on " + other + " names the ingress gateway "
                    + d.mesh().cluster() + " dials");
        }
        String ingress = (String) Tree.get(d.back().get(), "spec", "gateways", "ingress", "name");
        String otherNamespace = ClusterSnapshot.namespace(d.back().get());
        String serviceWhere = other + "/Service " + otherNamespace + "/" + ingress;
        Optional<Map<String, Object>> service = d.other().service(otherNamespace, ingress);
        if (service.isEmpty()) {
            return d.fail("peer address", serviceWhere + " does not exist",
                    "add ingress gateway " + ingress + " to " + other + "'s ServiceMeshControlPlane");
        }
        boolean nodePort = "NodePort".equals(Tree.get(service.get(), "spec", "type"));
        List<Integer> ports = MeshObjects.ports(service.get(), nodePort);
        List<String> wrongPorts = new ArrayList<>();
        for (String[] p : new String[][] {{"discoveryPort", "8188"}, {"servicePort", "15443"}}) {
            Object set = Tree.get(d.peer(), "spec", "remote", p[0]);
            int port = set instanceof Number n ? n.intValue() : Integer.parseInt(p[1]);
            if (!ports.contains(port)) {
                wrongPorts.add("spec.remote." + p[0] + " " + port);
            }
        }
        if (!wrongPorts.isEmpty()) {
            return d.fail("peer address", d.peerWhere() + " dials " + String.join(" and ", wrongPorts) + "; " + serviceWhere
                    + " has " + (nodePort ? "node ports " : "ports ") + ports, "set " + String.join(" and ",
                    wrongPorts.stream().map(w -> w.substring(0, w.indexOf(' '))).toList()) + " of " + d.peerWhere()
                    + " to " + serviceWhere + "'s" + (nodePort ? " node ports" : " ports") + " for 8188 and 15443");
        }
        Object addresses = Tree.get(d.peer(), "spec", "remote", "addresses");
        if (nodePort) {
            return d.unknown("peer address", serviceWhere + " is a NodePort Service: " + d.peerWhere() + " dials "
                    + addresses + ", node addresses are not checked");
        }
        Object address = MeshObjects.loadBalancerAddress(service.get());
        if (address == null) {
            return d.fail("peer address", serviceWhere + " has no load-balancer address",
                    "give " + other + " a load balancer (MetalLB pool, or the cloud's)");
        }
        return addresses instanceof List<?> list && list.contains(address)
                ? d.ok("peer address", d.peerWhere() + " dials " + address + ", " + serviceWhere + "'s address")
                : d.fail("peer address", d.peerWhere() + " spec.remote.addresses is " + addresses + "; " + serviceWhere
                        + " has " + address, "set spec.remote.addresses of " + d.peerWhere() + " to [" + address + "]");
    }

    /** FEDERATION.md "Status": an active discovery entry whose watch (outbound) is connected, and a connected remote (inbound). */
    private static Finding connection(Direction d) {
        Map<String, Object> watch = watch(d.peer());
        if (watch == null) {
            return d.unknown("connection", d.peerWhere() + " has no discovery status yet (istiod has not reported on it)");
        }
        if (Boolean.TRUE.equals(watch.get("connected"))) {
            List<Map<String, Object>> remotes = Tree.maps(entry(d.peer()), "remotes");
            if (remotes.stream().noneMatch(r -> Boolean.TRUE.equals(r.get("connected")))) {
                return d.fail("connection", d.peerWhere() + " watches " + d.other().cluster() + " (connected since "
                        + watch.get("lastConnected") + "), but no connection from " + d.other().cluster() + " is listed in "
                        + "its remotes", "see " + d.other().cluster() + "'s side of this peering (its checks below or above)");
            }
            return d.ok("connection", d.peerWhere() + " watch connected since " + watch.get("lastConnected") + ", "
                    + d.other().cluster() + " connected from " + remotes.stream().filter(r -> Boolean.TRUE.equals(r.get("connected")))
                    .map(r -> String.valueOf(r.get("source"))).findFirst().orElseThrow());
        }
        return d.fail("connection", d.peerWhere() + " is not connected: " + watch.getOrDefault("lastDisconnectStatus",
                "no reason given"), "fix what the checks above say; if they all pass, see istiod's log on "
                + d.mesh().cluster());
    }

    /** The first discovery entry's watch, active or not; null before istiod reported. */
    static Map<String, Object> watch(Map<String, Object> peer) {
        Map<String, Object> entry = entry(peer);
        if (entry != null && entry.get("watch") instanceof Map<?, ?> w) {
            @SuppressWarnings("unchecked")
            Map<String, Object> typed = (Map<String, Object>) w;
            return typed;
        }
        return null;
    }

    /** The first discovery entry (an istiod pod's), active if there is one; null before istiod reported. */
    private static Map<String, Object> entry(Map<String, Object> peer) {
        for (String state : List.of("active", "inactive")) {
            List<Map<String, Object>> entries = Tree.maps(peer, "status", "discoveryStatus", state);
            if (!entries.isEmpty()) {
                return entries.get(0);
            }
        }
        return null;
    }
}
