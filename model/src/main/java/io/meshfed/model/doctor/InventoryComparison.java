package io.meshfed.model.doctor;

import io.meshfed.model.resource.ObjectRef;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * With an inventory, whether each cluster holds what it renders — plan's comparison, per cluster —
 * so that "not applied yet" and "applied but changed since" are told apart from a federation that is
 * applied as rendered and still does not work.
 */
public final class InventoryComparison {

    static final String CHECK = "inventory";
    private static final int NAMED = 4;

    /** One object's planned action, as plan decides it (create, adopt, update, unchanged, observe, ...). */
    public record Planned(ObjectRef ref, String action) {
    }

    private InventoryComparison() {
    }

    /** A finding per cluster of {@code clusters}, from the plan of the whole inventory. */
    public static Map<String, Finding> findings(List<String> clusters, List<Planned> plan) {
        Map<String, Finding> out = new LinkedHashMap<>();
        for (String cluster : clusters) {
            List<Planned> mine = plan.stream().filter(p -> p.ref().cluster().equals(cluster)).toList();
            List<ObjectRef> missing = refs(mine, "create");
            List<ObjectRef> changed = new ArrayList<>(refs(mine, "update"));
            changed.addAll(refs(mine, "adopt"));
            long managed = mine.stream().filter(p -> !p.action().startsWith("observe")).count();
            List<String> problems = new ArrayList<>();
            if (!missing.isEmpty()) {
                problems.add((missing.size() == managed ? "not applied yet: " : "partly applied: ") + missing.size() + " of "
                        + managed + " objects the inventory renders are missing (" + named(missing) + ")");
            }
            if (!changed.isEmpty()) {
                problems.add("changed since it was applied: " + changed.size() + (changed.size() == 1 ? " object differs"
                        : " objects differ") + " from the inventory (" + named(changed) + ")");
            }
            out.put(cluster, problems.isEmpty()
                    ? Finding.ok(cluster, null, CHECK, "the " + managed + " objects the inventory renders for " + cluster
                            + " are applied as rendered")
                    : Finding.fail(cluster, null, CHECK, String.join("; ", problems), "meshfed plan -i shows the "
                            + "differences; meshfed apply -i writes them"));
        }
        return out;
    }

    /** Each cluster's comparison as unknown, for {@code reason} (the role may not dry-run; a cluster is unreachable). */
    public static Map<String, Finding> notCompared(List<String> clusters, String reason) {
        Map<String, Finding> out = new LinkedHashMap<>();
        clusters.forEach(c -> out.put(c, Finding.unknown(c, null, CHECK, "not compared with the inventory: " + reason)));
        return out;
    }

    private static List<ObjectRef> refs(List<Planned> plan, String action) {
        return plan.stream().filter(p -> p.action().equals(action)).map(Planned::ref).toList();
    }

    private static String named(List<ObjectRef> refs) {
        List<String> names = refs.stream().limit(NAMED).map(ObjectRef::describe).toList();
        return String.join(", ", names) + (refs.size() > NAMED ? " and " + (refs.size() - NAMED) + " more" : "");
    }
}
