package io.meshfed.model.readiness;

import io.meshfed.model.resource.DesiredObject;
import io.meshfed.model.resource.ObjectRef;
import io.meshfed.model.resource.Tree;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Readiness as a pure function of what was observed: the live object (null when it does not exist)
 * and, for a Subscription, the ClusterServiceVersion it installed. Every kind's rule is here, with the
 * status fields it reads (FEDERATION.md for the federation kinds).
 */
public final class ReadinessCheck {

    private ReadinessCheck() {
    }

    /**
     * @param node    what was rendered (its readiness kind, and for service sets the expected services)
     * @param live    the object as the API server returns it, or null
     * @param related for a Subscription, its installed CSV (or null); otherwise unused
     */
    public static ConditionResult evaluate(DesiredObject node, Map<String, Object> live, Map<String, Object> related) {
        if (live == null) {
            return ConditionResult.notMet("does not exist yet");
        }
        // kstatus' rule: a controller that reports the generation it last saw has not acted on a newer one yet,
        // and its conditions still describe the previous spec
        if (Tree.get(live, "status", "observedGeneration") instanceof Number observed
                && Tree.get(live, "metadata", "generation") instanceof Number generation
                && observed.longValue() < generation.longValue()) {
            return ConditionResult.notMet("generation " + generation + " not observed by its controller yet (it reports "
                    + observed + ")");
        }
        return switch (node.readiness()) {
            case EXISTS -> ConditionResult.met("exists");
            case NAMESPACE_ACTIVE -> "Terminating".equals(Tree.get(live, "status", "phase"))
                    ? ConditionResult.notMet("namespace is Terminating") : ConditionResult.met("namespace is Active");
            case CSV_SUCCEEDED -> subscription(node, live, related);
            case READY_CONDITION -> condition(live, "Ready");
            case LOAD_BALANCER_ADDRESS -> loadBalancer(live);
            case PEER_CONNECTED -> peer(live);
            case SERVICES_EXPORTED -> services(live, "exportedServices", expectedExports(node));
            case SERVICES_IMPORTED -> services(live, "importedServices", expectedImports(node));
            case VALUE_PUBLISHED -> published(live);
        };
    }

    private static ConditionResult subscription(DesiredObject node, Map<String, Object> sub, Map<String, Object> csv) {
        Object installed = Tree.get(sub, "status", "installedCSV");
        ObjectRef plan = InstallPlanApproval.pendingPlan(node, sub);
        if (plan != null) {
            // installPlanApproval: Manual: OLM waits for someone to approve the plan; say which, and how
            return ConditionResult.notMet("InstallPlan " + plan.name() + " awaits manual approval (installPlanApproval: Manual); "
                    + InstallPlanApproval.howTo(plan.name(), sub));
        }
        if (installed == null) {
            String why = conditionMessage(sub, "ResolutionFailed");
            return ConditionResult.notMet(why != null ? "pending: " + why : "no ClusterServiceVersion installed yet");
        }
        if (csv == null) {
            return ConditionResult.notMet("ClusterServiceVersion " + installed + " not found");
        }
        Object phase = Tree.get(csv, "status", "phase");
        if ("Succeeded".equals(phase)) {
            return ConditionResult.met(installed + " Succeeded");
        }
        Object message = Tree.get(csv, "status", "message");
        return ConditionResult.notMet(installed + " is " + (phase == null ? "pending" : phase)
                + (message == null ? "" : ": " + message));
    }

    private static ConditionResult condition(Map<String, Object> live, String type) {
        for (Map<String, Object> c : conditions(live)) {
            if (type.equals(c.get("type"))) {
                boolean met = "True".equals(c.get("status"));
                String reason = Objects.toString(c.get("reason"), "") + (c.get("message") != null ? ": " + c.get("message") : "");
                return new ConditionResult(met, type + "=" + c.get("status") + (reason.isEmpty() ? "" : " (" + reason + ")"));
            }
        }
        return ConditionResult.notMet("no " + type + " condition yet");
    }

    private static String conditionMessage(Map<String, Object> live, String type) {
        for (Map<String, Object> c : conditions(live)) {
            if (type.equals(c.get("type")) && "True".equals(c.get("status"))) {
                return Objects.toString(c.get("message"), type);
            }
        }
        return null;
    }

    private static List<Map<String, Object>> conditions(Map<String, Object> live) {
        return Tree.maps(live, "status", "conditions");
    }

    @SuppressWarnings("unchecked")
    private static ConditionResult loadBalancer(Map<String, Object> service) {
        Object ingress = Tree.get(service, "status", "loadBalancer", "ingress");
        if (ingress instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map<?, ?> first) {
            Object address = ((Map<String, Object>) first).getOrDefault("ip", ((Map<String, Object>) first).get("hostname"));
            if (address != null) {
                return ConditionResult.met("load-balancer address " + address);
            }
        }
        return ConditionResult.notMet("no load-balancer address yet (is the address pool advertised?)");
    }

