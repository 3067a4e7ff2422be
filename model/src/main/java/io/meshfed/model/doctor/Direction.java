package io.meshfed.model.doctor;

import java.util.Map;
import java.util.Optional;

/**
 * One direction of a federation: the peer object on {@code mesh}'s cluster for the mesh on {@code other}'s,
 * and {@code back}, the peer object on {@code other} for {@code mesh} (absent when there is none).
 * Findings of its checks are reported under this pair.
 */
record Direction(ClusterSnapshot mesh, ClusterSnapshot other, Map<String, Object> peer, Optional<Map<String, Object>> back) {

    /** The peer's name: the name of its service sets, and the {@code <name>-exports/imports.local} domains. */
    String peerName() {
        return ClusterSnapshot.name(peer);
    }

    /** The mesh's control-plane namespace, where its peer and service sets are. */
    String namespace() {
        return ClusterSnapshot.namespace(peer);
    }

    String peerWhere() {
        return MeshObjects.where(mesh.cluster(), peer);
    }

    Map<String, Object> otherControlPlane() {
        return other.controlPlane().orElseThrow();
    }

    Finding ok(String check, String evidence) {
        return Finding.ok(mesh.cluster(), other.cluster(), check, evidence);
    }

    Finding fail(String check, String evidence, String fix) {
        return Finding.fail(mesh.cluster(), other.cluster(), check, evidence, fix);
    }

    Finding warn(String check, String evidence, String fix) {
        return new Finding(mesh.cluster(), other.cluster(), check, Finding.Status.WARN, evidence, fix);
    }

    Finding unknown(String check, String evidence) {
        return Finding.unknown(mesh.cluster(), other.cluster(), check, evidence);
    }
}
