package io.meshfed.inventory;

import io.meshfed.model.inventory.Location;

import java.util.ArrayList;
import java.util.List;

/** Collects every problem of an inventory, so that one run reports them all. */
final class Problems {

    private final List<InventoryException.Problem> problems = new ArrayList<>();

    void add(Location location, String message) {
        problems.add(new InventoryException.Problem(location, message));
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    /** Throws when anything was reported. */
    void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new InventoryException(problems);
        }
    }
}
