package io.meshfed.provisioner.apply;

import io.meshfed.model.diff.AppliedAlready;
import io.meshfed.model.diff.DryRunComparison;
import io.meshfed.model.ownership.Claim;
import io.meshfed.model.ownership.ManagedFieldsMigration;
import io.meshfed.model.ownership.OwnershipLabels;
import io.meshfed.model.resource.ObjectRef;
import io.meshfed.model.resource.Tree;

import java.util.Map;

/**
 * What applying one rendered object does — create, adopt, update, leave unchanged, or not create —
 * decided in one place for apply ({@link NodeTask}, which then writes) and plan ({@link Planner},
 * which shows it), as Flux's ssa ResourceManager decides once for its apply and its diff:
 * <ul>
 *   <li>absent: created with meshfed's labels — unless another OperatorGroup already stands in its
 *       namespace (a second one would make OLM fail every operator there);</li>
 *   <li>present: the configuration is the rendered object for what this inventory created, or for
 *       anything else the adopted one ({@link Claim#configuration}); it is left alone when its
 *       managedFields and values show an apply would change nothing ({@link AppliedAlready}), else a
 *       server-side dry run says what the server would store, and only a difference is a change (of a
 *       value, or of the fields meshfed owns: what it owns is what a later apply removes).</li>
 * </ul>
 */
final class ApplyDecision {

    enum Action {
        CREATE("create"), ADOPT("adopt"), UPDATE("update"), UNCHANGED("unchanged"),
        /** Another object stands in its place (an OperatorGroup made by hand): meshfed leaves it. */
        NOT_CREATED("not created"),
        /** Another meshfed inventory set fields of it to other values: neither forces the other's (unless asked). */
        CONFLICT("conflict");

        final String word;

        Action(String word) {
            this.word = word;
        }
    }

    /**
     * @param action     what applying does
     * @param live       the object as read (null: absent), or the one standing in its place
     * @param config     what to apply
     * @param wouldStore what the server would store (a dry run), or null where none was made
     * @param claim      how the inventory stands to the object
     * @param conflict   for a conflict, what it is and what to do
     */
    record Decision(Action action, Map<String, Object> live, Map<String, Object> config, Map<String, Object> wouldStore,
                    Claim claim, String conflict) {

        Decision(Action action, Map<String, Object> live, Map<String, Object> config, Map<String, Object> wouldStore,
                 Claim claim) {
            this(action, live, config, wouldStore, claim, null);
        }

        boolean writes() {
            return action == Action.CREATE || action == Action.ADOPT || action == Action.UPDATE;
        }
    }

    private ApplyDecision() {
    }

    /**
     * @param desired   the rendered object with the values read from other clusters
     * @param live      the object as read
     * @param known     whether every value of {@code desired} is known (plan: a value read from another
     *                  cluster may not be there yet; then no dry run can say anything)
     * @param dryRunCreate whether to dry-run a create (plan, to show the server's defaults); apply creates at once
     * @param forceConflicts whether to take fields another meshfed inventory set to other values
     */
    static Decision decide(ClusterClient client, InventoryRecords records, ObjectRef ref, Map<String, Object> desired,
                           Map<String, Object> live, boolean known, boolean dryRunCreate, boolean forceConflicts) {
        String inventory = records.inventory();
        String manager = OwnershipLabels.fieldManager(inventory);
        if (live == null) {
            Map<String, Object> other = otherOperatorGroup(client, ref);
            if (other != null) {
                return new Decision(Action.NOT_CREATED, other, null, null, Claim.NONE);
            }
            Map<String, Object> wouldStore = dryRunCreate && known ? dryRunCreate(client, ref, desired, manager) : null;
            return new Decision(Action.CREATE, null, desired, wouldStore, Claim.NONE);
        }
        Claim claim = records.claim(ref.cluster(), live);
        Map<String, Object> config = claim.configuration(desired, inventory);
        boolean legacy = ManagedFieldsMigration.needed(live);
        if (known && !legacy && AppliedAlready.test(live, config, manager)) {
            return new Decision(Action.UNCHANGED, live, config, null, claim);   // certain from managedFields and values
        }
        Map<String, Object> wouldStore = known ? client.apply(ref, config, manager, true, false) : null;
        boolean changed = !known || legacy || !DryRunComparison.differences(live, wouldStore).isEmpty()
                || DryRunComparison.ownershipChanges(live, wouldStore, manager);
        Action action = !changed ? Action.UNCHANGED : claim.adopting(live, inventory) ? Action.ADOPT : Action.UPDATE;
        if (changed && known && !forceConflicts && otherInventoryWrote(live, manager)) {
            String conflict = conflict(client, ref, config, live, wouldStore, manager);
            if (conflict != null) {
                return new Decision(Action.CONFLICT, live, config, wouldStore, claim, conflict);
            }
        }
        return new Decision(action, live, config, wouldStore, claim);
    }

