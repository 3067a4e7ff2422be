package io.meshfed.model.graph;

/** The graph cannot be built: a cycle (every cycle is named) or a reference to an unknown object. */
public class GraphException extends RuntimeException {

    public GraphException(String message) {
        super(message);
    }
}
