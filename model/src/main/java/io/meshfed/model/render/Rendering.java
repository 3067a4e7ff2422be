package io.meshfed.model.render;

import io.meshfed.model.inventory.Location;
import io.meshfed.model.ownership.OwnershipLabels;
import io.meshfed.model.resource.DesiredObject;
import io.meshfed.model.resource.ObjectRef;
import io.meshfed.model.resource.Ownership;
import io.meshfed.model.resource.Readiness;
import io.meshfed.model.resource.SecretData;
import io.meshfed.model.resource.Tree;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Collects the objects the renderers produce, adds meshfed's ownership labels, and refuses to render
 * one object twice.
 */
final class Rendering {

    private final String inventoryName;
    private final Map<ObjectRef, DesiredObject> objects = new LinkedHashMap<>();
    private final Map<ObjectRef, String> sources = new LinkedHashMap<>();

    Rendering(String inventoryName) {
        this.inventoryName = inventoryName;
    }

    /** Adds a managed object built from apiVersion, kind, metadata and the remaining top-level fields. */
    ObjectRef managed(String cluster, String apiVersion, String kind, String namespace, String name,
                      Map<String, Object> body, Readiness readiness, String source, String... tags) {
        return managed(cluster, apiVersion, kind, namespace, name, Map.of(), Map.of(), body, readiness, source, tags);
    }

    /** Adds a managed object with labels and annotations of its own besides meshfed's. */
    ObjectRef managed(String cluster, String apiVersion, String kind, String namespace, String name,
                      Map<String, String> labels, Map<String, String> annotations, Map<String, Object> body,
                      Readiness readiness, String source, String... tags) {
        ObjectRef ref = new ObjectRef(cluster, apiVersion, kind, namespace, name);
        Map<String, Object> metadata = Tree.map("name", name, "namespace", namespace, "labels", labels(labels));
        if (!annotations.isEmpty()) {
            metadata.put("annotations", new LinkedHashMap<>(new TreeMap<>(annotations)));
        }
        Map<String, Object> content = Tree.map("apiVersion", apiVersion, "kind", kind, "metadata", metadata);
        content.putAll(body);
        put(new DesiredObject(ref, content, readiness, Ownership.MANAGED, Set.of(tags)), source, Location.UNKNOWN);
        return ref;
    }

    /** Adds a managed Namespace unless one is rendered already. */
    ObjectRef namespace(String cluster, String name, String... tags) {
        return namespace(cluster, name, Map.of(), tags);
    }

    /** Adds a managed Namespace with these labels (a network, injection), or adds them and the tags to the one rendered already. */
    @SuppressWarnings("unchecked")
    ObjectRef namespace(String cluster, String name, Map<String, String> labels, String... tags) {
        ObjectRef ref = new ObjectRef(cluster, "v1", "Namespace", null, name);
        if (!objects.containsKey(ref)) {
            managed(cluster, "v1", "Namespace", null, name, Map.of(), Readiness.NAMESPACE_ACTIVE, "namespace", tags);
        }
        if (!labels.isEmpty()) {
            DesiredObject rendered = objects.get(ref);
            Map<String, Object> content = Tree.copy(rendered.content());
            Map<String, Object> metadata = (Map<String, Object>) content.get("metadata");
            Map<String, Object> merged = new TreeMap<>((Map<String, Object>) metadata.getOrDefault("labels", Map.of()));
            merged.putAll(labels);
            metadata.put("labels", new LinkedHashMap<>(merged));
            java.util.Set<String> allTags = new java.util.HashSet<>(rendered.tags());
            allTags.addAll(List.of(tags));
            objects.put(ref, new DesiredObject(ref, content, rendered.readiness(), rendered.ownership(), allTags));
        }
        return ref;
    }

    /** Adds an object that someone else creates and meshfed only reads, unless it is there already. */
    ObjectRef observed(String cluster, String apiVersion, String kind, String namespace, String name,
                       Readiness readiness, String... tags) {
        ObjectRef ref = new ObjectRef(cluster, apiVersion, kind, namespace, name);
        if (!objects.containsKey(ref)) {
            put(new DesiredObject(ref, Map.of(), readiness, Ownership.OBSERVED, Set.of(tags)), "observed", Location.UNKNOWN);
        }
        return ref;
    }

    /** Adds one of the user's own objects, labelled as meshfed's (a Secret's values as data: {@link SecretData}). */
    @SuppressWarnings("unchecked")
    void userObject(String cluster, Map<String, Object> object, Location location, String... tags) {
        Map<String, Object> content = Tree.copy(SecretData.byKey(object));
        Map<String, Object> metadata = (Map<String, Object>) content.computeIfAbsent("metadata", k -> new LinkedHashMap<>());
        Map<String, String> existing = (Map<String, String>) metadata.getOrDefault("labels", Map.of());
        metadata.put("labels", labels(existing));
        ObjectRef ref = refOf(cluster, content);
        Readiness readiness = "Namespace".equals(ref.kind()) ? Readiness.NAMESPACE_ACTIVE : Readiness.EXISTS;
        if ("namespace".equals(sources.get(ref))) {
            // the user's own Namespace (with its labels) takes the place of the one meshfed would render
            sources.remove(ref);
        }
        put(new DesiredObject(ref, content, readiness, Ownership.MANAGED, Set.of(tags)), "manifest " + location, location);
    }

    /** The identity of one of the user's objects on a cluster. */
    @SuppressWarnings("unchecked")
    static ObjectRef refOf(String cluster, Map<String, Object> object) {
        Map<String, Object> metadata = (Map<String, Object>) object.getOrDefault("metadata", Map.of());
        return new ObjectRef(cluster, (String) object.get("apiVersion"), (String) object.get("kind"),
                (String) metadata.get("namespace"), (String) metadata.get("name"));
    }

    private Map<String, Object> labels(Map<String, String> existing) {
        Map<String, Object> labels = new TreeMap<>(existing);
        labels.putAll(OwnershipLabels.of(inventoryName));
        return new LinkedHashMap<>(labels);
    }

    private void put(DesiredObject object, String source, Location location) {
        String previous = sources.putIfAbsent(object.ref(), source);
        if (previous != null) {
            throw new RenderException(location, object.ref().id() + " is rendered twice: by " + previous
                    + " and by " + source);
        }
        objects.put(object.ref(), object);
    }

    boolean contains(ObjectRef ref) {
        return objects.containsKey(ref);
    }

    List<DesiredObject> objects() {
        return new ArrayList<>(objects.values());
    }
}
