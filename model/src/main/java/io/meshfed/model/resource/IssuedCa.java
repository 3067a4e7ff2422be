package io.meshfed.model.resource;

/**
 * A value of a cluster's {@code cacerts} Secret ({@code ca-cert.pem}, {@code ca-key.pem},
 * {@code root-cert.pem}, {@code cert-chain.pem}): its intermediate CA, issued from the inventory's root
 * when apply finds none valid on the cluster, else the one there kept. Never known before apply, never
 * shown: a private key is among them.
 *
 * @param cluster the cluster whose istiod signs with it (its {@code clusterName} goes into the subject)
 * @param key     the Secret's key
 */
public record IssuedCa(String cluster, String key) {

    public static final String CA_CERT = "ca-cert.pem";
    public static final String CA_KEY = "ca-key.pem";
    public static final String ROOT_CERT = "root-cert.pem";
    public static final String CERT_CHAIN = "cert-chain.pem";

    @Override
    public String toString() {
        return LiveValue.UNKNOWN_PREFIX + key + " of " + cluster + "'s intermediate CA, issued from the inventory's root)";
    }
}
