package io.meshfed.model.inventory;

import java.time.Duration;

/**
 * What the inventory's OpenShift Service Mesh 3 clusters share: one mesh stretched over them.
 *
 * @param meshId              {@code global.meshID}, the same on every cluster
 * @param trust               the common root every cluster's intermediate CA is issued from
 * @param readerTokenLifetime how long the tokens in remote secrets are issued for (each is renewed by the first run
 *                            after two thirds of it have passed)
 */
public record MultiCluster(String meshId, TrustRoot trust, Duration readerTokenLifetime) {

    /** Renewed after 60 days by a run (a daily CronJob: on time), it still leaves a month to notice a pipeline that stopped. */
    public static final Duration DEFAULT_READER_TOKEN_LIFETIME = Duration.ofDays(90);

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
