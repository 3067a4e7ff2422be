package io.meshfed.model.doctor;

/**
 * One check's verdict for a direction of a federation (a mesh's peer object for another mesh), or
 * for one cluster: what was compared, from which object on which cluster, and what to change where.
 *
 * @param cluster  the cluster the peer object (or the control plane) is on
 * @param peer     the peer mesh's cluster, or null for a check of one cluster
 * @param check    the check's name, as printed
 * @param status   its verdict
 * @param evidence the values compared and where they were read
 * @param fix      what to change where (null when nothing is to change)
 */
public record Finding(String cluster, String peer, String check, Status status, String evidence, String fix) {

    public enum Status { OK, WARN, FAIL, UNKNOWN }

    /** This failure, said as a warning because it follows from {@code cause} (a failure reported before it). */
    Finding following(String cause) {
        return new Finding(cluster, peer, check, Status.WARN, evidence + " (follows from " + cause + ")", null);
    }

    static Finding ok(String cluster, String peer, String check, String evidence) {
        return new Finding(cluster, peer, check, Status.OK, evidence, null);
    }

    static Finding fail(String cluster, String peer, String check, String evidence, String fix) {
        return new Finding(cluster, peer, check, Status.FAIL, evidence, fix);
    }

    static Finding unknown(String cluster, String peer, String check, String evidence) {
        return new Finding(cluster, peer, check, Status.UNKNOWN, evidence, null);
    }
}
