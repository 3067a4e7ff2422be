package io.meshfed.model.resource;

import java.util.Map;
import java.util.Set;

/**
 * One node's worth of desired state: the object, what makes it ready, and the tags ordering rules
 * select it by.
 *
 * @param ref       identity
 * @param content   the full object (apiVersion, kind, metadata, spec...), possibly holding {@link LiveValue}s;
 *                  empty for OBSERVED objects
 * @param readiness what makes it ready
 * @param ownership managed (written) or observed (read only)
 * @param tags      {@code key:value} tags for ordering rules, beyond kind/group/namespace/name
 */
public record DesiredObject(ObjectRef ref, Map<String, Object> content, Readiness readiness, Ownership ownership,
                           Set<String> tags) {

    public DesiredObject {
        tags = Set.copyOf(tags);
        content = Tree.freeze(content);
    }

    public boolean managed() {
        return ownership == Ownership.MANAGED;
    }
}
