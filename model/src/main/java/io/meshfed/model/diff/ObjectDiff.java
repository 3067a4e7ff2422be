package io.meshfed.model.diff;

import io.meshfed.model.resource.Tree;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares what meshfed wants with what a cluster has, on the fields meshfed manages only, the way
 * kubectl apply does:
 * <ul>
 *   <li>a field meshfed sets must have meshfed's value (numbers compare by value);</li>
 *   <li>fields only the live object has (server defaults, status, other writers' fields) are not
 *       differences; inside a list, an item matches when meshfed's item is contained in the live one;</li>
 *   <li>a field meshfed set last time (the last-applied record) and no longer wants is removed.</li>
 * </ul>
 * The result is the object to write (the live object with meshfed's fields put in), or none.
 */
public final class ObjectDiff {

    /** The annotation that keeps what meshfed applied last, as kubectl's last-applied-configuration does. */
    public static final String LAST_APPLIED = "meshfed.io/last-applied";

    private ObjectDiff() {
    }

    /** What to do with one object. */
    public enum Action { CREATE, UPDATE, UNCHANGED }

    /**
     * @param action  create, update or leave alone
     * @param target  the full object to write (null when unchanged)
     * @param changed the paths that differ, for messages ({@code spec.remote.addresses})
     */
    public record Result(Action action, Map<String, Object> target, List<String> changed) {
    }

    /**
     * @param desired        the object meshfed wants (every value known)
     * @param desiredRecord  the last-applied record to store for it (its canonical JSON)
     * @param live           the live object, or null when it does not exist
     * @param lastApplied    the record found on the live object (parsed), or null
     */
    public static Result compute(Map<String, Object> desired, String desiredRecord, Map<String, Object> live,
                                 Map<String, Object> lastApplied) {
        Map<String, Object> wanted = withRecord(desired, desiredRecord);
        if (live == null) {
            return new Result(Action.CREATE, wanted, List.of("(new)"));
        }
        Map<String, Object> target = Tree.copy(live);
        List<String> changed = new ArrayList<>();
        merge(target, wanted, "", changed);
        if (lastApplied != null) {
            removeDropped(target, lastApplied, desired, "", changed);
        }
        return changed.isEmpty() ? new Result(Action.UNCHANGED, null, List.of())
                : new Result(Action.UPDATE, target, List.copyOf(changed));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> withRecord(Map<String, Object> desired, String record) {
        Map<String, Object> copy = Tree.copy(desired);
        Map<String, Object> metadata = (Map<String, Object>) copy.computeIfAbsent("metadata", k -> new LinkedHashMap<>());
        Map<String, Object> annotations = (Map<String, Object>) metadata.computeIfAbsent("annotations",
                k -> new LinkedHashMap<>());
        annotations.put(LAST_APPLIED, record);
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> target, Map<String, Object> wanted, String path, List<String> changed) {
        for (Map.Entry<String, Object> e : wanted.entrySet()) {
            String key = e.getKey();
            String here = path.isEmpty() ? key : path + "." + key;
            Object want = e.getValue();
            Object have = target.get(key);
            if (want instanceof Map<?, ?> wantMap && have instanceof Map<?, ?> haveMap) {
                merge((Map<String, Object>) haveMap, (Map<String, Object>) wantMap, here, changed);
            } else if (!contains(have, want)) {
                target.put(key, Tree.copy(want));
                changed.add(here);
            }
        }
    }

    /** Whether {@code live} holds everything of {@code wanted}: equal scalars, contained maps, item-wise contained lists. */
    @SuppressWarnings("unchecked")
    static boolean contains(Object live, Object wanted) {
        if (wanted instanceof Map<?, ?> w) {
            if (!(live instanceof Map<?, ?> l)) {
                return false;
            }
            for (Map.Entry<?, ?> e : w.entrySet()) {
                if (!((Map<String, Object>) l).containsKey(e.getKey()) || !contains(l.get(e.getKey()), e.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (wanted instanceof List<?> w) {
            if (!(live instanceof List<?> l) || l.size() != w.size()) {
                return false;
            }
            for (int i = 0; i < w.size(); i++) {
                if (!contains(l.get(i), w.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (wanted instanceof Number a && live instanceof Number b) {
            return new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString())) == 0;
        }
        return wanted == null ? live == null : wanted.equals(live);
    }

    /** Removes what the last-applied record has and {@code desired} no longer has (map keys only). */
    @SuppressWarnings("unchecked")
    private static void removeDropped(Map<String, Object> target, Map<String, Object> last, Map<String, Object> desired,
                                      String path, List<String> changed) {
        for (Map.Entry<String, Object> e : last.entrySet()) {
            String key = e.getKey();
            String here = path.isEmpty() ? key : path + "." + key;
            if (here.equals("metadata.annotations." + LAST_APPLIED) || !target.containsKey(key)) {
                continue;
            }
            Object want = desired == null ? null : desired.get(key);
            if (want == null) {
                target.remove(key);
                changed.add(here + " (removed)");
            } else if (e.getValue() instanceof Map<?, ?> lastMap && want instanceof Map<?, ?> wantMap
                    && target.get(key) instanceof Map<?, ?> targetMap) {
                removeDropped((Map<String, Object>) targetMap, (Map<String, Object>) lastMap,
                        (Map<String, Object>) wantMap, here, changed);
            }
        }
    }
}
