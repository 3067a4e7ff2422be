package io.meshfed.inventory;

import io.meshfed.model.inventory.Location;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Collects every problem of an inventory, so that one run reports them all. */
final class Problems {

    private final List<InventoryException.Problem> problems = new ArrayList<>();
    private final Set<String> seen = new HashSet<>();

    /**
     * Adds a problem. A variable set once for many hosts (in group_vars, say) is reported once: a
     * problem at a known place is dropped when the same place already has one about the same key.
     */
    void add(Location location, String message) {
        String key = location.known() ? location + " " + message.replaceFirst("^host '[^']*'", "host") : null;
        if (key == null || seen.add(key)) {
            problems.add(new InventoryException.Problem(location, message));
        }
    }

    /** How many problems so far: a caller compares before and after a step to know whether it found any. */
    int size() {
        return problems.size();
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
