package io.meshfed.model.resource;

import java.time.Duration;

/**
 * A part of a remote secret's kubeconfig: a token of a peer's reader account, issued at apply by that
 * peer's API server (a TokenRequest, bounded to {@code lifetime}) when the remote secret on the cluster
 * holds none still good, else the one there kept. Never known before apply, never shown.
 *
 * @param account  the reader account's {@code metadata.uid} on the peer: the graph's edge to the account, and
 *                 what a kept token must be bound to (an account deleted and made again has another UID, and
 *                 the old account's tokens no longer authenticate)
 * @param lifetime how long a token is asked to live; one with less than a third of its life left is replaced
 */
public record IssuedToken(LiveValue account, Duration lifetime) {

    /** The account's cluster. */
    public String cluster() {
        return account.source().cluster();
    }

    public String namespace() {
        return account.source().namespace();
    }

    /** The account's name. */
    public String name() {
        return account.source().name();
    }

    @Override
    public String toString() {
        return LiveValue.UNKNOWN_PREFIX + "a token of ServiceAccount " + namespace() + "/" + name() + " on " + cluster()
                + ", issued at apply)";
    }
}
