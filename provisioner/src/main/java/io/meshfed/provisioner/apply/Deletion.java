package io.meshfed.provisioner.apply;

import io.meshfed.model.ownership.Claim;
import io.meshfed.model.ownership.NamespaceContents;
import io.meshfed.model.ownership.OwnershipLabels;
import io.meshfed.model.resource.ObjectRef;
import io.meshfed.model.resource.Tree;

import java.util.List;
import java.util.Map;

/**
 * What destroy and prune do with one object, decided in one place for them and for plan
 * ({@link #decide}, which only reads; {@link #carryOut}, which writes):
 * <ul>
 *   <li>this inventory created it (its record) and no other inventory adopted it: it is deleted — a
 *       namespace only when it holds nothing of anyone else's ({@link NamespaceContents}), else it is
 *       kept and the output says what is in it;</li>
 *   <li>another meshfed inventory created or adopted it too: handed over — this inventory's labels,
 *       adoption annotation and managedFields entry go, every value stays;</li>
 *   <li>it is not this inventory's creation but carries its fields or marks (adopted; or a copy, a
 *       re-creation carrying its labels): released — meshfed's fields are given up (an apply of the bare
 *       object by its manager) and its labels and annotation removed; where the object would not be
 *       valid without meshfed's fields, they stay ({@code kept});</li>
 *   <li>meshfed has nothing of it: left alone.</li>
 * </ul>
 */
final class Deletion {

    /** What to do. */
    enum Action {
        /** Already gone. */
        ABSENT("absent"),
        DELETE("delete"),
        /** A namespace this inventory created that still holds someone's objects. */
        KEEP("kept"),
        HAND_OVER("hand-over"),
        RELEASE("release"),
        NOT_OURS("not-owned");

        final String word;

        Action(String word) {
            this.word = word;
        }
    }

    /** The decision, why, and what it was made on. */
    record Decision(ObjectRef ref, Action action, String why, Map<String, Object> live, Claim claim) {
    }

    /** What was done: the action's word, the message, and whether it wrote. */
    record Done(String action, String message, boolean wrote) {
    }

    private Deletion() {
    }

    /** @param live the object as it is now (null: gone) */
    static Decision decide(ClusterClient client, InventoryRecords records, ObjectRef ref, Map<String, Object> live) {
        if (live == null) {
            return new Decision(ref, Action.ABSENT, "already gone", null, Claim.NONE);
        }
        String inventory = records.inventory();
        Claim claim = records.claim(ref.cluster(), live);
        if (claim.deletable(live, inventory)) {
            if (!ref.kind().equals("Namespace") || !ref.group().isEmpty()) {
                return new Decision(ref, Action.DELETE, "deleted", live, claim);
            }
            NamespaceContents.Foreign foreign = client.foreignIn(ref.name(), uid -> records.created(ref.cluster(), uid));
            return foreign.none() ? new Decision(ref, Action.DELETE, "deleted", live, claim)
                    : new Decision(ref, Action.KEEP, "kept: it holds what meshfed did not create: " + foreign.describe(), live, claim);
        }
        if (!Claim.otherInventories(live, inventory).isEmpty() && (claim.created() || Claim.managesFields(live, inventory)
                || !Claim.marks(live, inventory).isEmpty())) {
            return new Decision(ref, Action.HAND_OVER, "kept for meshfed inventory " + String.join(", ",
                    Claim.otherInventories(live, inventory)) + ", which wants it too; this inventory's labels and field "
                    + "ownership removed, values kept", live, claim);
        }
        if (claim.created() || Claim.managesFields(live, inventory) || !Claim.marks(live, inventory).isEmpty()) {
            String why = claim.created() ? "kept: someone else took it over"
                    : claim.why() != null ? "kept: it " + claim.why()
                    : "kept: it existed before meshfed adopted it";
            return new Decision(ref, Action.RELEASE, why, live, claim);
        }
        return new Decision(ref, Action.NOT_OURS, "not created by meshfed inventory " + inventory + ": left alone", live, claim);
    }

