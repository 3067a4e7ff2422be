package io.meshfed.model.doctor;

import io.meshfed.model.resource.Tree;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the doctor read from one cluster, at one moment: its ServiceMeshControlPlanes and
 * ServiceMeshPeers, and the Services and ConfigMaps of the control planes' namespaces (where
 * federation looks for gateways and certificates, FEDERATION.md "Name matching and placement").
 */
public record ClusterSnapshot(String cluster, List<Map<String, Object>> controlPlanes, List<Map<String, Object>> peers,
                              List<Map<String, Object>> services, List<Map<String, Object>> configMaps) {

    public ClusterSnapshot {
        controlPlanes = List.copyOf(controlPlanes);
        peers = List.copyOf(peers);
        services = List.copyOf(services);
        configMaps = List.copyOf(configMaps);
    }

    /** The mesh: the first control plane (a cluster federates one). */
    public Optional<Map<String, Object>> controlPlane() {
        return controlPlanes.stream().findFirst();
    }

    public Optional<Map<String, Object>> service(String namespace, String name) {
        return find(services, namespace, name);
    }

    public Optional<Map<String, Object>> configMap(String namespace, String name) {
        return find(configMaps, namespace, name);
    }

    static String namespace(Map<String, Object> object) {
        return (String) Tree.get(object, "metadata", "namespace");
    }

    static String name(Map<String, Object> object) {
        return (String) Tree.get(object, "metadata", "name");
    }

    private static Optional<Map<String, Object>> find(List<Map<String, Object>> objects, String namespace, String name) {
        return objects.stream().filter(o -> Objects.equals(namespace(o), namespace) && Objects.equals(name(o), name)).findFirst();
    }
}
