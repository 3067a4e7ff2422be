package io.meshfed.model.resource;

import java.util.List;
import java.util.function.Function;

/**
 * A leaf of a rendered object whose value exists only in clusters' live state: one field of another
 * object ({@link LiveValue}), or a text made of such fields ({@link LiveText}: a kubeconfig holding a
 * peer's API server, CA and an {@link IssuedToken}). The graph turns every value it reads into an edge; the executor
 * resolves the leaf once those sources are ready; plans show it as known after apply.
 */
public sealed interface Live permits LiveValue, LiveText {

    /** The fields this leaf reads. */
    List<LiveValue> values();

    /**
     * The leaf's value, given each field's value by {@code lookup} (null where it is not there yet) and each
     * token by {@code issue} (null where none is known: a plan that would issue one).
     *
     * @return null when a field or token it needs has no value
     */
    Object resolve(Function<LiveValue, Object> lookup, Function<IssuedToken, String> issue);
}
