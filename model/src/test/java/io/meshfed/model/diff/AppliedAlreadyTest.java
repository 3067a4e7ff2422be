package io.meshfed.model.diff;

import io.meshfed.model.resource.Tree;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The no-dry-run decision on objects as kube-apiserver 1.31 stores them after a server-side apply by
 * {@code meshfed/apps}: managedFields entries copied from a real server's answers.
 */
@SuppressWarnings("unchecked")
class AppliedAlreadyTest {

    private static final String MANAGER = "meshfed/apps";

    /** What meshfed applies: a Service with one port, no protocol (the server defaults it). */
    private static Map<String, Object> config() {
        return Tree.map("apiVersion", "v1", "kind", "Service",
                "metadata", Tree.map("name", "web", "namespace", "apps", "labels", Tree.map("app.kubernetes.io/managed-by", "meshfed")),
                "spec", Tree.map("selector", Tree.map("app", "web"), "ports", List.of(Tree.map("name", "http", "port", 8080))));
    }

    /** The Service as the server stores it, with its managedFields. */
    private static Map<String, Object> live(Map<String, Object> fields, String manager) {
        return Tree.map("apiVersion", "v1", "kind", "Service",
                "metadata", Tree.map("name", "web", "namespace", "apps", "resourceVersion", "812",
                        "labels", Tree.map("app.kubernetes.io/managed-by", "meshfed"),
                        "managedFields", List.of(Tree.map("manager", manager, "operation", "Apply", "apiVersion", "v1",
                                "time", "2026-11-30T20:14:51Z", "fieldsType", "FieldsV1", "fieldsV1", fields))),
                "spec", Tree.map("clusterIP", "10.96.0.12", "clusterIPs", List.of("10.96.0.12"), "type", "ClusterIP",
                        "sessionAffinity", "None", "selector", Tree.map("app", "web"),
                        "ports", List.of(Tree.map("name", "http", "port", 8080, "protocol", "TCP", "targetPort", 8080))),
                "status", Tree.map("loadBalancer", Map.of()));
    }

    private static Map<String, Object> fields() {
        return Tree.map("f:metadata", Tree.map("f:labels", Tree.map("f:app.kubernetes.io/managed-by", Map.of())),
                "f:spec", Tree.map("f:ports", Tree.map("k:{\"port\":8080,\"protocol\":\"TCP\"}",
                                Tree.map(".", Map.of(), "f:name", Map.of(), "f:port", Map.of())),
                        "f:selector", Map.of()));   // spec.selector is an atomic map: recorded without its keys
    }

    @Test
    @DisplayName("meshfed's fields exactly and every value in place (defaults beside them): applied already")
    void appliedAlready() {
        assertThat(AppliedAlready.test(live(fields(), MANAGER), config(), MANAGER)).isTrue();
    }

    @Test
    @DisplayName("a field meshfed applied and no longer sends (the server would remove it): not applied")
    void droppedField() {
        Map<String, Object> fields = fields();
        ((Map<String, Object>) fields.get("f:spec")).put("f:publishNotReadyAddresses", Map.of());
        assertThat(AppliedAlready.test(live(fields, MANAGER), config(), MANAGER)).isFalse();
        Map<String, Object> withAppProtocol = fields();
        Map<String, Object> ports = (Map<String, Object>) Tree.get(withAppProtocol, "f:spec", "f:ports");
        ((Map<String, Object>) ports.get("k:{\"port\":8080,\"protocol\":\"TCP\"}")).put("f:appProtocol", Map.of());
        assertThat(AppliedAlready.test(live(withAppProtocol, MANAGER), config(), MANAGER)).as("inside a list item").isFalse();
    }

    @Test
    @DisplayName("a changed value, a value the server normalizes, another manager, a second port: not applied (the dry run decides)")
    void everyDoubtAsksTheServer() {
        Map<String, Object> changed = config();
        ((Map<String, Object>) changed.get("spec")).put("selector", Tree.map("app", "web-2"));
        assertThat(AppliedAlready.test(live(fields(), MANAGER), changed, MANAGER)).isFalse();

        Map<String, Object> quantity = Tree.map("apiVersion", "v1", "kind", "ConfigMap", "metadata", Tree.map("name", "q"),
                "data", Tree.map("memory", "1024Mi"));
        Map<String, Object> stored = Tree.map("apiVersion", "v1", "kind", "ConfigMap", "metadata", Tree.map("name", "q",
                "managedFields", List.of(Tree.map("manager", MANAGER, "operation", "Apply",
                        "fieldsV1", Tree.map("f:data", Tree.map("f:memory", Map.of()))))), "data", Tree.map("memory", "1Gi"));
        assertThat(AppliedAlready.test(stored, quantity, MANAGER)).isFalse();

        assertThat(AppliedAlready.test(live(fields(), "meshfed/other"), config(), MANAGER)).isFalse();

        Map<String, Object> twoPorts = config();
        ((Map<String, Object>) twoPorts.get("spec")).put("ports", List.of(Tree.map("name", "http", "port", 8080),
                Tree.map("name", "https", "port", 8443)));
        assertThat(AppliedAlready.test(live(fields(), MANAGER), twoPorts, MANAGER)).isFalse();
    }

    @Test
    @DisplayName("an atomic map (a Service's selector) is replaced whole by an apply: the same value is applied, "
            + "one with a key more (or less) is not")
    void atomicMap() {
        assertThat(AppliedAlready.test(live(fields(), MANAGER), config(), MANAGER)).isTrue();
        Map<String, Object> wider = live(fields(), MANAGER);
        ((Map<String, Object>) Tree.get(wider, "spec", "selector")).put("tier", "front");
        assertThat(AppliedAlready.test(wider, config(), MANAGER)).as("the live selector has a key the apply would remove")
                .isFalse();
        Map<String, Object> narrower = config();
        ((Map<String, Object>) Tree.get(narrower, "spec", "selector")).put("tier", "front");
        assertThat(AppliedAlready.test(live(fields(), MANAGER), narrower, MANAGER)).isFalse();
    }

    @Test
    @DisplayName("an atomic list of maps: an item with a field the configuration no longer has is not applied")
    void atomicList() {
        Map<String, Object> config = Tree.map("apiVersion", "v1", "kind", "Pod", "metadata", Tree.map("name", "p"),
                "spec", Tree.map("tolerations", List.of(Tree.map("key", "a"))));
        Map<String, Object> live = Tree.map("apiVersion", "v1", "kind", "Pod", "metadata", Tree.map("name", "p",
                "managedFields", List.of(Tree.map("manager", MANAGER, "operation", "Apply",
                        "fieldsV1", Tree.map("f:spec", Tree.map("f:tolerations", Map.of()))))),
                "spec", Tree.map("tolerations", List.of(Tree.map("key", "a", "value", "b"))));
        assertThat(AppliedAlready.test(live, config, MANAGER)).isFalse();
        ((Map<String, Object>) ((List<Object>) Tree.get(live, "spec", "tolerations")).get(0)).remove("value");
        assertThat(AppliedAlready.test(live, config, MANAGER)).isTrue();
    }
}
