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
 * @param istio        its OpenShift Service Mesh 3 control plane, one primary of the multi-cluster mesh; null for
 *                     an OSSM 2 control plane, federated with its peers
 */
public record ClusterSpec(String name, Connection connection, MeshSpec mesh, LoadBalancerSpec loadBalancer,
                          List<OperatorSpec> operators, List<String> members, List<Manifest> manifests, IstioSpec istio) {

    public ClusterSpec {
        operators = List.copyOf(operators);
        members = List.copyOf(members);
        manifests = List.copyOf(manifests);
    }

    /** An OSSM 2 cluster, federated with its peers. */
    public ClusterSpec(String name, Connection connection, MeshSpec mesh, LoadBalancerSpec loadBalancer,
                       List<OperatorSpec> operators, List<String> members, List<Manifest> manifests) {
        this(name, connection, mesh, loadBalancer, operators, members, manifests, null);
    }

    /** Whether this cluster runs OpenShift Service Mesh 3 (multi-cluster) rather than 2 (federation). */
    public boolean multiCluster() {
        return istio != null;
    }
}
