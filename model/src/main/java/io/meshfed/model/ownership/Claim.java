package io.meshfed.model.ownership;

import io.meshfed.model.resource.Tree;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an inventory may do with one live object, as Helm and kapp decide it: an object it created
 * (its labels, and no other inventory adopted it since) is its own to delete; an object that was
 * there before is adopted: meshfed applies its fields with an annotation that says so, without its
 * labels, and never deletes it.
 */
public final class Claim {

    /** How an inventory stands to a live object. */
    public enum Kind {
        /** The object does not exist: meshfed creates it, with its labels. */
        NEW,
        /** meshfed created it for this inventory. */
        OWNED,
        /** It existed before (or another inventory created it): meshfed manages its fields only. */
        ADOPTED
    }

    private Claim() {
    }

    /**
     * Created by this inventory: its labels say so, or its field manager applied the object before
     * without adopting it (someone removed the labels: drift, which the next apply corrects). Adopted:
     * the adoption annotation says so, or meshfed never wrote it.
     */
    public static Kind of(Map<String, Object> live, String inventory) {
        if (live == null) {
            return Kind.NEW;
        }
        if (annotations(live).containsKey(OwnershipLabels.adoptedAnnotation(inventory))) {
            return Kind.ADOPTED;
        }
        return ownedBy(live, inventory) || managesFields(live, inventory) && otherCreator(live, inventory) == null
                ? Kind.OWNED : Kind.ADOPTED;
    }

    /**
     * The configuration to apply: the rendered object as it is for a new or owned object; for an
     * adopted one without meshfed's ownership labels (so that destroy and prune never select it),
     * with the adoption annotation.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> configuration(Map<String, Object> desired, Map<String, Object> live, String inventory) {
        if (of(live, inventory) != Kind.ADOPTED) {
            return desired;
        }
        Map<String, Object> config = Tree.copy(desired);
        Map<String, Object> metadata = (Map<String, Object>) config.computeIfAbsent("metadata", k -> new LinkedHashMap<>());
        if (metadata.get("labels") instanceof Map<?, ?> labels) {
            labels.remove(OwnershipLabels.MANAGED_BY);
            labels.remove(OwnershipLabels.INVENTORY);
            if (labels.isEmpty()) {
                metadata.remove("labels");
            }
        }
        Map<String, Object> annotations = (Map<String, Object>) metadata.computeIfAbsent("annotations", k -> new LinkedHashMap<>());
        annotations.put(OwnershipLabels.adoptedAnnotation(inventory), "true");
        return config;
    }

    /**
     * Whether destroy and prune may delete the object: this inventory created it and no other
     * inventory adopted it since (then meshfed only gives up its own fields).
     */
    public static boolean deletable(Map<String, Object> live, String inventory) {
        return of(live, inventory) == Kind.OWNED && otherAdopters(live, inventory).isEmpty();
    }

    /** The inventories other than {@code inventory} that adopted the object. */
    public static List<String> otherAdopters(Map<String, Object> live, String inventory) {
        List<String> others = new ArrayList<>();
        for (Object key : annotations(live).keySet()) {
            String k = String.valueOf(key);
            if (k.startsWith(OwnershipLabels.ADOPTED_PREFIX) && !k.equals(OwnershipLabels.adoptedAnnotation(inventory))) {
                others.add(k.substring(OwnershipLabels.ADOPTED_PREFIX.length()));
            }
        }
        return others;
    }

    /** Whether applying now adopts the object: it is not this inventory's, and meshfed has not applied it yet. */
    public static boolean adopting(Map<String, Object> live, String inventory) {
        return of(live, inventory) == Kind.ADOPTED && !managesFields(live, inventory);
    }

    /** Whether the inventory's field manager owns any field of the object. */
    public static boolean managesFields(Map<String, Object> live, String inventory) {
        String manager = OwnershipLabels.fieldManager(inventory);
        return managedFields(live).stream().anyMatch(e -> manager.equals(e.get("manager")));
    }

    /** The smallest configuration: applying it gives up every field the manager owned. */
    public static Map<String, Object> release(Map<String, Object> live) {
        Map<String, Object> metadata = Tree.map("name", Tree.get(live, "metadata", "name"));
        Object namespace = Tree.get(live, "metadata", "namespace");
        if (namespace != null) {
            metadata.put("namespace", namespace);
        }
        return Tree.map("apiVersion", live.get("apiVersion"), "kind", live.get("kind"), "metadata", metadata);
    }

    /** The other meshfed inventories that created or adopted the object (they still want its values). */
    public static List<String> otherInventories(Map<String, Object> live, String inventory) {
        List<String> others = new ArrayList<>();
        String creator = otherCreator(live, inventory);
        if (creator != null) {
            others.add(creator);
        }
        others.addAll(otherAdopters(live, inventory));
        return others;
    }

    /**
     * Giving an object over to the other inventories that want it, values untouched: the managedFields
     * without this inventory's manager, and the JSON pointers of its labels and adoption annotation to
     * remove. (Applying an empty configuration instead would remove the fields only this manager owns,
     * and after a forced apply with values the server normalizes — 1024Mi stored as 1Gi — that can be a
     * field the other inventory wants too.)
     */
    public static HandOver handOver(Map<String, Object> live, String inventory) {
        String manager = OwnershipLabels.fieldManager(inventory);
        List<Map<String, Object>> kept = managedFields(live).stream().filter(e -> !manager.equals(e.get("manager"))).toList();
        List<String> remove = new ArrayList<>();
        if (ownedBy(live, inventory)) {
            remove.add(Tree.pointer("metadata", "labels", OwnershipLabels.MANAGED_BY));
            remove.add(Tree.pointer("metadata", "labels", OwnershipLabels.INVENTORY));
        }
        if (annotations(live).containsKey(OwnershipLabels.adoptedAnnotation(inventory))) {
            remove.add(Tree.pointer("metadata", "annotations", OwnershipLabels.adoptedAnnotation(inventory)));
        }
        return new HandOver(kept, remove);
    }

    /** The managedFields to keep and the JSON pointers to remove. */
    public record HandOver(List<Map<String, Object>> managedFields, List<String> removed) {
    }

    /** The inventory another meshfed inventory's labels name, or null. */
    private static String otherCreator(Map<String, Object> live, String inventory) {
        Object labels = Tree.get(live, "metadata", "labels");
        Object creator = labels instanceof Map<?, ?> m ? m.get(OwnershipLabels.INVENTORY) : null;
        return creator instanceof String c && !inventory.equals(c) ? c : null;
    }

    private static boolean ownedBy(Map<String, Object> live, String inventory) {
        Object labels = Tree.get(live, "metadata", "labels");
        Map<?, ?> l = labels instanceof Map<?, ?> m ? m : Map.of();
        return OwnershipLabels.MANAGED_BY_VALUE.equals(l.get(OwnershipLabels.MANAGED_BY))
                && inventory.equals(l.get(OwnershipLabels.INVENTORY));
    }

    private static Map<?, ?> annotations(Map<String, Object> live) {
        Object annotations = Tree.get(live, "metadata", "annotations");
        return annotations instanceof Map<?, ?> m ? m : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> managedFields(Map<String, Object> live) {
        Object entries = Tree.get(live, "metadata", "managedFields");
        if (!(entries instanceof List<?> list)) {
            return List.of();
        }
        return list.stream().filter(Map.class::isInstance).map(e -> (Map<String, Object>) e).toList();
    }
}
