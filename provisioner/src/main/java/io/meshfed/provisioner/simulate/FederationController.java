package io.meshfed.provisioner.simulate;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Maistra federation, simulated from its source (shared/FEDERATION.md). A ServiceMeshPeer's discovery
 * connects outbound ({@code watch}) only when its remote address is a peer cluster's federation
 * ingress load-balancer address, its ports are that Service's, the peer mesh is ready and has a
 * ServiceMeshPeer on that ingress gateway, its trust domain is not the local one and is the peer's,
 * its certificateChain ConfigMap holds the peer's actual root certificate under root-cert.pem, the
 * local egress gateway exists with port 15443, and the peer's clientID names that egress gateway's
 * service account. Inbound ({@code remotes}) is the same seen from the peer. Otherwise the peer stays
 * disconnected and lastDisconnectStatus says why. ExportedServiceSet and ImportedServiceSet status
 * follow Maistra's naming and matching rules.
 */
final class FederationController implements Controller {

    private final SimulatedCluster self;
    private final ClusterApi api;
    private final Supplier<List<SimulatedCluster>> clusters;
    private final SimulationTiming timing;
    private final Map<String, Instant> healthySince = new HashMap<>();

    FederationController(SimulatedCluster self, Supplier<List<SimulatedCluster>> clusters, SimulationTiming timing) {
        this.self = self;
        this.api = self.api();
        this.clusters = clusters;
        this.timing = timing;
    }

    @Override
    public String name() {
        return "federation";
    }

    /** Its peers and service sets, and what their status depends on: gateways, CA ConfigMaps, control planes, members' services. */
    @Override
    public Set<String> watches() {
        return Set.of("servicemeshpeers", "exportedservicesets", "importedservicesets", "services", "serviceaccounts",
                "configmaps", "servicemeshcontrolplanes", "servicemeshmemberrolls");
    }

    /** The remote side of a link: its gateways' addresses, peers, CA, control plane and exports. */
    @Override
    public Set<String> watchesRemote() {
        return Set.of("servicemeshpeers", "exportedservicesets", "services", "serviceaccounts", "configmaps",
                "servicemeshcontrolplanes");
    }

    /** Every load-balancer address of every cluster, and whose it is: built once per pass. */
    record Endpoint(SimulatedCluster cluster, Service service) {
    }

    static Map<String, Endpoint> addressBook(List<SimulatedCluster> all) {
        Map<String, Endpoint> book = new HashMap<>();
        for (SimulatedCluster c : all) {
            for (Service s : c.api().services()) {
                String address = LoadBalancerController.address(s);
                if (address != null) {
                    book.put(address, new Endpoint(c, s));
                }
            }
        }
        return book;
    }

    @Override
    public Duration reconcile() {
        Duration next = null;
        List<GenericKubernetesResource> peers = api.list(Kinds.PEER);
        Map<String, Endpoint> book = peers.isEmpty() ? Map.of() : addressBook(clusters.get());
        for (GenericKubernetesResource peer : peers) {
            Duration wait = peerStatus(peer, book);
            if (wait != null && (next == null || wait.compareTo(next) < 0)) {
                next = wait;
            }
        }
        for (GenericKubernetesResource exports : api.list(Kinds.EXPORTS)) {
            // Maistra reads an ExportedServiceSet by its peer's name: one named like no peer is nobody's, and gets no status
            if (peers.stream().noneMatch(p -> p.getMetadata().getName().equals(exports.getMetadata().getName())
                    && p.getMetadata().getNamespace().equals(exports.getMetadata().getNamespace()))) {
                continue;
            }
            api.setStatus(Kinds.EXPORTS, exports, Map.of("exportedServices", ServiceSets.exported(self, exports)));
        }
        for (GenericKubernetesResource imports : api.list(Kinds.IMPORTS)) {
            api.setStatus(Kinds.IMPORTS, imports, Map.of("importedServices", imported(imports, book)));
        }
        return next;
    }

    /**
     * Whether a gateway has a replica: its Service is not marked as scaled to 0 by the Maistra controller
     * (which watches its cluster's Deployments; these controllers, looking across clusters, do not).
     */
    private static boolean available(ClusterApi api, String ns, String gateway) {
        Service service = api.service(ns, gateway);
        return service == null || service.getMetadata().getAnnotations() == null
                || !"true".equals(service.getMetadata().getAnnotations().get(MaistraController.NO_REPLICA));
    }

