package io.meshfed.model.graph;

import io.meshfed.model.resource.ObjectRef;

/**
 * {@code dependent} may start only when {@code dependency} is ready. {@code reason} is the ordering
 * rule's name, or {@code reference} for a value read from the dependency's live state.
 */
public record Edge(ObjectRef dependent, ObjectRef dependency, String reason) {

    public static final String REFERENCE = "reference";

    public boolean crossCluster() {
        return !dependent.cluster().equals(dependency.cluster());
    }
}
