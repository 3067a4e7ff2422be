package io.meshfed.provisioner.crd;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One CustomResourceDefinition: its names, scope and, per served version, the openAPIV3Schema and
 * whether status is a subresource.
 *
 * @param definition the whole CRD object, as the API server takes it
 */
public record Crd(String group, String kind, String plural, boolean namespaced, Map<String, Version> versions,
                  Map<String, Object> definition) {

    /** One served version. */
    public record Version(String name, boolean storage, boolean statusSubresource, Map<String, Object> schema) {
    }

    @SuppressWarnings("unchecked")
    static Crd of(Map<String, Object> definition) {
        Map<String, Object> spec = (Map<String, Object>) definition.get("spec");
        Map<String, Object> names = (Map<String, Object>) spec.get("names");
        Map<String, Version> versions = new LinkedHashMap<>();
        for (Map<String, Object> v : (List<Map<String, Object>>) spec.get("versions")) {
            if (!Boolean.TRUE.equals(v.get("served"))) {
                continue;
            }
            Map<String, Object> subresources = (Map<String, Object>) v.getOrDefault("subresources", Map.of());
            Map<String, Object> schema = (Map<String, Object>) ((Map<String, Object>) v.getOrDefault("schema", Map.of()))
                    .getOrDefault("openAPIV3Schema", Map.of());
            versions.put((String) v.get("name"), new Version((String) v.get("name"), Boolean.TRUE.equals(v.get("storage")),
                    subresources.containsKey("status"), schema));
        }
        return new Crd((String) spec.get("group"), (String) names.get("kind"), (String) names.get("plural"),
                "Namespaced".equals(spec.get("scope")), versions, definition);
    }

    /** The CRD's name, {@code <plural>.<group>}. */
    public String name() {
        return plural + "." + group;
    }
}
