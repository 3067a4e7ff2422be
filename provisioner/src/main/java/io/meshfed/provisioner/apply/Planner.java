package io.meshfed.provisioner.apply;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import io.meshfed.model.diff.DryRunComparison;
import io.meshfed.model.ownership.OwnershipLabels;
import io.meshfed.model.graph.ResourceGraph;
import io.meshfed.model.resource.DesiredObject;
import io.meshfed.model.resource.Live;
import io.meshfed.model.resource.LiveValue;
import io.meshfed.model.resource.ObjectRef;
import io.meshfed.model.resource.SecretData;
import io.meshfed.model.resource.Tree;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import io.meshfed.provisioner.trust.IntermediateCas;
import io.meshfed.provisioner.trust.ReaderTokens;
import java.util.Map;
import java.util.Set;

/**
 * What an apply would do, without writing anything: per object create, adopt, update, unchanged (or,
 * for objects meshfed only reads, whether they exist), decided as apply decides it
 * ({@link ApplyDecision}), with a unified YAML diff of the object as the server would store it (a
 * server-side dry run). Values that come from another object's live state and are not there yet are
 * shown as {@code (known after apply: ...)}; such objects, and objects whose namespace or CRD does not
 * exist yet, show their rendered content. What the account may not read is {@code unknown}, and the
 * rest is planned all the same. Secret values are masked (a changed one marked, as kubectl diff does).
 */
public final class Planner {

    private static final Set<String> NOISE = Set.of("resourceVersion", "uid", "creationTimestamp", "generation",
            "managedFields", "selfLink");

    /** What plan says of an object meshfed may not read (a role without get or list of its kind). */
    public static final String UNKNOWN = "unknown";

    /**
     * One object's planned action, its diff (empty when unchanged) and a note (why it is unknown, why it
     * shows as rendered), or null.
     */
    public record Entry(ObjectRef ref, String action, String diff, String note) {
    }

    private final Map<String, ClusterClient> clients;
    private final InventoryRecords records;
    private final boolean forceConflicts;
    private final IntermediateCas cas;
    private final ReaderTokens tokens;

    /**
     * @param forceConflicts as apply --force-conflicts: take fields another meshfed inventory set
     * @param cas            says whether the OSSM 3 clusters' intermediate CAs on the clusters are kept
     * @param tokens         says whether the tokens in the OSSM 3 clusters' remote secrets are kept
     */
    public Planner(Map<String, ClusterClient> clients, InventoryRecords records, boolean forceConflicts, IntermediateCas cas,
                   ReaderTokens tokens) {
        this.clients = Map.copyOf(clients);
        this.records = records;
        this.forceConflicts = forceConflicts;
        this.cas = cas;
        this.tokens = tokens;
    }

    /** Each object's action, in dependency order. */
    public List<Entry> plan(ResourceGraph graph) {
        Map<ObjectRef, Map<String, Object>> live = new HashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (DesiredObject node : graph.inDependencyOrder()) {
            try {
                entries.add(plan(node, live));
            } catch (ApiException e) {
                if (e.code() != 403 && e.code() != 401) {
                    throw e;
                }
                entries.add(new Entry(node.ref(), UNKNOWN, "", "may not be read: " + e.getMessage()));
            }
        }
        return entries;
    }

