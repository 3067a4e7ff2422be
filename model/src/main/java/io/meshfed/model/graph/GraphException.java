package io.meshfed.model.graph;

import io.meshfed.model.inventory.Location;
import io.meshfed.model.resource.ObjectRef;

import java.util.List;
import java.util.Map;

/** The graph cannot be built: a cycle (every cycle is named) or a reference to an unknown object. */
public class GraphException extends RuntimeException {

    /** The objects the message names (those on a cycle), so that a caller can say where each was written. */
    private final transient List<ObjectRef> involved;

    public GraphException(String message) {
        this(message, List.of());
    }

    public GraphException(String message, List<ObjectRef> involved) {
        super(message);
        this.involved = List.copyOf(involved);
    }

    public List<ObjectRef> involved() {
        return involved;
    }

    /** The same error, each involved object written in a file named with its place. */
    public GraphException locatedBy(Map<ObjectRef, Location> written) {
        StringBuilder message = new StringBuilder(getMessage());
        for (ObjectRef ref : involved) {
            Location at = written.get(ref);
            if (at != null) {
                message.append("\n  ").append(ref.id()).append(" is written at ").append(at);
            }
        }
        return new GraphException(message.toString(), involved);
    }
}
