package io.meshfed.provisioner.apply;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import io.meshfed.model.diff.AppliedAlready;
import io.meshfed.model.diff.DryRunComparison;
import io.meshfed.model.ownership.Claim;
import io.meshfed.model.ownership.ManagedFieldsMigration;
import io.meshfed.model.ownership.OwnershipLabels;
import io.meshfed.model.graph.ResourceGraph;
import io.meshfed.model.resource.DesiredObject;
import io.meshfed.model.resource.LiveValue;
import io.meshfed.model.resource.ObjectRef;
import io.meshfed.model.resource.Tree;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an apply would do, without writing anything: per object create, adopt, update, unchanged (or,
 * for objects meshfed only reads, whether they exist), with a unified YAML diff of the object as the
 * server would store it (a server-side dry-run apply). Values that come from another object's live
 * state and are not there yet are shown as {@code (known after apply: ...)}; such objects, and
 * objects whose namespace or CRD does not exist yet, show their rendered content. Secret data is
 * masked.
 */
public final class Planner {

    private static final Set<String> NOISE = Set.of("resourceVersion", "uid", "creationTimestamp", "generation",
            "managedFields", "selfLink");

    /** One object's planned action and its diff (empty when unchanged). */
    public record Entry(ObjectRef ref, String action, String diff) {
    }

    private final Map<String, ClusterClient> clients;
    private final String inventory;

    public Planner(Map<String, ClusterClient> clients, String inventory) {
        this.clients = Map.copyOf(clients);
        this.inventory = inventory;
    }

    /**
     * Each object's action, decided as apply decides it: by a server-side dry-run apply compared to the
     * live object; the diff shows the object as the server would store it (its defaults included).
     */
    public List<Entry> plan(ResourceGraph graph) {
        Map<ObjectRef, Map<String, Object>> live = new HashMap<>();
        List<Entry> entries = new ArrayList<>();
        String manager = OwnershipLabels.fieldManager(inventory);
        for (DesiredObject node : graph.inDependencyOrder()) {
            ClusterClient client = clients.get(node.ref().cluster());
            Map<String, Object> current = client.firstRead(node.ref());
            if (current != null) {
                live.put(node.ref(), current);
            }
            if (!node.managed()) {
                entries.add(new Entry(node.ref(), current == null ? "observe (not there yet)" : "observe", ""));
                continue;
            }
            Map<String, Object> desired = resolve(node, live);
            boolean known = !unknown(desired);
            Map<String, Object> other = current == null ? NodeTask.otherOperatorGroup(client, node.ref()) : null;
            if (other != null) {
                entries.add(new Entry(node.ref(), NodeTask.NOT_CREATED, ""));   // apply leaves it: see NodeTask
                continue;
            }
            if (current == null) {
                Map<String, Object> wouldStore = known ? dryRunCreate(client, node.ref(), desired, manager) : desired;
                entries.add(new Entry(node.ref(), "create", unifiedDiff(node.ref(), null, wouldStore)));
                continue;
            }
            Map<String, Object> config = Claim.configuration(desired, current, inventory);
            boolean legacy = ManagedFieldsMigration.needed(current);
            if (known && !legacy && AppliedAlready.test(current, config, manager)) {
                // as apply decides: certain from managedFields and values, no dry run needed
                entries.add(new Entry(node.ref(), "unchanged", ""));
                continue;
            }
            Map<String, Object> wouldStore = known ? client.apply(node.ref(), config, manager, true, false) : config;
            if (legacy) {
                wouldStore = withoutLegacyRecord(wouldStore);
            }
            boolean changed = !known || legacy || !DryRunComparison.differences(current, wouldStore).isEmpty();
            String action = !changed ? "unchanged" : Claim.adopting(current, inventory) ? "adopt" : "update";
            entries.add(new Entry(node.ref(), action, changed ? unifiedDiff(node.ref(), current, wouldStore) : ""));
        }
        return entries;
    }

    /** The object a create would store, or the rendered one where the server cannot say yet (its namespace or CRD is missing). */
    private static Map<String, Object> dryRunCreate(ClusterClient client, ObjectRef ref, Map<String, Object> desired,
                                                    String manager) {
        try {
            return client.apply(ref, desired, manager, true, true);
        } catch (ApiException e) {
            if (e.code() == 404) {
                return desired;
            }
            throw e;
        }
    }

    private static boolean unknown(Map<String, Object> desired) {
        boolean[] found = {false};
        Tree.forEachLeaf(desired, v -> found[0] |= v instanceof String s && s.startsWith(LiveValue.UNKNOWN_PREFIX));
        return found[0];
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> withoutLegacyRecord(Map<String, Object> object) {
        Map<String, Object> copy = Tree.copy(object);
        if (Tree.get(copy, "metadata", "annotations") instanceof Map<?, ?> a) {
            a.remove(OwnershipLabels.LEGACY_LAST_APPLIED);
            if (a.isEmpty()) {
                ((Map<String, Object>) copy.get("metadata")).remove("annotations");
            }
        }
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> resolve(DesiredObject node, Map<ObjectRef, Map<String, Object>> live) {
        return (Map<String, Object>) Tree.mapLeaves(node.content(), v -> {
            if (v instanceof LiveValue value) {
                Map<String, Object> source = live.get(value.source());
                Object resolved = source == null ? null : value.readFrom(source);
                return resolved != null ? resolved : value.toString();
            }
            return v;
        });
    }

    static String unifiedDiff(ObjectRef ref, Map<String, Object> before, Map<String, Object> after) {
        List<String> from = before == null ? List.of() : yaml(shown(ref, before)).lines().toList();
        List<String> to = yaml(shown(ref, after)).lines().toList();
        List<String> lines = UnifiedDiffUtils.generateUnifiedDiff("live/" + ref.id(), "planned/" + ref.id(), from,
                DiffUtils.diff(from, to), 3);
        return String.join("\n", lines) + "\n";
    }

    /** The object as a plan shows it: no status, no server bookkeeping, Secret data masked. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> shown(ObjectRef ref, Map<String, Object> object) {
        Map<String, Object> copy = Tree.copy(object);
        copy.remove("status");
        if (copy.get("metadata") instanceof Map<?, ?> m) {
            Map<String, Object> metadata = (Map<String, Object>) m;
            NOISE.forEach(metadata::remove);
        }
        if (ref.kind().equals("Secret")) {
            for (String key : List.of("data", "stringData")) {
                if (copy.get(key) instanceof Map<?, ?> data) {
                    ((Map<String, Object>) data).replaceAll((k, v) -> "(sensitive value)");
                }
            }
        }
        return copy;
    }

    private static String yaml(Object tree) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        options.setWidth(Integer.MAX_VALUE);
        return new Yaml(options).dump(tree);
    }
}
