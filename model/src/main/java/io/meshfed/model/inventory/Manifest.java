package io.meshfed.model.inventory;

import java.util.Map;

/** One object from a cluster's own manifest files, with where it was read. */
public record Manifest(Location location, Map<String, Object> object) {
}
