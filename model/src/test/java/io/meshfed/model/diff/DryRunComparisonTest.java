package io.meshfed.model.diff;

import io.meshfed.model.resource.Tree;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The comparison of a live object with the answer of a dry-run apply, on objects shaped as a real API server answers them. */
class DryRunComparisonTest {

    /** A Service as kube-apiserver 1.31 stores it: defaults, allocated IPs, managedFields. */
    private static Map<String, Object> service(String rv, String manager, int port) {
        return Tree.map("apiVersion", "v1", "kind", "Service",
                "metadata", Tree.map("name", "web", "namespace", "apps", "uid", "9d1c-42", "resourceVersion", rv,
                        "creationTimestamp", "2026-11-30T20:00:00Z",
                        "labels", Tree.map("app", "web", "app.kubernetes.io/managed-by", "meshfed"),
                        "managedFields", List.of(Tree.map("manager", manager, "operation", "Apply", "apiVersion", "v1",
                                "time", "2026-11-30T20:00:0" + rv + "Z", "fieldsType", "FieldsV1",
                                "fieldsV1", Tree.map("f:spec", Tree.map("f:ports", Map.of()))))),
                "spec", Tree.map("type", "ClusterIP", "clusterIP", "10.0.0.7", "clusterIPs", List.of("10.0.0.7"),
                        "internalTrafficPolicy", "Cluster", "ipFamilies", List.of("IPv4"), "ipFamilyPolicy", "SingleStack",
                        "sessionAffinity", "None", "selector", Tree.map("app", "web"),
                        "ports", List.of(Tree.map("name", "http", "port", port, "protocol", "TCP", "targetPort", port))),
                "status", Tree.map("loadBalancer", Map.of()));
    }

    @Test
    @DisplayName("what every apply changes is no difference: managedFields (and their times), resourceVersion, generation, status")
    void bookkeepingIsNoDifference() {
        Map<String, Object> live = service("5", "meshfed/apps", 8080);
        Map<String, Object> dryRun = service("6", "meshfed/apps", 8080);
        ((Map<String, Object>) dryRun.get("metadata")).put("generation", 2);
        dryRun.put("status", Tree.map("loadBalancer", Tree.map("ingress", List.of(Tree.map("ip", "10.1.1.1")))));
        assertThat(DryRunComparison.differences(live, dryRun)).isEmpty();
    }

    @Test
    @DisplayName("a changed value, an added and a removed field are differences, named by path")
    void differencesByPath() {
        Map<String, Object> live = service("5", "meshfed/apps", 8080);
        Map<String, Object> dryRun = service("5", "meshfed/apps", 9090);
        ((Map<String, Object>) Tree.get(dryRun, "metadata", "labels")).remove("app");
        ((Map<String, Object>) dryRun.get("spec")).put("publishNotReadyAddresses", true);
        assertThat(DryRunComparison.differences(live, dryRun)).containsExactly("metadata.labels.app (removed)",
                "spec.ports[0].port", "spec.ports[0].targetPort", "spec.publishNotReadyAddresses (added)");
    }

    @Test
    @DisplayName("numbers compare by value (a server's 1 and a client's 1.0), lists by length and item")
    void numbersAndLists() {
        Map<String, Object> live = Tree.map("spec", Tree.map("replicas", 1, "args", List.of("a", "b")));
        assertThat(DryRunComparison.differences(live, Tree.map("spec", Tree.map("replicas", 1.0, "args", List.of("a", "b")))))
                .isEmpty();
        assertThat(DryRunComparison.differences(live, Tree.map("spec", Tree.map("replicas", 1, "args", List.of("a")))))
                .containsExactly("spec.args");
    }
}
