package io.meshfed.inventory;

import io.meshfed.model.inventory.Location;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The inventory is wrong. Carries one or more problems, each with the file, line and column it is
 * about; the message lists them one per line, the way compilers do.
 */
public class InventoryException extends RuntimeException {

    private final transient List<Problem> problems;

    public InventoryException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public InventoryException(Location location, String message) {
        this(List.of(new Problem(location, message)));
    }

    public List<Problem> problems() {
        return problems;
    }

    /** One thing wrong, and where. */
    public record Problem(Location location, String message) {
        @Override
        public String toString() {
            return location.known() ? location + ": " + message
                    : (location.file().isEmpty() ? message : location.file() + ": " + message);
        }
    }
}