    private Entry plan(DesiredObject node, Map<ObjectRef, Map<String, Object>> live) {
        ClusterClient client = clients.get(node.ref().cluster());
        Map<String, Object> current = client.firstRead(node.ref());
        if (current != null) {
            live.put(node.ref(), current);
        }
        if (!node.managed()) {
            return new Entry(node.ref(), current == null ? "observe (not there yet)" : "observe", "", null);
        }
        Map<String, Object> desired = IssuedValues.fill(resolve(node, live, current), cas::kept, current);
        boolean known = !unknown(desired);
        ApplyDecision.Decision decision = ApplyDecision.decide(client, records, node.ref(), desired, current, known, true,
                forceConflicts);
        String action = decision.action().word;
        return switch (decision.action()) {
            case NOT_CREATED, UNCHANGED -> new Entry(node.ref(), action, "", null);
            case CONFLICT -> new Entry(node.ref(), action, unifiedDiff(node.ref(), current, decision.wouldStore()),
                    decision.conflict());
            case CREATE -> new Entry(node.ref(), action, unifiedDiff(node.ref(), null,
                    decision.wouldStore() != null ? decision.wouldStore() : desired),
                    !known || decision.wouldStore() != null ? null : "shown as rendered: the cluster cannot dry-run it yet (does it "
                            + "serve " + node.ref().kind() + " " + node.ref().apiVersion() + "? an operator of the graph may bring it"
                            + (node.ref().namespaced() ? "; or namespace " + node.ref().namespace() + " is not there yet)" : ")"));
            case ADOPT, UPDATE -> {
                Map<String, Object> after = decision.wouldStore() != null ? withoutLegacyRecord(decision.wouldStore())
                        : decision.config();
                String diff = unifiedDiff(node.ref(), current, after);
                yield new Entry(node.ref(), action, diff, DryRunComparison.differences(current, after).isEmpty()
                        ? "no value changes: meshfed takes ownership of the fields it sets" : null);
            }
        };
    }

    private static boolean unknown(Map<String, Object> desired) {
        boolean[] found = {false};
        Tree.forEachLeaf(desired, v -> found[0] |= v instanceof String s && s.contains(LiveValue.UNKNOWN_PREFIX));
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
    private Map<String, Object> resolve(DesiredObject node, Map<ObjectRef, Map<String, Object>> live,
                                        Map<String, Object> current) {
        java.util.function.Function<io.meshfed.model.resource.LiveValue, Object> read = field -> live.get(field.source()) == null
                ? null : field.readFrom(live.get(field.source()));
        return (Map<String, Object>) Tree.mapLeaves(node.content(), v -> {
            if (v instanceof Live value) {
                // a token: the one there while still good, else unknown (apply issues one)
                Object resolved = value.resolve(read, token -> read.apply(token.account()) instanceof String uid
                        ? tokens.kept(token, uid, current) : null);
                return resolved != null ? resolved : value.toString();
            }
            return v;
        });
    }

    static String unifiedDiff(ObjectRef ref, Map<String, Object> before, Map<String, Object> after) {
        List<String> from = before == null ? List.of() : yaml(shown(ref, before, after, " (before)")).lines().toList();
        List<String> to = yaml(shown(ref, after, before, " (after)")).lines().toList();
        List<String> lines = UnifiedDiffUtils.generateUnifiedDiff("live/" + ref.id(), "planned/" + ref.id(), from,
                DiffUtils.diff(from, to), 3);
        return String.join("\n", lines) + "\n";
    }

    /**
     * The object as a plan shows it: no status, no server bookkeeping; a Secret's values masked, as
     * kubectl diff masks them: {@code ***}, or {@code *** (before)} and {@code *** (after)} ({@code side})
     * where the value differs from {@code other}'s (the other side of the diff), so that a changed value shows.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> shown(ObjectRef ref, Map<String, Object> object, Map<String, Object> other, String side) {
        Map<String, Object> copy = Tree.copy(object);
        copy.remove("status");
        if (copy.get("metadata") instanceof Map<?, ?> m) {
            Map<String, Object> metadata = (Map<String, Object>) m;
            NOISE.forEach(metadata::remove);
        }
        if (ref.kind().equals("Secret")) {
            Map<String, Object> otherValues = other == null ? Map.of() : SecretData.byKey(other).get("data") instanceof Map<?, ?> d
                    ? (Map<String, Object>) d : Map.of();
            Map<String, Object> values = SecretData.byKey(copy).get("data") instanceof Map<?, ?> d ? (Map<String, Object>) d : Map.of();
            for (String key : List.of("data", "stringData")) {
                if (copy.get(key) instanceof Map<?, ?> data) {
                    ((Map<String, Object>) data).replaceAll((k, v) -> "***" + (otherValues.containsKey(k)
                            && !java.util.Objects.equals(otherValues.get(k), values.get(k)) ? side : ""));
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
