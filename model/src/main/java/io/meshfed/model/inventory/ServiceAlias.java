package io.meshfed.model.inventory;

/** A namespace/name pair; {@code *} or null means "keep the original" (Maistra's wildcard). */
public record ServiceAlias(String namespace, String name) {
}
