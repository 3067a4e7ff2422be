package io.meshfed.provisioner.apply;

import io.meshfed.model.ownership.Claim;
import io.meshfed.model.ownership.OwnershipLabels;
import io.meshfed.model.resource.ObjectRef;
import io.meshfed.model.resource.Tree;

import java.util.List;
import java.util.Map;

/**
 * What destroy and prune do with an object this inventory may not delete:
 * <ul>
 *   <li>another meshfed inventory created or adopted it too: hand it over — meshfed's labels, adoption
 *       annotation and managedFields entry go, every value stays (the other inventory wants them);</li>
 *   <li>it existed before meshfed adopted it: give up meshfed's fields (an apply of the bare object
 *       by meshfed's manager removes the fields only meshfed owns), or, where the object would not be
 *       valid without them, leave it as it is and say so;</li>
 *   <li>meshfed has nothing of it: leave it alone.</li>
 * </ul>
 */
final class GiveUp {

    /** What was done ({@code hand-over}, {@code release}, {@code kept}, {@code not-owned}), why, and whether it wrote. */
    record Result(String action, String message, boolean wrote) {
    }

    private GiveUp() {
    }

    static Result object(ClusterClient client, ObjectRef ref, Map<String, Object> live, String inventory) {
        boolean created = Claim.of(live, inventory) == Claim.Kind.OWNED;
        if (!created && !Claim.managesFields(live, inventory)) {
            return new Result("not-owned", "not created by meshfed inventory " + inventory + ": left alone", false);
        }
        List<String> others = Claim.otherInventories(live, inventory);
        if (!others.isEmpty()) {
            Claim.HandOver handOver = Claim.handOver(live, inventory);
            client.patchMetadata(ref, (String) Tree.get(live, "metadata", "resourceVersion"), handOver.managedFields(),
                    handOver.removed());
            return new Result("hand-over", "kept for meshfed inventory " + String.join(", ", others)
                    + ", which wants it too; this inventory's labels and field ownership removed, values kept", true);
        }
        String why = created ? "kept: someone else took it over" : "kept: it existed before meshfed adopted it";
        try {
            client.apply(ref, Claim.release(live), OwnershipLabels.fieldManager(inventory), false, false);
            return new Result("release", why + "; meshfed's fields removed", true);
        } catch (ApiException e) {
            if (e.code() != 422) {
                throw e;
            }
            return new Result("kept", why + "; meshfed's fields stay (without them it would not be valid: "
                    + e.getMessage() + ")", false);
        }
    }
}
