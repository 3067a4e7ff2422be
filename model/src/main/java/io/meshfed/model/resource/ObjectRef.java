package io.meshfed.model.resource;

import java.util.Comparator;

/**
 * The identity of one object on one cluster. {@code namespace} is null for cluster-scoped objects.
 */
public record ObjectRef(String cluster, String apiVersion, String kind, String namespace, String name)
        implements Comparable<ObjectRef> {

    private static final Comparator<ObjectRef> ORDER = Comparator.comparing(ObjectRef::cluster)
            .thenComparing(ObjectRef::kind)
            .thenComparing(r -> r.namespace() == null ? "" : r.namespace())
            .thenComparing(ObjectRef::name)
            .thenComparing(ObjectRef::apiVersion);

    public ObjectRef {
        if (cluster == null || apiVersion == null || kind == null || name == null) {
            throw new IllegalArgumentException("cluster, apiVersion, kind and name are required: "
                    + cluster + " " + apiVersion + " " + kind + " " + name);
        }
    }

    /** The API group; empty for the core group. */
    public String group() {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    public boolean namespaced() {
        return namespace != null;
    }

    /** {@code namespace/name}, or {@code name} for a cluster-scoped object. */
    public String qualifiedName() {
        return namespace == null ? name : namespace + "/" + name;
    }

    /** {@code Kind namespace/name}, as progress lines and reports name an object within its cluster. */
    public String describe() {
        return kind + " " + qualifiedName();
    }

    /** {@code cluster/Kind/namespace/name}, the form every message and printout uses. */
    public String id() {
        return cluster + "/" + kind + "/" + qualifiedName();
    }

    @Override
    public int compareTo(ObjectRef o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return id();
    }
}
