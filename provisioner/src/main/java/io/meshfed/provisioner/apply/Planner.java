package io.meshfed.provisioner.apply;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import io.meshfed.model.diff.ObjectDiff;
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
 * What an apply would do, without writing anything: per object create, update, unchanged (or, for
 * objects meshfed only reads, whether they exist), with a unified YAML diff. Values that come from
 * another object's live state and are not there yet are shown as {@code (known after apply: ...)}.
 * Secret data is masked. Reads each object once.
 */
public final class Planner {

    private static final Set<String> NOISE = Set.of("resourceVersion", "uid", "creationTimestamp", "generation",
            "managedFields", "selfLink");

    /** One object's planned action and its diff (empty when unchanged). */
    public record Entry(ObjectRef ref, String action, String diff) {
    }

    private final Map<String, ClusterClient> clients;

    public Planner(Map<String, ClusterClient> clients) {
        this.clients = Map.copyOf(clients);
    }

    public List<Entry> plan(ResourceGraph graph) {
        Map<ObjectRef, Map<String, Object>> live = new HashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (DesiredObject node : graph.inDependencyOrder()) {
            Map<String, Object> current = clients.get(node.ref().cluster()).get(node.ref());
            if (current != null) {
                live.put(node.ref(), current);
            }
            if (!node.managed()) {
                entries.add(new Entry(node.ref(), current == null ? "observe (not there yet)" : "observe", ""));
                continue;
            }
            Map<String, Object> desired = resolve(node, live);
            ObjectDiff.Result diff = ObjectDiff.compute(desired, NodeTask.canonical(desired), current,
                    NodeTask.lastApplied(current));
            String action = diff.action().name().toLowerCase();
            entries.add(new Entry(node.ref(), action, diff.action() == ObjectDiff.Action.UNCHANGED ? ""
                    : unifiedDiff(node.ref(), current, diff.target())));
        }
        return entries;
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

    /** The object as a plan shows it: no status, no server bookkeeping, no last-applied record, Secret data masked. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> shown(ObjectRef ref, Map<String, Object> object) {
        Map<String, Object> copy = Tree.copy(object);
        copy.remove("status");
        if (copy.get("metadata") instanceof Map<?, ?> m) {
            Map<String, Object> metadata = (Map<String, Object>) m;
            NOISE.forEach(metadata::remove);
            if (metadata.get("annotations") instanceof Map<?, ?> a) {
                a.remove(ObjectDiff.LAST_APPLIED);
                if (a.isEmpty()) {
                    metadata.remove("annotations");
                }
            }
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
