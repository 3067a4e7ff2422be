package io.meshfed.model.ownership;

import io.meshfed.model.resource.Tree;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How an inventory stands to one live object, and what that lets it do. Created: the inventory's
 * record holds the object's UID ({@link InventoryRecord}), written by the run that created it — the
 * one proof that the object is meshfed's to delete. An object with the inventory's labels but not in
 * the record counts as created only when meshfed's field manager was its one writer
 * ({@link Provenance}: made before records kept UIDs, or by a run killed before it recorded); it is
 * then recorded. Anything else is not meshfed's, whatever its labels and annotations say: meshfed
 * adopts it (manages the fields it renders, with an annotation and without its labels) and never
 * deletes it.
 *
 * @param kind     how the inventory stands to the object
 * @param recorded true when the object counts as created by {@link Provenance}'s rule and its UID is
 *                 not in the record yet: the run records it
 * @param why      for an object with the inventory's labels that is not its own, why not (the output says so); else null
 */
public record Claim(Kind kind, boolean recorded, String why) {

    /** How an inventory stands to a live object. */
    public enum Kind {
        /** The object does not exist: meshfed creates it, with its labels, and records its UID. */
        NEW,
        /** meshfed created it for this inventory: its UID is in the inventory's record. */
        CREATED,
        /**
         * Someone else created it (it was there before; another inventory, a person or a controller made
         * it; it is a copy or a re-creation): meshfed manages its fields only, and never deletes it.
         */
        NOT_CREATED
    }

    /** The claim on an object that does not exist. */
    public static final Claim NONE = new Claim(Kind.NEW, false, null);

    /**
     * How {@code inventory} stands to {@code live}; {@code recorded} says whether a UID is in the
     * inventory's record on the object's cluster ({@link InventoryRecord#created}).
     */
    public static Claim of(Map<String, Object> live, String inventory, java.util.function.Predicate<String> recorded) {
        if (live == null) {
            return NONE;
        }
        if (recorded.test((String) Tree.get(live, "metadata", "uid"))) {
            return new Claim(Kind.CREATED, false, null);
        }
        if (!OwnershipLabels.labelledFor(live, inventory)) {
            return new Claim(Kind.NOT_CREATED, false, null);
        }
        String why = Provenance.whyNotMeshfedAlone(live, inventory);
        return why == null ? new Claim(Kind.CREATED, true, null)
                : new Claim(Kind.NOT_CREATED, false, "carries inventory " + inventory + "'s labels, but its UID is not in the "
                + "inventory's record and " + why + ": not created by meshfed (a copy, or made by someone else)");
    }

    /** Whether the inventory created the object. */
    public boolean created() {
        return kind == Kind.CREATED;
    }

    /**
     * The configuration to apply: the rendered object as it is for a new or owned object; for an
     * adopted one without meshfed's ownership labels (so that destroy and prune never select it),
     * with the adoption annotation.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> configuration(Map<String, Object> desired, String inventory) {
        if (kind != Kind.NOT_CREATED) {
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
    public boolean deletable(Map<String, Object> live, String inventory) {
        return created() && otherAdopters(live, inventory).isEmpty();
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

    /** Whether applying now adopts the object: this inventory did not create it, and meshfed has not applied it yet. */
    public boolean adopting(Map<String, Object> live, String inventory) {
        return kind == Kind.NOT_CREATED && !managesFields(live, inventory);
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

    /** The other meshfed inventories whose labels or adoption the object carries (they still want its values). */
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
        return new HandOver(kept, marks(live, inventory));
    }

    /** The JSON pointers of the inventory's labels and adoption annotation on the object (to remove them). */
    public static List<String> marks(Map<String, Object> live, String inventory) {
        List<String> marks = new ArrayList<>();
        if (OwnershipLabels.labelledFor(live, inventory)) {
            marks.add(Tree.pointer("metadata", "labels", OwnershipLabels.MANAGED_BY));
            marks.add(Tree.pointer("metadata", "labels", OwnershipLabels.INVENTORY));
        }
        if (annotations(live).containsKey(OwnershipLabels.adoptedAnnotation(inventory))) {
            marks.add(Tree.pointer("metadata", "annotations", OwnershipLabels.adoptedAnnotation(inventory)));
        }
        return marks;
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
