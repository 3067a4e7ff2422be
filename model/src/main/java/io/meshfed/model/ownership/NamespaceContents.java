package io.meshfed.model.ownership;

import io.meshfed.model.resource.Tree;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Whether a namespace meshfed created still holds someone else's data, judged from the metadata of
 * everything in it. Not someone's data: what this inventory created (its record), what Kubernetes and
 * OpenShift put in every namespace (the {@code default}, {@code builder} and {@code deployer}
 * ServiceAccounts and their token and pull secrets, {@code kube-root-ca.crt},
 * {@code openshift-service-ca.crt}, the image-puller and deployer RoleBindings), what the mesh adds
 * to its namespaces ({@code istio-ca-root-cert}, istiod's leader-election ConfigMaps, the mesh
 * operator's objects labelled {@code maistra.io/member-of} or {@code maistra.io/owner}), OLM's records of an operator's installation (its
 * ClusterServiceVersion, InstallPlan and OperatorCondition: a Subscription is what someone asked
 * for, and a team's Subscription counts), OLM's copied ClusterServiceVersions, Events, Endpoints and
 * EndpointSlices, and whatever has an owner (it follows its owner: the garbage collector deletes it
 * with it). Everything else is someone's, and the namespace is kept.
 */
public final class NamespaceContents {

    /** One object found in the namespace: group, kind and metadata (nothing else is read). */
    public record Item(String group, String kind, Map<String, Object> metadata) {
        String name() {
            return String.valueOf(metadata.get("name"));
        }
    }

    /**
     * What in the namespace is someone else's.
     *
     * @param counts   per kind, how many objects
     * @param examples a few of their names, as {@code Kind/name}
     * @param unread   the kinds that could not be listed (no permission): what is there is unknown
     */
    public record Foreign(Map<String, Integer> counts, List<String> examples, List<String> unread) {

        /** Nothing of anyone else's, and everything could be read: the namespace may go. */
        public boolean none() {
            return counts.isEmpty() && unread.isEmpty();
        }

        /** In words: {@code ConfigMap 1, Deployment 1 (ConfigMap/team-settings, Deployment/web)}. */
        public String describe() {
            List<String> parts = new ArrayList<>();
            counts.forEach((kind, n) -> parts.add(kind + " " + n));
            String text = String.join(", ", parts) + (examples.isEmpty() ? "" : " (" + String.join(", ", examples)
                    + (counts.values().stream().mapToInt(Integer::intValue).sum() > examples.size() ? ", ..." : "") + ")");
            if (!unread.isEmpty()) {
                text = (parts.isEmpty() ? "" : text + "; ") + "could not list " + String.join(", ", unread)
                        + " (no permission): kept, since what is there is unknown";
            }
            return text;
        }
    }

    /** How many names the summary shows. */
    private static final int EXAMPLES = 5;

    private static final Set<String> PLATFORM_SERVICE_ACCOUNTS = Set.of("default", "builder", "deployer");
    private static final Set<String> PLATFORM_CONFIG_MAPS = Set.of("kube-root-ca.crt", "openshift-service-ca.crt",
            "istio-ca-root-cert",
            // istiod's leader elections in its namespace, left when the control plane goes
            "istio-leader", "istio-namespace-controller-election", "istio-validation-controller-election",
            "istio-gateway-status-leader", "istio-gateway-deployment-default", "istio-gateway-leader");
    private static final Set<String> PLATFORM_ROLE_BINDINGS = Set.of("system:image-pullers", "system:image-builders",
            "system:deployers");
    /** Kinds whose objects are never anyone's data: what the cluster records or derives by itself (group/kind). */
    private static final Set<String> DERIVED_KINDS = Set.of("/Event", "events.k8s.io/Event", "/Endpoints",
            "discovery.k8s.io/EndpointSlice", "operators.coreos.com/ClusterServiceVersion", "operators.coreos.com/InstallPlan",
            "operators.coreos.com/OperatorCondition");
    /** The annotations that tie a token or pull secret to its ServiceAccount (Kubernetes', OpenShift 4.16's). */
    private static final List<String> SECRET_OF_ACCOUNT = List.of("kubernetes.io/service-account.name",
            "openshift.io/internal-registry-auth-token.service-account");

    private NamespaceContents() {
    }

    /**
     * @param items  every object listed in the namespace
     * @param ours   whether a UID is one of the inventory's (its record)
     * @param unread the kinds that could not be listed
     */
    public static Foreign foreign(List<Item> items, Predicate<String> ours, List<String> unread) {
        Map<String, Integer> counts = new TreeMap<>();
        List<String> examples = new ArrayList<>();
        for (Item item : items) {
            if (ours.test((String) item.metadata().get("uid")) || notData(item)) {
                continue;
            }
            counts.merge(item.kind(), 1, Integer::sum);
            if (examples.size() < EXAMPLES) {
                examples.add(item.kind() + "/" + item.name());
            }
        }
        return new Foreign(counts, examples, List.copyOf(unread));
    }

    /** What the platform, the mesh or the cluster itself put there. */
    static boolean notData(Item item) {
        Map<String, Object> metadata = item.metadata();
        if (DERIVED_KINDS.contains(item.group() + "/" + item.kind()) || metadata.get("ownerReferences") instanceof List<?> owners && !owners.isEmpty()) {
            return true;
        }
        Object labels = metadata.get("labels");
        if (labels instanceof Map<?, ?> l && (l.containsKey("maistra.io/member-of") || l.containsKey("maistra.io/owner")
                || l.containsKey("olm.copiedFrom"))) {
            return true;
        }
        String name = item.name();
        return switch (item.group() + "/" + item.kind()) {
            case "/ServiceAccount" -> PLATFORM_SERVICE_ACCOUNTS.contains(name);
            case "/ConfigMap" -> PLATFORM_CONFIG_MAPS.contains(name);
            case "/Secret" -> SECRET_OF_ACCOUNT.stream()
                    .anyMatch(a -> PLATFORM_SERVICE_ACCOUNTS.contains(String.valueOf(Tree.get(metadata, "annotations", a))));
            case "rbac.authorization.k8s.io/RoleBinding" -> PLATFORM_ROLE_BINDINGS.contains(name);
            default -> false;
        };
    }
}
