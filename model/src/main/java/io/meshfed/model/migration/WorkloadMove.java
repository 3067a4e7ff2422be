package io.meshfed.model.migration;

import io.meshfed.model.resource.LabelSelectors;
import io.meshfed.model.resource.Tree;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The migration guide's "Migrate proxies and gateways", for workloads: a Pod keeps the proxy of the control plane
 * that injected it until it is made again, so once a member namespace is on the new revision its workloads are
 * restarted ({@code kubectl rollout restart}) — and again on the way back. Which ones, from the namespace's
 * workloads and Pods as read; pure.
 *
 * <p>A workload is restarted when one of its Pods runs the proxy of a revision being left, unless it was already
 * restarted for the revision it moves to and that rollout is still under way: its pod template carries
 * {@value #RESTARTED_FOR} and kubectl's {@code kubectl.kubernetes.io/restartedAt}, so a second run restarts nothing
 * while the Pods are being made again. One restarted onto the new revision and rolled out with its Pods still on the
 * old one (restarted back by hand, an injector that did not answer) is restarted again. A Pod without a proxy is
 * left as it is.
 */
public final class WorkloadMove {

    /** The pod-template annotation a restart sets: the revision the workload was restarted onto. */
    public static final String RESTARTED_FOR = "meshfed.io/restarted-for-revision";
    /** kubectl rollout restart's annotation: when (RFC 3339). */
    public static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";
    /** The workload kinds whose Pods a restart makes again (apps/v1). */
    public static final List<String> KINDS = List.of("Deployment", "StatefulSet", "DaemonSet");

    static final String STATUS_ANNOTATION = "sidecar.istio.io/status";
    private static final Pattern STATUS_REVISION = Pattern.compile("\"revision\"\\s*:\\s*\"([^\"]*)\"");

    private WorkloadMove() {
    }

    /**
     * One workload to restart.
     *
     * @param kind      Deployment, StatefulSet or DaemonSet
     * @param namespace its namespace
     * @param name      its name
     * @param pods      its Pods on {@code from}
     * @param from      the revision they run
     * @param to        the revision the restart moves them to
     */
    public record Restart(String kind, String namespace, String name, List<String> pods, String from, String to) {

        /** As the plan and status print it. */
        public String describe() {
            return kind + " " + namespace + "/" + name + " (" + pods.size() + " Pod" + (pods.size() == 1 ? "" : "s")
                    + " on revision " + from + ")";
        }

        /**
         * The JSON patch that restarts it, after a test of the resourceVersion it was read at: the annotation set on
         * its pod template (the template's annotations made when it has none).
         */
        public List<Map<String, Object>> patch(boolean templateHasAnnotations, String now) {
            if (!templateHasAnnotations) {
                return List.of(Tree.map("op", "add", "path", "/spec/template/metadata/annotations",
                        "value", Tree.map(RESTARTED_FOR, to, RESTARTED_AT, now)));
            }
            String at = "/spec/template/metadata/annotations/";
            return List.of(Tree.map("op", "add", "path", at + RESTARTED_FOR.replace("/", "~1"), "value", to),
                    Tree.map("op", "add", "path", at + RESTARTED_AT.replace("/", "~1"), "value", now));
        }
    }

    /**
     * The revision whose proxy a Pod runs: the one its injection status names, else its {@code istio.io/rev}
     * label; null for a Pod without an injected proxy.
     */
    public static String revisionOf(Map<String, Object> pod) {
        if (!(Tree.get(pod, "metadata", "annotations", STATUS_ANNOTATION) instanceof String status)) {
            return null;
        }
        Matcher m = STATUS_REVISION.matcher(status);
        if (m.find() && !m.group(1).isEmpty()) {
            return m.group(1);
        }
        return Tree.get(pod, "metadata", "labels", "istio.io/rev") instanceof String label ? label : "default";
    }

    /** The Pods (names) of {@code pods} whose proxy is of another revision than {@code revision}, with theirs. */
    public static Map<String, String> offRevision(List<Map<String, Object>> pods, String revision) {
        Map<String, String> off = new LinkedHashMap<>();
        for (Map<String, Object> pod : pods) {
            String has = revisionOf(pod);
            if (has != null && !has.equals(revision) && !terminating(pod)) {
                off.put(name(pod), has);
            }
        }
        return off;
    }

    /**
     * The workloads of one namespace to restart to move their Pods onto {@code to}.
     *
     * @param workloads the namespace's Deployments, StatefulSets and DaemonSets (each with its kind)
     * @param pods      the namespace's Pods
     * @param onlyFrom  the revision the Pods leave; null: any other than {@code to} (a Pod without a proxy stays)
     */
    public static List<Restart> plan(List<Map<String, Object>> workloads, List<Map<String, Object>> pods, String to,
                                     String onlyFrom) {
        List<Restart> restarts = new ArrayList<>();
        for (Map<String, Object> workload : workloads) {
            if (to.equals(Tree.get(workload, "spec", "template", "metadata", "annotations", RESTARTED_FOR)) && !rolledOut(workload)) {
                continue;
            }
            List<String> on = new ArrayList<>();
            String from = null;
            for (Map<String, Object> pod : podsOf(workload, pods)) {
                String has = revisionOf(pod);
                if (has != null && !has.equals(to) && (onlyFrom == null || onlyFrom.equals(has)) && !terminating(pod)) {
                    on.add(name(pod));
                    from = from == null || from.equals(has) ? has : from + ", " + has;
                }
            }
            if (!on.isEmpty()) {
                restarts.add(new Restart(String.valueOf(workload.get("kind")), String.valueOf(Tree.get(workload, "metadata", "namespace")),
                        name(workload), on, from, to));
            }
        }
        return restarts;
    }

    /**
     * Whether the workload's controller has made every Pod of its current template (as {@code kubectl rollout status}
     * judges it): its status is of the current generation and every replica is updated.
     */
    static boolean rolledOut(Map<String, Object> workload) {
        if (!(Tree.get(workload, "status", "observedGeneration") instanceof Number observed)
                || !(Tree.get(workload, "metadata", "generation") instanceof Number generation)
                || observed.longValue() < generation.longValue()) {
            return false;
        }
        return switch (String.valueOf(workload.get("kind"))) {
            case "StatefulSet" -> Tree.get(workload, "status", "updateRevision") != null
                    && Tree.get(workload, "status", "updateRevision").equals(Tree.get(workload, "status", "currentRevision"));
            case "DaemonSet" -> number(Tree.get(workload, "status", "updatedNumberScheduled"))
                    == number(Tree.get(workload, "status", "desiredNumberScheduled"));
            default -> {
                long replicas = Tree.get(workload, "spec", "replicas") == null ? 1 : number(Tree.get(workload, "spec", "replicas"));
                yield number(Tree.get(workload, "status", "updatedReplicas")) == replicas
                        && number(Tree.get(workload, "status", "replicas")) == replicas;
            }
        };
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }

    /** The Pods a workload's selector selects (its Pods: a namespace's workloads do not overlap). */
    public static List<Map<String, Object>> podsOf(Map<String, Object> workload, List<Map<String, Object>> pods) {
        Object selector = Tree.get(workload, "spec", "selector");
        if (!(selector instanceof Map<?, ?> s) || s.isEmpty()) {
            return List.of();
        }
        return pods.stream().filter(p -> LabelSelectors.matches(selector, labels(p))).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> labels(Map<String, Object> object) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (Tree.get(object, "metadata", "labels") instanceof Map<?, ?> l) {
            ((Map<String, Object>) l).forEach((k, v) -> labels.put(k, String.valueOf(v)));
        }
        return labels;
    }

    private static boolean terminating(Map<String, Object> pod) {
        return Tree.get(pod, "metadata", "deletionTimestamp") != null;
    }

    private static String name(Map<String, Object> object) {
        return String.valueOf(Tree.get(object, "metadata", "name"));
    }
}
