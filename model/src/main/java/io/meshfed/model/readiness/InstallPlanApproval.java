package io.meshfed.model.readiness;

import io.meshfed.model.inventory.OperatorSpec.Approve;
import io.meshfed.model.resource.DesiredObject;
import io.meshfed.model.resource.ObjectRef;
import io.meshfed.model.resource.Tree;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Whether meshfed approves the InstallPlan a Subscription waits on ({@code installPlanApproval:
 * Manual}), as the operator's {@code approve} in the inventory asks: the plan that installs the
 * Subscription's {@code startingCSV}, or every plan. The rendered Subscription carries the choice as
 * a tag; OLM names the waiting plan in {@code status.installPlanRef} with an {@code InstallPlanPending}
 * condition, and lists what it installs in the plan's {@code spec.clusterServiceVersionNames}.
 */
public final class InstallPlanApproval {

    private static final String TAG = "approve-install-plan:";
    private static final String OLM = "operators.coreos.com/v1alpha1";

    private InstallPlanApproval() {
    }

    /** The tag a Subscription node carries when meshfed approves its plans; null for {@link Approve#NONE}. */
    public static String tag(Approve approve) {
        return approve == Approve.NONE ? null : TAG + approve.key();
    }

    /** What the node's tag asks for. */
    public static Approve mode(DesiredObject node) {
        return node.tags().stream().filter(t -> t.startsWith(TAG)).map(t -> t.substring(TAG.length()))
                .flatMap(key -> Arrays.stream(Approve.values()).filter(a -> a.key().equals(key)))
                .findFirst().orElse(Approve.NONE);
    }

    /** The InstallPlan the Subscription waits on for approval, or null when it waits on none. */
    public static ObjectRef pendingPlan(DesiredObject node, Map<String, Object> subscription) {
        if (subscription == null || Tree.get(subscription, "status", "installedCSV") != null) {
            return null;
        }
        Object name = Tree.get(subscription, "status", "installPlanRef", "name");
        boolean pending = Tree.get(subscription, "status", "conditions") instanceof List<?> conditions && conditions.stream()
                .anyMatch(c -> c instanceof Map<?, ?> m && "InstallPlanPending".equals(m.get("type")) && "True".equals(m.get("status")));
        if (!(name instanceof String plan) || !pending) {
            return null;
        }
        Object namespace = Tree.get(subscription, "status", "installPlanRef", "namespace");
        return new ObjectRef(node.ref().cluster(), OLM, "InstallPlan",
                namespace instanceof String ns ? ns : node.ref().namespace(), plan);
    }

    /** Approve or not, and in words why. */
    public record Decision(boolean approve, String reason) {
    }

    /**
     * @param node the Subscription as rendered (its tag, and {@code spec.startingCSV})
     * @param plan the InstallPlan it waits on, as read
     */
    public static Decision decide(DesiredObject node, Map<String, Object> plan) {
        String name = (String) Tree.get(plan, "metadata", "name");
        List<String> installs = Tree.get(plan, "spec", "clusterServiceVersionNames") instanceof List<?> l
                ? l.stream().map(Objects::toString).toList() : List.of();
        String what = "InstallPlan " + name + " (installs " + (installs.isEmpty() ? "nothing named" : String.join(", ", installs)) + ")";
        if (Boolean.TRUE.equals(Tree.get(plan, "spec", "approved"))) {
            return new Decision(false, what + " is approved; OLM has not acted on it yet");
        }
        return switch (mode(node)) {
            case ALL -> new Decision(true, "approving " + what + ": approve: all");
            case STARTING_CSV -> {
                Object starting = Tree.get(node.content(), "spec", "startingCSV");
                yield installs.contains(starting)
                        ? new Decision(true, "approving " + what + ": it installs starting_csv " + starting)
                        : new Decision(false, what + " awaits manual approval: it does not install starting_csv "
                                + starting + ", which is all meshfed approves (approve: starting_csv); " + howTo(name, plan));
            }
            case NONE -> new Decision(false, what + " awaits manual approval (installPlanApproval: Manual); " + howTo(name, plan)
                    + ", or let meshfed approve it (operators.<name>.approve in the inventory)");
        };
    }

    /** The oc command that approves a plan. */
    static String howTo(String name, Map<String, Object> planOrSubscription) {
        return "approve it: oc patch installplan " + name + " -n " + Tree.get(planOrSubscription, "metadata", "namespace")
                + " --type merge -p '{\"spec\":{\"approved\":true}}'";
    }
}