    /** Where a peer's discovery goes: the remote cluster, its ingress Service and its peer object for us. */
    record Link(SimulatedCluster remote, Service ingress, GenericKubernetesResource remotePeer, String problem) {
        boolean ok() {
            return problem == null;
        }
    }

    private Duration peerStatus(GenericKubernetesResource peer, Map<String, Endpoint> book) {
        Link out = outbound(self, peer, book);
        Link in = out.remote() != null && out.remotePeer() != null
                ? outbound(out.remote(), out.remotePeer(), book)
                : new Link(null, null, null, "no inbound connection: the remote mesh has no peer for this mesh");
        if (in.ok() && in.remote() != self) {
            in = new Link(null, null, null, "the remote mesh's peer for this mesh points at another cluster");
        }
        String key = peer.getMetadata().getNamespace() + "/" + peer.getMetadata().getName();
        boolean healthy = out.ok() && in.ok();
        Duration left = null;
        if (healthy) {
            Instant since = healthySince.computeIfAbsent(key, k -> Instant.now());
            left = timing.peerConnect().minus(Duration.between(since, Instant.now()));
            if (left.isNegative() || left.isZero()) {
                left = null;
            }
        } else {
            healthySince.remove(key);
        }
        boolean watchConnected = out.ok() && left == null;
        boolean remoteConnected = in.ok() && left == null;
        String pod = "istiod-" + meshName(peer.getMetadata().getNamespace()) + "-5f7c8d9b6-sim00";
        Map<String, Object> previous = ClusterApi.map(peer, "status");
        String now = Instant.now().toString();
        Map<String, Object> watch = new LinkedHashMap<>();
        watch.put("connected", watchConnected);
        if (watchConnected) {
            String since = previousTime(previous, "watch", true);
            watch.put("lastConnected", since != null ? since : now);
            watch.put("lastFullSync", since != null ? since : now);
        } else {
            watch.put("lastDisconnectStatus", out.ok() ? "connecting" : out.problem());
        }
        List<Object> remotes = new ArrayList<>();
        if (remoteConnected) {
            String since = previousTime(previous, "remotes", true);
            remotes.add(Map.of("connected", true, "source", sourceAddress(out.remote()),
                    "lastConnected", since != null ? since : now, "lastFullSync", since != null ? since : now));
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("pod", pod);
        entry.put("remotes", remotes);
        entry.put("watch", watch);
        if (!in.ok()) {
            entry.put("inboundStatus", in.problem());
        }
        Map<String, Object> discovery = new LinkedHashMap<>();
        discovery.put(watchConnected ? "active" : "inactive", List.of(entry));
        api.setStatus(Kinds.PEER, peer, Map.of("discoveryStatus", discovery));
        announce(peer, previous, watchConnected, out);
        return left;
    }

    /**
     * An Event on the peer when its outbound connection comes up, goes down, or fails for another reason
     * than before ({@code kubectl get events} / {@code describe}), as istiod's federation code records them.
     */
    private void announce(GenericKubernetesResource peer, Map<String, Object> previous, boolean connected, Link out) {
        Object active = MaistraController.path(previous, "discoveryStatus", "active");
        boolean wasConnected = active instanceof List<?> l && !l.isEmpty();
        String before = null;
        Object inactive = MaistraController.path(previous, "discoveryStatus", "inactive");
        if (inactive instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, Object> entry = (Map<String, Object>) m;
            before = (String) MaistraController.path(entry, "watch", "lastDisconnectStatus");
        }
        if (connected && !wasConnected) {
            Events.record(api, peer, "Normal", "Connected", "connected to " + (out.remote() == null ? "the remote mesh"
                    : out.remote().name()) + " through " + out.ingress().getMetadata().getName(), "maistra-federation");
        } else if (!connected && !out.ok() && (wasConnected || !Objects.equals(before, out.problem()))) {
            Events.record(api, peer, "Warning", wasConnected ? "Disconnected" : "ConnectFailed", out.problem(),
                    "maistra-federation");
        }
    }

    @SuppressWarnings("unchecked")
    private static String previousTime(Map<String, Object> status, String part, boolean connected) {
        Object active = MaistraController.path(status, "discoveryStatus", "active");
        if (!(active instanceof List<?> l) || l.isEmpty()) {
            active = MaistraController.path(status, "discoveryStatus", "inactive");   // the remote side may be connected still
        }
        if (!(active instanceof List<?> list) || list.isEmpty()) {
            return null;
        }
        Map<String, Object> entry = (Map<String, Object>) list.get(0);
        if (part.equals("watch")) {
            Map<String, Object> watch = (Map<String, Object>) entry.get("watch");
            return watch != null && Objects.equals(watch.get("connected"), connected) ? (String) watch.get("lastConnected") : null;
        }
        List<Map<String, Object>> remotes = (List<Map<String, Object>>) entry.get("remotes");
        return remotes != null && !remotes.isEmpty() ? (String) remotes.get(0).get("lastConnected") : null;
    }

    /** Checks one direction: {@code from}'s peer object connecting to the mesh it names. */
    @SuppressWarnings("unchecked")
    static Link outbound(SimulatedCluster from, GenericKubernetesResource peer, Map<String, Endpoint> book) {
        Map<String, Object> spec = ClusterApi.map(peer, "spec");
        String ns = peer.getMetadata().getNamespace();
        List<String> addresses = (List<String>) MaistraController.path(spec, "remote", "addresses");
        int discoveryPort = number(MaistraController.path(spec, "remote", "discoveryPort"), 8188);
        int servicePort = number(MaistraController.path(spec, "remote", "servicePort"), 15443);
        if (addresses == null || addresses.isEmpty()) {
            return new Link(null, null, null, "spec.remote.addresses is empty");
        }
        String address = addresses.get(0);
        Endpoint endpoint = book.get(address);
        if (endpoint != null && endpoint.cluster() == from) {
            endpoint = null;
        }
        SimulatedCluster remote = endpoint == null ? null : endpoint.cluster();
        Service ingress = endpoint == null ? null : endpoint.service();
        if (ingress == null) {
            return new Link(null, null, null, "dial tcp " + address + ":" + discoveryPort + ": connect: no route to host");
        }
        List<Integer> ports = ingress.getSpec().getPorts().stream().map(ServicePort::getPort).toList();
        for (int port : List.of(discoveryPort, servicePort)) {
            if (!ports.contains(port)) {
                return new Link(remote, ingress, null, "dial tcp " + address + ":" + port + ": connect: connection refused");
            }
        }
        String remoteNs = ingress.getMetadata().getNamespace();
        ClusterApi remoteApi = remote.api();
        GenericKubernetesResource remoteSmcp = remoteApi.list(Kinds.SMCP, remoteNs).stream().findFirst().orElse(null);
        if (remoteSmcp == null || !ready(remoteSmcp)) {
            return new Link(remote, ingress, null, "503 Service Unavailable: the remote control plane is not ready");
        }
        String gateway = ingress.getMetadata().getName();
        if (!available(remoteApi, remoteNs, gateway)) {
            return new Link(remote, ingress, null, "503 Service Unavailable: no healthy upstream: the ingress gateway "
                    + remoteNs + "/" + gateway + " on " + remote.name() + " has no available replica");
        }
        GenericKubernetesResource remotePeer = remoteApi.list(Kinds.PEER, remoteNs).stream()
                .filter(p -> gateway.equals(MaistraController.path(ClusterApi.map(p, "spec"), "gateways", "ingress", "name")))
                .findFirst().orElse(null);
        if (remotePeer == null) {
            return new Link(remote, ingress, null, "404 Not Found: no ServiceMeshPeer on " + remote.name()
                    + " serves discovery on gateway " + gateway);
        }
        String localTrust = trustDomain(from.api(), ns);
        String remoteTrust = (String) MaistraController.path(ClusterApi.map(remoteSmcp, "spec"), "security", "trust", "domain");
        String peerTrust = (String) MaistraController.path(spec, "security", "trustDomain");
        if (Objects.equals(peerTrust, localTrust)) {
            return new Link(remote, ingress, remotePeer, "trustDomain " + peerTrust + " is the local trust domain: "
                    + "the remote root certificate is never used");
        }
        if (!Objects.equals(peerTrust, remoteTrust)) {
            return new Link(remote, ingress, remotePeer, "x509: certificate is valid for spiffe://" + remoteTrust
                    + ", not spiffe://" + peerTrust);
        }
        String chain = (String) MaistraController.path(spec, "security", "certificateChain", "name");
        ConfigMap ca = chain == null ? null : from.api().configMap(ns, chain);
        String pem = ca == null || ca.getData() == null ? null : ca.getData().get("root-cert.pem");
        if (ca == null) {
            return new Link(remote, ingress, remotePeer, "configmap " + ns + "/" + chain + " not found");
        }
        if (pem == null) {
            return new Link(remote, ingress, remotePeer, "configmap " + ns + "/" + chain + " has no root-cert.pem");
        }
        ConfigMap remoteRoot = remoteApi.configMap(remoteNs, "istio-ca-root-cert");
        if (remoteRoot == null || !pem.strip().equals(remoteRoot.getData().get("root-cert.pem").strip())) {
            return new Link(remote, ingress, remotePeer, "x509: certificate signed by unknown authority: " + chain
                    + " does not hold " + remote.name() + "'s root certificate");
        }
        String egress = (String) MaistraController.path(spec, "gateways", "egress", "name");
        Service egressService = egress == null ? null : from.api().service(ns, egress);
        if (egressService == null) {
            return new Link(remote, ingress, remotePeer, "no egress gateway Service " + ns + "/" + egress);
        }
        if (egressService.getSpec().getPorts().stream().noneMatch(p -> p.getPort() == 15443)) {
            return new Link(remote, ingress, remotePeer, "egress gateway " + egress + " has no port 15443");
        }
        if (!available(from.api(), ns, egress)) {
            return new Link(remote, ingress, remotePeer, "the egress gateway " + ns + "/" + egress
                    + " has no available replica");
        }
        String identity = localTrust + "/ns/" + ns + "/sa/" + egress + "-service-account";
        Object accepted = MaistraController.path(ClusterApi.map(remotePeer, "spec"), "security", "clientID");
        if (!identity.equals(accepted)) {
            return new Link(remote, ingress, remotePeer, "403 RBAC: access denied: " + remote.name() + " accepts clientID "
                    + accepted + ", not " + identity);
        }
        return new Link(remote, ingress, remotePeer, null);
    }

    private List<Object> imported(GenericKubernetesResource imports, Map<String, Endpoint> book) {
        String ns = imports.getMetadata().getNamespace();
        GenericKubernetesResource peer = api.list(Kinds.PEER, ns).stream()
                .filter(p -> p.getMetadata().getName().equals(imports.getMetadata().getName())).findFirst().orElse(null);
        if (peer == null) {
            return List.of();
        }
        Link link = outbound(self, peer, book);
        if (!link.ok() || !connected(peer)) {
            return List.of();
        }
        GenericKubernetesResource remoteExports = link.remote().api()
                .list(Kinds.EXPORTS, link.remotePeer().getMetadata().getNamespace()).stream()
                .filter(e -> e.getMetadata().getName().equals(link.remotePeer().getMetadata().getName()))
                .findFirst().orElse(null);
        if (remoteExports == null) {
            return List.of();
        }
        return ServiceSets.imported(imports, ServiceSets.exported(link.remote(), remoteExports));
    }

    @SuppressWarnings("unchecked")
    private static boolean connected(GenericKubernetesResource peer) {
        Object active = MaistraController.path(ClusterApi.map(peer, "status"), "discoveryStatus", "active");
        return active instanceof List<?> l && !l.isEmpty()
                && Boolean.TRUE.equals(((Map<String, Object>) ((Map<String, Object>) l.get(0)).get("watch")).get("connected"));
    }

    private static boolean ready(GenericKubernetesResource smcp) {
        Object conditions = ClusterApi.map(smcp, "status").get("conditions");
        return conditions instanceof List<?> l && l.stream().anyMatch(c -> c instanceof Map<?, ?> m
                && "Ready".equals(m.get("type")) && "True".equals(m.get("status")));
    }

    private static String trustDomain(ClusterApi api, String ns) {
        return api.list(Kinds.SMCP, ns).stream().findFirst()
                .map(s -> (String) MaistraController.path(ClusterApi.map(s, "spec"), "security", "trust", "domain"))
                .orElse("cluster.local");
    }

    private String meshName(String ns) {
        return api.list(Kinds.SMCP, ns).stream().findFirst().map(s -> s.getMetadata().getName()).orElse("unknown");
    }

    /** A stable made-up pod address for the remote egress gateway (X-Forwarded-For in real life). */
    private static String sourceAddress(SimulatedCluster remote) {
        int h = Math.floorMod(remote.name().hashCode(), 250);
        return "10.128." + h + ".10";
    }

    private static int number(Object value, int defaultValue) {
        return value instanceof Number n ? n.intValue() : defaultValue;
    }
}
