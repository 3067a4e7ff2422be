package io.meshfed.provisioner.apply;

import io.meshfed.model.graph.ResourceGraph;
import io.meshfed.model.resource.DesiredObject;
import io.meshfed.model.resource.ObjectRef;
import io.meshfed.model.resource.Tree;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The objects with the inventory's labels that its graph no longer renders, found by group, kind,
 * namespace and name: an object the server returns under another version of its kind is the same
 * object. In the listing's order, which is deletion order (the user's kinds, then meshfed's,
 * dependents first, namespaces last). Whether one may be deleted is {@link Deletion}'s to decide.
 */
final class Orphans {

    private Orphans() {
    }

    /** Owned objects of {@code cluster} that {@code graph} does not render. */
    static List<ObjectRef> of(ResourceGraph graph, String cluster, ClusterClient client, List<Map<String, Object>> listed) {
        Set<String> wanted = new HashSet<>();
        for (DesiredObject node : graph.nodes()) {
            if (node.ref().cluster().equals(cluster)) {
                wanted.add(key(client, node.ref()));
            }
        }
        List<ObjectRef> orphans = new ArrayList<>();
        for (Map<String, Object> object : listed) {
            ObjectRef ref = new ObjectRef(cluster, (String) object.get("apiVersion"), (String) object.get("kind"),
                    (String) Tree.get(object, "metadata", "namespace"), (String) Tree.get(object, "metadata", "name"));
            if (!wanted.contains(key(client, ref))) {
                orphans.add(ref);
            }
        }
        return orphans;
    }

    /** The namespaces the graph renders objects into on {@code cluster} (a namespace that holds them must stay). */
    static Set<String> namespacesRenderedInto(ResourceGraph graph, String cluster) {
        Set<String> namespaces = new TreeSet<>();
        for (DesiredObject node : graph.nodes()) {
            if (node.managed() && node.ref().cluster().equals(cluster) && node.ref().namespace() != null) {
                namespaces.add(node.ref().namespace());
            }
        }
        return namespaces;
    }

    /** cluster, group, kind, namespace (for namespaced kinds), name: the identity of an object whatever its version. */
    private static String key(ClusterClient client, ObjectRef ref) {
        boolean namespaced = client.namespaced(ref.apiVersion(), ref.kind());
        return ref.group() + "|" + ref.kind() + "|" + (namespaced && ref.namespace() != null ? ref.namespace() : "")
                + "|" + ref.name();
    }
}