    @SuppressWarnings("unchecked")
    private static ConditionResult peer(Map<String, Object> peer) {
        Object active = Tree.get(peer, "status", "discoveryStatus", "active");
        if (active instanceof List<?> list) {
            for (Object entry : list) {
                Map<String, Object> e = (Map<String, Object>) entry;
                boolean watch = Boolean.TRUE.equals(Tree.get(e, "watch", "connected"));
                boolean remote = e.get("remotes") instanceof List<?> remotes && remotes.stream()
                        .anyMatch(r -> r instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get("connected")));
                if (watch && remote) {
                    return ConditionResult.met("discovery connected both ways (" + e.get("pod") + ")");
                }
                if (watch) {
                    return ConditionResult.notMet("connected to the peer, but the peer has not connected back"
                            + (e.get("inboundStatus") != null ? ": " + e.get("inboundStatus") : ""));
                }
            }
        }
        Object inactive = Tree.get(peer, "status", "discoveryStatus", "inactive");
        if (inactive instanceof List<?> list && !list.isEmpty()) {
            Object why = Tree.get((Map<String, Object>) list.get(0), "watch", "lastDisconnectStatus");
            return ConditionResult.notMet("disconnected" + (why != null ? ": " + why : ""));
        }
        return ConditionResult.notMet("no discovery status yet");
    }

    @SuppressWarnings("unchecked")
    private static ConditionResult services(Map<String, Object> live, String field, List<String> expected) {
        Object listed = Tree.get(live, "status", field);
        List<Map<String, Object>> entries = new ArrayList<>();
        if (listed instanceof List<?> list) {
            list.forEach(e -> entries.add((Map<String, Object>) e));
        }
        if (expected.isEmpty()) {
            return entries.isEmpty() ? ConditionResult.notMet("status lists no services yet")
                    : ConditionResult.met(entries.size() + " services in status");
        }
        List<String> missing = new ArrayList<>();
        for (String name : expected) {
            boolean found = entries.stream().anyMatch(e -> name.equals(e.get("exportedName"))
                    || (e.get("localService") instanceof Map<?, ?> local && name.equals(local.get("name") + "." + local.get("namespace"))));
            if (!found) {
                missing.add(name);
            }
        }
        return missing.isEmpty() ? ConditionResult.met("status lists " + String.join(", ", expected))
                : ConditionResult.notMet("status does not list " + String.join(", ", missing) + " yet");
    }

    /** Exported names the set's fixed name selectors must produce: {@code name.ns.svc.<set>-exports.local}. */
    static List<String> expectedExports(DesiredObject set) {
        return fixedNames(set, "exportRules").stream()
                .map(n -> n[1] + "." + n[0] + ".svc." + set.ref().name() + "-exports.local").toList();
    }

    /**
     * The Services an ExportedServiceSet's rules name one by one, on the exporting cluster: each must
     * exist there before it can be exported (nothing else in the set's status says it does not).
     */
    public static List<ObjectRef> servicesToExport(DesiredObject set) {
        List<ObjectRef> services = new ArrayList<>();
        Object rules = Tree.get(set.content(), "spec", "exportRules");
        for (Object r : rules instanceof List<?> l ? l : List.of()) {
            if (r instanceof Map<?, ?> rule && rule.get("nameSelector") instanceof Map<?, ?> sel
                    && fixed(sel.get("namespace")) && fixed(sel.get("name"))) {
                services.add(new ObjectRef(set.ref().cluster(), "v1", "Service", (String) sel.get("namespace"),
                        (String) sel.get("name")));
            }
        }
        return services;
    }

    /** Imported services (as {@code name.namespace} of their localService) the set's rules must produce. */
    static List<String> expectedImports(DesiredObject set) {
        return fixedNames(set, "importRules").stream().map(n -> n[1] + "." + n[0]).toList();
    }

    /** {namespace, name} after the alias, for every name selector of the set's rules naming one service. */
    @SuppressWarnings("unchecked")
    private static List<String[]> fixedNames(DesiredObject set, String rulesField) {
        List<String[]> names = new ArrayList<>();
        Object rules = Tree.get(set.content(), "spec", rulesField);
        for (Object r : rules instanceof List<?> l ? l : List.of()) {
            Map<String, Object> sel = (Map<String, Object>) ((Map<String, Object>) r).get("nameSelector");
            if (sel != null && fixed(sel.get("namespace")) && fixed(sel.get("name"))) {
                names.add(new String[] {aliased(sel, "namespace"), aliased(sel, "name")});
            }
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    private static String aliased(Map<String, Object> selector, String field) {
        Object alias = selector.get("alias") instanceof Map<?, ?> a ? ((Map<String, Object>) a).get(field) : null;
        return fixed(alias) ? (String) alias : (String) selector.get(field);
    }

    private static boolean fixed(Object value) {
        return value instanceof String s && !s.isEmpty() && !s.equals("*");
    }

    private static ConditionResult published(Map<String, Object> live) {
        Object data = Tree.get(live, "data");
        return data instanceof Map<?, ?> m && !m.isEmpty() ? ConditionResult.met("published")
                : ConditionResult.notMet("no data yet");
    }
}
