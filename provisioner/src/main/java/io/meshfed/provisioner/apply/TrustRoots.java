package io.meshfed.provisioner.apply;

import io.meshfed.model.inventory.ClusterSpec;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.model.inventory.MultiCluster;
import io.meshfed.model.render.RenderException;
import io.meshfed.model.resource.ObjectRef;
import io.meshfed.model.resource.Tree;
import io.meshfed.provisioner.trust.IntermediateCas;
import io.meshfed.provisioner.trust.RootSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The inventory's root of trust as a run reads it: the files {@code mesh_trust} names, or its Secret on a
 * cluster outside the mesh, read once at the start of the run — before anything is written — and refused
 * when that cluster is one of the mesh's (a root key on a workload cluster is readable by whoever can read
 * Secrets there, istiod's own readers included).
 */
public final class TrustRoots {

    /** The keys a root Secret holds, as Istio's cacerts and Makefile.selfsigned.mk name them, or a TLS Secret's. */
    private static final List<String[]> KEYS = List.of(new String[] {"root-cert.pem", "root-key.pem"},
            new String[] {"tls.crt", "tls.key"});

    private TrustRoots() {
    }

    /**
     * The issuer of the inventory's OSSM 3 intermediates ({@link IntermediateCas#NONE} without OSSM 3 clusters).
     *
     * @param clients the run's clients, by host: the mesh's API servers, which the root's Secret must not be on
     * @throws RenderException at {@code mesh_trust}'s line when its Secret cannot be read, lacks a key, or is on a
     *                         cluster of the mesh
     */
    public static IntermediateCas issuer(Inventory inventory, Map<String, ClusterClient> clients) {
        MultiCluster mesh = inventory.multiCluster();
        if (mesh == null || mesh.trust() == null) {
            return IntermediateCas.NONE;
        }
        MultiCluster.TrustRoot trust = mesh.trust();
        if (trust.secret() == null) {
            return IntermediateCas.of(RootSource.files(trust.certificate(), trust.key()));
        }
        return IntermediateCas.of(read(inventory, trust, clients));
    }

    private static RootSource read(Inventory inventory, MultiCluster.TrustRoot trust, Map<String, ClusterClient> clients) {
        MultiCluster.SecretSource source = trust.secret();
        String where = "mesh_trust: " + source.describe();
        Map<String, ClusterClient> opened;
        try {
            opened = Connections.open(Map.of("mesh_trust", source.connection()), 1, 2, RetryPolicy.DEFAULT, ClientSettings.NONE,
                    null);
        } catch (RuntimeException e) {
            throw new RenderException(trust.location(), where + ": " + e.getMessage());
        }
        try (ClusterClient client = opened.get("mesh_trust")) {
            for (ClusterSpec c : inventory.clusters()) {
                ClusterClient meshClient = clients.get(c.name());
                if (c.multiCluster() && meshClient != null && sameServer(meshClient.url(), client.url())) {
                    throw new RenderException(trust.location(), where + " is on " + c.name() + "'s API server ("
                            + client.url() + "), a cluster of the mesh: keep the root's key off the mesh's clusters (a "
                            + "management cluster, the one meshfed's Job runs in, or files)");
                }
            }
            Map<String, Object> secret;
            try {
                client.ping();
                secret = client.get(new ObjectRef("mesh_trust", "v1", "Secret", source.namespace(), source.name()));
            } catch (ApiException e) {
                throw new RenderException(trust.location(), where + " cannot be read: " + e.getMessage());
            }
            if (secret == null) {
                throw new RenderException(trust.location(), where + " does not exist");
            }
            Map<?, ?> data = Tree.get(secret, "data") instanceof Map<?, ?> m ? m : Map.of();
            for (String[] keys : KEYS) {
                if (data.get(keys[0]) instanceof String cert && data.get(keys[1]) instanceof String key) {
                    return secretSource(where, keys, decode(cert), decode(key));
                }
            }
            throw new RenderException(trust.location(), where + " holds " + new java.util.TreeSet<>(
                    data.keySet().stream().map(String::valueOf).toList()) + ", not root-cert.pem and root-key.pem (or tls.crt and "
                    + "tls.key)");
        }
    }

    private static RootSource secretSource(String where, String[] keys, String certificate, String key) {
        return new RootSource() {
            @Override
            public String certificate() {
                return certificate;
            }

            @Override
            public String key() {
                return key;
            }

            @Override
            public String describe(boolean isKey) {
                return where + " " + (isKey ? keys[1] : keys[0]);
            }
        };
    }

    private static boolean sameServer(String a, String b) {
        URI x = URI.create(a);
        URI y = URI.create(b);
        return x.getHost() != null && x.getHost().equalsIgnoreCase(y.getHost()) && port(x) == port(y);
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "http".equals(uri.getScheme()) ? 80 : 443;
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
