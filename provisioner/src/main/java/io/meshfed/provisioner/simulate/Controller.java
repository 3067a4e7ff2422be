package io.meshfed.provisioner.simulate;

import java.time.Duration;

/**
 * A simulated operator's reconcile loop body: reads the cluster through the API, writes what it
 * owns, and says when it wants to run again even if nothing changes (a pending delay), or null.
 */
interface Controller {

    String name();

    Duration reconcile();

    /** Whether this controller also reads other clusters (and so must run when they change). */
    default boolean crossCluster() {
        return false;
    }
}
