package io.meshfed.inventory;

import io.meshfed.inventory.yaml.YamlReader;
import io.meshfed.model.inventory.Location;

import java.util.ArrayList;
import java.util.List;

/**
 * What is worth saying about an inventory that is still valid (Ansible prints {@code [WARNING]}):
 * a key given twice in one mapping, whose first value is dropped. Collected while it loads; the CLI
 * prints them before anything else, errors included.
 */
public final class Warnings {

    private final List<InventoryException.Problem> warnings = new ArrayList<>();

    public void add(Location location, String message) {
        InventoryException.Problem warning = new InventoryException.Problem(location, message);
        if (!warnings.contains(warning)) {
            warnings.add(warning);
        }
    }

    /** For the YAML reader: a repeated key, named with both places. */
    public YamlReader.Duplicates duplicates() {
        return (kept, key, dropped) -> add(kept, "duplicate key '" + key + "' (also at " + dropped.line() + ":"
                + dropped.column() + "): the last value is used, as Ansible does");
    }

    public List<InventoryException.Problem> list() {
        return List.copyOf(warnings);
    }
}