    /** How many times an object that changed between its read and its deletion is read and judged again. */
    private static final int ATTEMPTS = 3;

    /**
     * Reads the object, decides, and carries the decision out, on the very version judged: each write is conditional
     * on the resourceVersion read, and an object that changed meanwhile (a 409; or gone, a 404) is read and judged
     * again — so an object someone re-created under the same name is judged as theirs, never deleted as meshfed's.
     */
    static Outcome settle(ClusterClient client, InventoryRecords records, ObjectRef ref) {
        for (int attempt = 1; ; attempt++) {
            Decision decision = decide(client, records, ref, client.get(ref));
            try {
                return new Outcome(decision, carryOut(client, records, decision));
            } catch (ApiException e) {
                if (e.code() != 409 && e.code() != 404 || attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** A decision and what was done. */
    record Outcome(Decision decision, Done done) {
    }

    /** Carries the decision out (the deletion is sent; the caller waits for the object to be gone where it must). */
    static Done carryOut(ClusterClient client, InventoryRecords records, Decision decision) {
        ObjectRef ref = decision.ref();
        Map<String, Object> live = decision.live();
        String inventory = records.inventory();
        switch (decision.action()) {
            case DELETE -> {
                boolean wrote = client.delete(ref, resourceVersion(live));
                records.deleted(ref.cluster(), live);
                return new Done(Action.DELETE.word, decision.why(), wrote);
            }
            case HAND_OVER -> {
                Claim.HandOver handOver = Claim.handOver(live, inventory);
                client.patchMetadata(ref, resourceVersion(live), handOver.managedFields(), handOver.removed());
                records.deleted(ref.cluster(), live);
                return new Done(Action.HAND_OVER.word, decision.why(), true);
            }
            case RELEASE -> {
                return release(client, records, decision);
            }
            default -> {
                return new Done(decision.action().word, decision.why(), false);
            }
        }
    }

    /**
     * Gives meshfed's fields up and takes its marks off: an apply of the bare object by meshfed's manager
     * removes the fields only it owns; then a JSON patch (testing the resourceVersion it read) removes its
     * labels and adoption annotation, whoever set them.
     */
    @SuppressWarnings("unchecked")
    private static Done release(ClusterClient client, InventoryRecords records, Decision decision) {
        ObjectRef ref = decision.ref();
        Map<String, Object> live = decision.live();
        String inventory = records.inventory();
        String message = decision.why();
        boolean wrote = false;
        if (Claim.managesFields(live, inventory)) {
            try {
                // the apply names the version judged: changed since, it is a 409 (judged again). An apply cannot be kept
                // from creating: on an object deleted since, it makes a new one, which goes again at once
                Map<String, Object> bare = Claim.release(live);
                ((Map<String, Object>) bare.get("metadata")).put("resourceVersion", resourceVersion(live));
                Map<String, Object> released = client.apply(ref, bare, OwnershipLabels.fieldManager(inventory), false, false);
                if (!java.util.Objects.equals(Tree.get(released, "metadata", "uid"), Tree.get(live, "metadata", "uid"))) {
                    client.delete(ref, resourceVersion(released));
                    return new Done(Action.ABSENT.word, "gone before it was released (the release's apply made it again: "
                            + "deleted at once)", true);
                }
                live = released;
                wrote = true;
                message += "; meshfed's fields removed";
            } catch (ApiException e) {
                if (e.code() != 422) {
                    throw e;
                }
                return new Done("kept", message + "; meshfed's fields stay (without them it would not be valid: "
                        + e.getMessage() + ")", false);
            }
        }
        List<String> marks = Claim.marks(live, inventory);
        if (!marks.isEmpty()) {
            client.patchMetadata(ref, resourceVersion(live), null, marks);
            wrote = true;
            message += "; its " + OwnershipLabels.INVENTORY + " label and adoption annotation removed";
        }
        records.deleted(ref.cluster(), live);
        return new Done(Action.RELEASE.word, message, wrote);
    }

    private static String resourceVersion(Map<String, Object> live) {
        return (String) Tree.get(live, "metadata", "resourceVersion");
    }
}
