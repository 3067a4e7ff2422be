package io.meshfed.model.inventory;

import java.util.List;

/**
 * One inventory host: a cluster with one mesh.
 *
 * @param name         the inventory host name; the topology names clusters by it
 * @param connection   how to reach the cluster
 * @param mesh         its control plane
 * @param loadBalancer how federation ingress gateways get addresses
 * @param operators    the Subscriptions to create, in install order
 * @param members      application namespaces joined to the mesh (ServiceMeshMemberRoll)
 * @param manifests    the cluster's own objects (applications)
 */
public record ClusterSpec(String name, Connection connection, MeshSpec mesh, LoadBalancerSpec loadBalancer,
                          List<OperatorSpec> operators, List<String> members, List<Manifest> manifests) {

    public ClusterSpec {
        operators = List.copyOf(operators);
        members = List.copyOf(members);
        manifests = List.copyOf(manifests);
    }
}
