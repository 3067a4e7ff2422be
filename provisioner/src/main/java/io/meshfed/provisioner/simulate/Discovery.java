package io.meshfed.provisioner.simulate;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The API discovery documents of a simulated cluster: core v1 and the built-in groups a cluster
 * always has, plus one group per installed CRD. Immutable; rebuilt when CRDs change.
 */
final class Discovery {

    private static final List<String> VERBS = List.of("create", "delete", "deletecollection", "get", "list", "patch",
            "update", "watch");

    /** group/version → resources: {plural, kind, namespaced, status subresource}. */
    private record Resource(String plural, String kind, boolean namespaced, boolean status) {
    }

    private static final Map<String, List<Resource>> BUILT_IN = builtIn();

    private final Map<String, List<Resource>> groupVersions;

    private Discovery(Map<String, List<Resource>> groupVersions) {
        this.groupVersions = groupVersions;
    }

    private static Map<String, List<Resource>> builtIn() {
        Map<String, List<Resource>> m = new LinkedHashMap<>();
        m.put("v1", List.of(new Resource("namespaces", "Namespace", false, true),
                new Resource("configmaps", "ConfigMap", true, false),
                new Resource("secrets", "Secret", true, false),
                new Resource("services", "Service", true, true),
                new Resource("serviceaccounts", "ServiceAccount", true, false),
                new Resource("pods", "Pod", true, true),
                new Resource("endpoints", "Endpoints", true, false),
                new Resource("events", "Event", true, false),
                new Resource("nodes", "Node", false, true)));
        m.put("apps/v1", List.of(new Resource("deployments", "Deployment", true, true),
                new Resource("replicasets", "ReplicaSet", true, true),
                new Resource("statefulsets", "StatefulSet", true, true),
                new Resource("daemonsets", "DaemonSet", true, true)));
        m.put("apiextensions.k8s.io/v1", List.of(
                new Resource("customresourcedefinitions", "CustomResourceDefinition", false, true)));
        m.put("rbac.authorization.k8s.io/v1", List.of(new Resource("roles", "Role", true, false),
                new Resource("rolebindings", "RoleBinding", true, false),
                new Resource("clusterroles", "ClusterRole", false, false),
                new Resource("clusterrolebindings", "ClusterRoleBinding", false, false)));
        m.put("batch/v1", List.of(new Resource("jobs", "Job", true, true), new Resource("cronjobs", "CronJob", true, true)));
        m.put("discovery.k8s.io/v1", List.of(new Resource("endpointslices", "EndpointSlice", true, false)));
        m.put("coordination.k8s.io/v1", List.of(new Resource("leases", "Lease", true, false)));
        return m;
    }

    @SuppressWarnings("unchecked")
    static Discovery of(List<GenericKubernetesResource> crds) {
        Map<String, List<Resource>> all = new LinkedHashMap<>(BUILT_IN);
        Map<String, List<Resource>> custom = new TreeMap<>();
        for (GenericKubernetesResource crd : crds) {
            Map<String, Object> spec = (Map<String, Object>) crd.getAdditionalProperties().get("spec");
            if (spec == null) {
                continue;
            }
            Map<String, Object> names = (Map<String, Object>) spec.get("names");
            String group = (String) spec.get("group");
            boolean namespaced = "Namespaced".equals(spec.get("scope"));
            for (Map<String, Object> v : (List<Map<String, Object>>) spec.getOrDefault("versions", List.of())) {
                if (!Boolean.TRUE.equals(v.get("served"))) {
                    continue;
                }
                boolean status = v.get("subresources") instanceof Map<?, ?> sub && sub.containsKey("status");
                custom.computeIfAbsent(group + "/" + v.get("name"), k -> new ArrayList<>())
                        .add(new Resource((String) names.get("plural"), (String) names.get("kind"), namespaced, status));
            }
        }
        all.putAll(custom);
        return new Discovery(all);
    }

    /** Whether a request below {@code /apis/} is for a resource this cluster serves. */
    boolean serves(String path) {
        String[] s = path.substring("/apis/".length()).split("/");
        if (s.length < 3) {
            return true; // discovery of a group or group/version: answered by document() or 404 there
        }
        List<Resource> resources = groupVersions.get(s[0] + "/" + s[1]);
        if (resources == null) {
            return false;
        }
        String plural = s[2].equals("namespaces") && s.length >= 5 ? s[4] : s[2];
        return resources.stream().anyMatch(r -> r.plural().equals(plural));
    }

    /** The discovery document at {@code path}, or null when the path is not a discovery path. */
    String document(String path) {
        if (path.equals("/api")) {
            return Serialization.asJson(Map.of("kind", "APIVersions", "versions", List.of("v1"),
                    "serverAddressByClientCIDRs", List.of(Map.of("clientCIDR", "0.0.0.0/0", "serverAddress", "127.0.0.1"))));
        }
        if (path.equals("/api/v1")) {
            return resourceList("v1");
        }
        if (path.equals("/apis")) {
            List<Object> groups = new ArrayList<>();
            groupsByName().forEach((name, versions) -> groups.add(group(name, versions)));
            return Serialization.asJson(Map.of("kind", "APIGroupList", "apiVersion", "v1", "groups", groups));
        }
        if (path.startsWith("/apis/")) {
            String[] s = path.substring("/apis/".length()).split("/");
            if (s.length == 1 && groupsByName().containsKey(s[0])) {
                return Serialization.asJson(group(s[0], groupsByName().get(s[0])));
            }
            if (s.length == 2 && groupVersions.containsKey(s[0] + "/" + s[1])) {
                return resourceList(s[0] + "/" + s[1]);
            }
        }
        return null;
    }

    private Map<String, List<String>> groupsByName() {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (String gv : groupVersions.keySet()) {
            if (gv.contains("/")) {
                groups.computeIfAbsent(gv.substring(0, gv.indexOf('/')), k -> new ArrayList<>())
                        .add(gv.substring(gv.indexOf('/') + 1));
            }
        }
        return groups;
    }

    private static Map<String, Object> group(String name, List<String> versions) {
        List<Object> vs = versions.stream().map(v -> (Object) Map.of("groupVersion", name + "/" + v, "version", v)).toList();
        return Map.of("kind", "APIGroup", "apiVersion", "v1", "name", name, "versions", vs, "preferredVersion", vs.get(0));
    }

    private String resourceList(String groupVersion) {
        List<Object> resources = new ArrayList<>();
        for (Resource r : groupVersions.get(groupVersion)) {
            resources.add(Map.of("name", r.plural(), "singularName", r.kind().toLowerCase(), "namespaced", r.namespaced(),
                    "kind", r.kind(), "verbs", VERBS));
            if (r.status()) {
                resources.add(Map.of("name", r.plural() + "/status", "singularName", "", "namespaced", r.namespaced(),
                        "kind", r.kind(), "verbs", List.of("get", "patch", "update")));
            }
        }
        return Serialization.asJson(Map.of("kind", "APIResourceList", "apiVersion", "v1", "groupVersion", groupVersion,
                "resources", resources));
    }

}
