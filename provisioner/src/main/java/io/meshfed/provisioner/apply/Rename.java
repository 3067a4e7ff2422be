package io.meshfed.provisioner.apply;

import io.meshfed.model.graph.ResourceGraph;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.model.ownership.InventoryRecord;
import io.meshfed.model.ownership.InventoryRename;
import io.meshfed.model.resource.DesiredObject;
import io.meshfed.model.resource.ObjectRef;
import io.meshfed.model.resource.Tree;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An inventory renamed ({@code meshfed_inventory_name} changed): what the old name made and adopted on
 * each cluster moves to the new one — labels, adoption annotations and field ownership on every
 * object ({@link InventoryRename}), then the record (the proof of what it created) — so that the new
 * name's runs find their objects instead of adopting them, and its prune and destroy may delete what
 * the old one created. Values are not touched.
 */
public final class Rename {

    /** What moved on one cluster: the objects, and whether the old record was taken over. */
    public record Moved(String cluster, List<ObjectRef> objects, boolean record) {
    }

    private Rename() {
    }

    /**
     * The clusters whose objects the inventory renders were made by another inventory, as its record
     * there says (checked on the first run of this inventory on a cluster): a warning each, naming the
     * command that moves them.
     */
    static List<RunResult.Warning> suspected(Map<String, ClusterClient> clients, ResourceGraph graph, InventoryRecords records) {
        List<RunResult.Warning> warnings = new ArrayList<>();
        for (String cluster : clients.keySet()) {
            if (!records.firstRun(cluster)) {
                continue;
            }
            Set<String> rendered = new TreeSet<>();
            for (DesiredObject node : graph.nodes()) {
                if (node.managed() && node.ref().cluster().equals(cluster)) {
                    rendered.add(node.ref().group() + "/" + node.ref().kind() + "/" + node.ref().qualifiedName());
                }
            }
            records.others(cluster).forEach((other, record) -> {
                long made = record.created().values().stream().filter(c -> rendered.contains(c.group() + "/" + c.kind() + "/"
                        + (c.namespace() == null ? c.name() : c.namespace() + "/" + c.name()))).count();
                if (made > 0 && made * 2 >= rendered.size()) {
                    warnings.add(new RunResult.Warning(cluster, made + " of the " + rendered.size() + " objects inventory '"
                            + records.inventory() + "' renders here were created by inventory '" + other + "' (its record "
                            + InventoryRecords.NAMESPACE + "/meshfed-" + other + "): was the inventory renamed from '" + other
                            + "'? Then 'meshfed rename -i <inventory> --from " + other + "' moves them (labels, field ownership, "
                            + "record); else this run adopts them, and neither inventory deletes the other's objects"));
                }
            });
        }
        return warnings;
    }

    /** Moves what {@code from} made and adopted on every cluster of {@code inventory} to it. */
    public static List<Moved> from(String from, Map<String, ClusterClient> clients, Inventory inventory, ResourceGraph graph) {
        Map<String, String> meshNamespaces = new LinkedHashMap<>();
        inventory.clusters().forEach(c -> meshNamespaces.put(c.name(), c.mesh().namespace()));
        InventoryRecords old = new InventoryRecords(clients, from, meshNamespaces);
        InventoryRecords renamed = new InventoryRecords(clients, inventory);
        List<Moved> moved = new ArrayList<>();
        for (Map.Entry<String, ClusterClient> cluster : clients.entrySet()) {
            ClusterClient client = cluster.getValue();
            InventoryRecord record = old.read(cluster.getKey());
            List<ObjectRef> objects = new ArrayList<>();
            for (String[] kind : OwnedObjects.kinds(cluster.getKey(), graph, old)) {
                List<Map<String, Object>> all;
                try {
                    all = client.list(kind[0], kind[1], null);
                } catch (ApiException e) {
                    if (e.code() == 404) {
                        continue;   // not served here
                    }
                    throw e;
                }
                for (Map<String, Object> object : all) {
                    List<Map<String, Object>> ops = InventoryRename.ops(object, from, inventory.name());
                    if (ops.isEmpty()) {
                        continue;
                    }
                    ObjectRef ref = new ObjectRef(cluster.getKey(), kind[0], kind[1], (String) Tree.get(object, "metadata",
                            "namespace"), (String) Tree.get(object, "metadata", "name"));
                    client.patch(ref, (String) Tree.get(object, "metadata", "resourceVersion"), ops);
                    objects.add(ref);
                }
            }
            boolean hadRecord = record.keepsUids() || !record.kinds().isEmpty();
            if (hadRecord) {
                renamed.takeOver(cluster.getKey(), record);
            }
            moved.add(new Moved(cluster.getKey(), objects, hadRecord));
        }
        List<RunResult.Warning> notWritten = renamed.save();
        if (!notWritten.isEmpty()) {
            throw new ApiException(0, notWritten.get(0).message(), null);
        }
        for (Moved m : moved) {
            if (m.record()) {
                old.deleteRecordOf(m.cluster(), from);
            }
        }
        return moved;
    }
}
