package io.meshfed.cli;

/** meshfed's exit codes; the README documents them. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int BAD_INPUT = 2;
    public static final int UNREACHABLE = 3;
    /** plan --exit-code: something would change. */
    public static final int CHANGES = 4;
    /** Another run of the same inventory held the run lock for the whole --lock-timeout. */
    public static final int LOCKED = 5;
    /** doctor: a check failed. */
    public static final int DOCTOR_FAILED = 6;
    /**
     * The run lost its lock (a Lease not renewed in time: a paused process, a partition): it stopped
     * writing, another run may hold the lock now.
     */
    public static final int LOCK_LOST = 7;
    /**
     * apply refused: the clusters are in another phase of the migration to OSSM 3 than the inventory's
     * mesh_migration; meshfed migrate moves them, one verified phase at a time.
     */
    public static final int OTHER_MIGRATION_PHASE = 8;
    /** A run stopped by SIGINT (Ctrl-C): 128 + 2, as shells report it. */
    public static final int INTERRUPTED_INT = 130;
    /** A run stopped by SIGTERM: 128 + 15. */
    public static final int INTERRUPTED_TERM = 143;

    private ExitCodes() {
    }
}
