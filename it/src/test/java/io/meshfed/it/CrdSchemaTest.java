package io.meshfed.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.meshfed.inventory.InventoryLoader;
import io.meshfed.model.render.FederationRenderer;
import io.meshfed.model.resource.DesiredObject;
import io.meshfed.model.resource.LiveValue;
import io.meshfed.model.resource.Tree;
import io.meshfed.provisioner.crd.Crd;
import io.meshfed.provisioner.crd.CrdCatalog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every rendered custom resource of every example inventory validates against its CRD's
 * openAPIV3Schema (networknt json-schema-validator, draft 4 as OpenAPI v3 schemas are). The schemas are
 * made strict the way a structural schema prunes: an object with declared properties and no
 * {@code x-kubernetes-preserve-unknown-fields} accepts no other field, so a misspelt field fails here
 * instead of being dropped silently by the API server.
 */
class CrdSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static CrdCatalog catalog;
    private static final Map<String, JsonSchema> schemas = new HashMap<>();

    @BeforeAll
    static void loadCatalog() {
        catalog = CrdCatalog.load();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"blue-green", "triangle", "hub-spoke", "ossm3-multi-primary"})
    @DisplayName("every rendered custom resource validates against its CRD schema")
    void examplesValidate(String example) {
        Set<String> validatedKinds = new TreeSet<>();
        List<String> failures = new ArrayList<>();
        for (DesiredObject o : FederationRenderer.render(InventoryLoader.load(Repo.example(example)))) {
            if (!o.managed()) {
                continue;
            }
            var crd = catalog.find(o.ref().apiVersion(), o.ref().kind());
            if (crd.isEmpty()) {
                assertThat(o.ref().group()).as("%s: custom resources need a CRD in the catalog", o.ref())
                        .isIn("", "apps", "rbac.authorization.k8s.io");
                continue;
            }
            Set<ValidationMessage> errors = validate(crd.get(), o.ref().apiVersion(), o.content());
            if (!errors.isEmpty()) {
                failures.add(o.ref().id() + ": " + errors);
            }
            validatedKinds.add(o.ref().kind());
        }
        assertThat(failures).isEmpty();
        if (example.startsWith("ossm3")) {
            assertThat(validatedKinds).containsExactlyInAnyOrder("Subscription", "OperatorGroup", "MetalLB", "IPAddressPool",
                    "L2Advertisement", "IstioCNI", "Istio", "Gateway");
            return;
        }
        assertThat(validatedKinds).contains("Subscription", "OperatorGroup", "ServiceMeshControlPlane",
                "ServiceMeshPeer", "ServiceMeshMemberRoll", "ExportedServiceSet", "ImportedServiceSet");
        if (!example.equals("hub-spoke")) {
            assertThat(validatedKinds).contains("VirtualService");
        }
        if (example.equals("blue-green")) {
            assertThat(validatedKinds).contains("MetalLB", "IPAddressPool", "L2Advertisement", "Gateway");
        }
    }

    @Test
    @DisplayName("OSSM 3's Istio and Gateway API CRDs are the ones scripts/control-plane/crds.sum pins, taken from their Go modules by build.sh")
    void fetchedCrdsArePinned() throws java.io.IOException {
        java.nio.file.Path fetched = java.nio.file.Path.of(io.meshfed.provisioner.simulate.ControlPlane.directory(), "crds", "ossm3");
        assertThat(java.nio.file.Files.readString(fetched.resolve("SOURCE")))
                .isEqualTo(java.nio.file.Files.readString(Repo.root().resolve("scripts/control-plane/crds.sum")));
        assertThat(catalog.ossm3()).extracting(c -> c.group() + "/" + c.kind()).containsExactlyInAnyOrder(
                "sailoperator.io/Istio", "sailoperator.io/IstioCNI", "sailoperator.io/IstioRevision",
                "sailoperator.io/IstioRevisionTag", "networking.istio.io/Gateway", "networking.istio.io/ServiceEntry",
                "networking.istio.io/WorkloadEntry", "networking.istio.io/DestinationRule", "networking.istio.io/VirtualService",
                "gateway.networking.k8s.io/GatewayClass", "gateway.networking.k8s.io/Gateway");
        assertThat(catalog.find("networking.istio.io/v1", "Gateway").orElseThrow().versions()).containsKeys("v1", "v1beta1");
        assertThat(catalog.find("networking.istio.io/v1alpha3", "Gateway").orElseThrow().versions()).as("OSSM 2's, Istio 1.14")
                .doesNotContainKey("v1");
    }

    @Test
    @DisplayName("the strict schemas catch a misspelt field, a wrong type and a missing required field")
    void validatorIsStrict() {
        Crd peer = catalog.find("federation.maistra.io/v1", "ServiceMeshPeer").orElseThrow();
        Map<String, Object> object = Tree.map("apiVersion", "federation.maistra.io/v1", "kind", "ServiceMeshPeer",
                "metadata", Tree.map("name", "green-mesh", "namespace", "blue-mesh-system"),
                "spec", Tree.map(
                        "remote", Tree.map("adresses", List.of("10.0.0.1"), "discoveryPort", "8188"),
                        "gateways", Tree.map("ingress", Tree.map("name", "ingress-green-mesh"),
                                "egress", Tree.map("name", "egress-green-mesh")),
                        "security", Tree.map("trustDomain", "green-mesh.local",
                                "certificateChain", Tree.map("kind", "ConfigMap"))));

        String errors = validate(peer, "federation.maistra.io/v1", object).stream()
                .map(ValidationMessage::getMessage).collect(Collectors.joining("\n"));

        assertThat(errors).contains("adresses").contains("discoveryPort").contains("name");
    }

    @Test
    @DisplayName("the CRDs shipped in provisioner are byte-for-byte the shared ones")
    void catalogMatchesShared() throws IOException {
        Path shared = Repo.shared();
        if (shared == null) {
            return;
        }
        for (String file : CrdCatalog.FILES) {
            assertThat(Files.readString(Repo.root().resolve("provisioner/src/main/resources/crds").resolve(file)))
                    .as(file).isEqualTo(Files.readString(shared.resolve("crds").resolve(file)));
        }
        try (var listing = Files.list(shared.resolve("crds"))) {
            assertThat(listing.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".yaml")).sorted().toList())
                    .containsExactlyElementsOf(CrdCatalog.FILES.stream().sorted().toList());
        }
    }

    private static Set<ValidationMessage> validate(Crd crd, String apiVersion, Map<String, Object> object) {
        String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
        assertThat(crd.versions()).as("%s serves %s", crd.name(), version).containsKey(version);
        JsonSchema schema = schemas.computeIfAbsent(crd.name() + "/" + version, k -> JsonSchemaFactory
                .getInstance(SpecVersion.VersionFlag.V4)
                .getSchema(JSON.valueToTree(strict(withObjectMeta(crd.versions().get(version).schema())))));
        JsonNode instance = JSON.valueToTree(Tree.mapLeaves(object, v -> v instanceof io.meshfed.model.resource.Live ? "known-after-apply" : v));
        return schema.validate(instance);
    }

    /** Every Kubernetes object has apiVersion, kind and metadata, whether the CRD declares them or not. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> withObjectMeta(Map<String, Object> schema) {
        Map<String, Object> copy = Tree.copy(schema);
        Map<String, Object> properties = (Map<String, Object>) copy.computeIfAbsent("properties", k -> new LinkedHashMap<>());
        properties.putIfAbsent("apiVersion", Map.of("type", "string"));
        properties.putIfAbsent("kind", Map.of("type", "string"));
        properties.putIfAbsent("metadata", Map.of("type", "object"));
        return copy;
    }

    /** A copy of the schema in which objects with declared properties accept no others. */
    @SuppressWarnings("unchecked")
    static Object strict(Object schema) {
        if (schema instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put((String) k, strict(v)));
            if (copy.containsKey("properties") && !copy.containsKey("additionalProperties")
                    && !Boolean.TRUE.equals(copy.get("x-kubernetes-preserve-unknown-fields"))) {
                copy.put("additionalProperties", false);
            }
            return copy;
        }
        if (schema instanceof List<?> list) {
            return list.stream().map(CrdSchemaTest::strict).toList();
        }
        return schema;
    }
}
