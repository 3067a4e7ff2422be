package io.meshfed.model.inventory;

/**
 * What the inventory's OpenShift Service Mesh 3 clusters share: one mesh stretched over them.
 *
 * @param meshId {@code global.meshID}, the same on every cluster
 * @param trust  the common root every cluster's intermediate CA is issued from
 */
public record MultiCluster(String meshId, TrustRoot trust) {

    /**
     * The root of trust the user provides, as files beside the inventory (never copied to a cluster:
     * only the intermediates it issues are).
     *
     * @param certificate the root certificate (PEM), an absolute path
     * @param key         its private key (PEM), an absolute path
     * @param location    where the inventory names them, for messages
     */
    public record TrustRoot(String certificate, String key, Location location) {
    }
}
