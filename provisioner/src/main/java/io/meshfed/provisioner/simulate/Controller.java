package io.meshfed.provisioner.simulate;

import java.time.Duration;
import java.util.Set;

/**
 * A simulated operator's reconcile loop body: reads the cluster through the API, writes what it
 * owns, and says when it wants to run again even if nothing changes (a pending delay), or null.
 */
interface Controller {

    String name();

    Duration reconcile();

    /** The resources (plural names, as in API paths) whose changes on its own cluster wake it: its informers. */
    Set<String> watches();

    /** The resources whose changes on other clusters wake it (it reads them across clusters); none by default. */
    default Set<String> watchesRemote() {
        return Set.of();
    }
}
