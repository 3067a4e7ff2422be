package io.meshfed.provisioner.apply;

import io.meshfed.model.graph.ResourceGraph;
import io.meshfed.model.render.OwnershipLabels;
import io.meshfed.model.resource.DesiredObject;
import io.meshfed.model.resource.ObjectRef;
import io.meshfed.model.resource.Tree;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds, and with {@code apply --prune} deletes, the objects meshfed owns for this inventory (its
 * labels) that the inventory no longer renders: custom resources first, namespaces last.
 */
public final class Pruner {

    /** Every kind meshfed renders, so that a kind the inventory dropped entirely is still looked for. */
    private static final List<String[]> KINDS = List.of(
            new String[] {"networking.istio.io/v1beta1", "VirtualService"},
            new String[] {"networking.istio.io/v1beta1", "Gateway"},
            new String[] {"federation.maistra.io/v1", "ImportedServiceSet"},
            new String[] {"federation.maistra.io/v1", "ExportedServiceSet"},
            new String[] {"federation.maistra.io/v1", "ServiceMeshPeer"},
            new String[] {"maistra.io/v1", "ServiceMeshMemberRoll"},
            new String[] {"maistra.io/v2", "ServiceMeshControlPlane"},
            new String[] {"metallb.io/v1beta1", "L2Advertisement"},
            new String[] {"metallb.io/v1beta1", "IPAddressPool"},
            new String[] {"metallb.io/v1beta1", "MetalLB"},
            new String[] {"apps/v1", "Deployment"},
            new String[] {"v1", "Service"},
            new String[] {"v1", "ConfigMap"},
            new String[] {"operators.coreos.com/v1alpha1", "Subscription"},
            new String[] {"operators.coreos.com/v1", "OperatorGroup"},
            new String[] {"v1", "Namespace"});

    private final Map<String, ClusterClient> clients;
    private final String inventoryName;

    public Pruner(Map<String, ClusterClient> clients, String inventoryName) {
        this.clients = Map.copyOf(clients);
        this.inventoryName = inventoryName;
    }

    /** Owned objects not in the graph, in deletion order (dependents' kinds first). */
    public List<ObjectRef> orphans(ResourceGraph graph) {
        Set<String[]> kinds = new LinkedHashSet<>(KINDS);
        for (DesiredObject node : graph.nodes()) {
            if (node.managed() && KINDS.stream().noneMatch(k -> k[0].equals(node.ref().apiVersion())
                    && k[1].equals(node.ref().kind()))) {
                kinds.add(new String[] {node.ref().apiVersion(), node.ref().kind()});
            }
        }
        List<ObjectRef> orphans = new ArrayList<>();
        String selector = OwnershipLabels.selector(inventoryName);
        for (Map.Entry<String, ClusterClient> cluster : clients.entrySet()) {
            for (String[] kind : kinds) {
                List<Map<String, Object>> owned;
                try {
                    owned = cluster.getValue().list(kind[0], kind[1], selector);
                } catch (ApiException e) {
                    if (e.code() == 404) {
                        continue; // the cluster does not serve the kind: nothing of it to prune
                    }
                    throw e;
                }
                for (Map<String, Object> object : owned) {
                    ObjectRef ref = new ObjectRef(cluster.getKey(), kind[0], kind[1],
                            (String) Tree.get(object, "metadata", "namespace"), (String) Tree.get(object, "metadata", "name"));
                    if (!graph.contains(ref)) {
                        orphans.add(ref);
                    }
                }
            }
        }
        return orphans;
    }

    /** Deletes the orphans in order; returns what was deleted. */
    public List<ObjectRef> prune(List<ObjectRef> orphans) {
        List<ObjectRef> deleted = new ArrayList<>();
        for (ObjectRef ref : orphans) {
            if (clients.get(ref.cluster()).delete(ref)) {
                deleted.add(ref);
            }
        }
        return deleted;
    }
}
