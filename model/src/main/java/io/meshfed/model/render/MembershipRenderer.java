package io.meshfed.model.render;

import io.meshfed.model.inventory.ClusterSpec;
import io.meshfed.model.inventory.Manifest;
import io.meshfed.model.resource.Readiness;
import io.meshfed.model.resource.Tree;

import java.util.List;

/**
 * The application namespaces, the ServiceMeshMemberRoll that joins them to the mesh, and the
 * cluster's own manifests (seed, "Deploying Services in the Service Mesh").
 */
final class MembershipRenderer {

    static final String MEMBER_ROLL_API = "maistra.io/v1";

    private MembershipRenderer() {
    }

    /** @param memberRoll whether the mesh has its 2.6 member roll (not once the migration removed 2.6) */
    static void render(ClusterSpec cluster, boolean memberRoll, Rendering out) {
        for (String member : cluster.members()) {
            out.namespace(cluster.name(), member, Tags.MEMBER_NAMESPACE);
        }
        if (memberRoll && !cluster.members().isEmpty()) {
            out.managed(cluster.name(), MEMBER_ROLL_API, "ServiceMeshMemberRoll", cluster.mesh().namespace(), "default",
                    Tree.map("spec", Tree.map("members", List.copyOf(cluster.members()))), Readiness.EXISTS,
                    "member roll", Tags.MEMBER_ROLL);
        }
        applications(cluster, out);
    }

    /** The cluster's own manifests. */
    static void applications(ClusterSpec cluster, Rendering out) {
        for (Manifest manifest : cluster.manifests()) {
            out.userObject(cluster.name(), manifest.object(), manifest.location(), Tags.APP);
        }
    }
}