    /** Whether another meshfed inventory's field manager wrote the object. */
    private static boolean otherInventoryWrote(Map<String, Object> live, String manager) {
        return Tree.get(live, "metadata", "managedFields") instanceof java.util.List<?> entries && entries.stream()
                .anyMatch(e -> e instanceof Map<?, ?> m && m.get("manager") instanceof String name
                        && name.startsWith(OwnershipLabels.MANAGED_BY_VALUE + "/") && !name.equals(manager));
    }

    /**
     * The fields the apply would take from another meshfed inventory and set to another value (a field the
     * server only normalizes — 1024Mi stored as 1Gi — is no disagreement), in words, or null when none:
     * forcing them would make the two inventories overwrite each other on every run.
     */
    private static String conflict(ClusterClient client, ObjectRef ref, Map<String, Object> config, Map<String, Object> live,
                                   Map<String, Object> wouldStore, String manager) {
        java.util.Map<String, java.util.List<String>> byInventory = new java.util.TreeMap<>();
        for (ClusterClient.Conflict c : client.conflicts(ref, config, manager)) {
            if (c.manager().startsWith(OwnershipLabels.MANAGED_BY_VALUE + "/")
                    && !io.meshfed.model.diff.FieldPath.sameAt(live, wouldStore, c.field())) {
                byInventory.computeIfAbsent(c.manager().substring(OwnershipLabels.MANAGED_BY_VALUE.length() + 1),
                        k -> new java.util.ArrayList<>()).add(c.field().replaceFirst("^\\.", ""));
            }
        }
        if (byInventory.isEmpty()) {
            return null;
        }
        String mine = manager.substring(OwnershipLabels.MANAGED_BY_VALUE.length() + 1);
        java.util.List<String> parts = new java.util.ArrayList<>();
        byInventory.forEach((other, fields) -> parts.add(String.join(", ", fields) + " set by meshfed inventory '" + other + "'"));
        return "conflict: " + String.join("; ", parts) + " to other values than inventory '" + mine + "' renders; meshfed "
                + "does not take them (the two would overwrite each other on every run). Make the inventories agree, or render "
                + "the object in one of them only; --force-conflicts takes the fields for '" + mine + "'";
    }

    /**
     * For an OperatorGroup meshfed would create: another OperatorGroup already in its namespace (made
     * by hand, or by the console when an operator was installed there), or null.
     */
    static Map<String, Object> otherOperatorGroup(ClusterClient client, ObjectRef ref) {
        if (!ref.kind().equals("OperatorGroup")) {
            return null;
        }
        return client.list(ref.apiVersion(), ref.kind(), null).stream()
                .filter(g -> ref.namespace().equals(Tree.get(g, "metadata", "namespace"))).findFirst().orElse(null);
    }

    /** The object a create would store, or null where the server cannot say yet (its namespace or CRD is missing). */
    private static Map<String, Object> dryRunCreate(ClusterClient client, ObjectRef ref, Map<String, Object> desired,
                                                    String manager) {
        try {
            return client.apply(ref, desired, manager, true, true);
        } catch (ApiException e) {
            if (e.code() == 404) {
                return null;
            }
            throw e;
        }
    }
}
