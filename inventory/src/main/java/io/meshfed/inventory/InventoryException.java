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
    private final transient List<Problem> warnings;

    public InventoryException(List<Problem> problems) {
        this(problems, List.of());
    }

    private InventoryException(List<Problem> problems, List<Problem> warnings) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
        this.warnings = List.copyOf(warnings);
    }

    /** The same problems, with what was found worth a warning before them (a duplicate key can be their cause). */
    public InventoryException withWarnings(List<Problem> found) {
        return found.isEmpty() ? this : new InventoryException(problems, found);
    }

    /** The same problems and warnings, each decrypted text of {@code secrets} shown as Ansible Vault's mask. */
    public InventoryException masked(java.util.Collection<String> secrets) {
        if (secrets.isEmpty()) {
            return this;
        }
        java.util.function.Function<List<Problem>, List<Problem>> mask = list -> list.stream()
                .map(p -> new Problem(p.location(), io.meshfed.inventory.ansible.Vault.mask(p.message(), secrets))).toList();
        return new InventoryException(mask.apply(problems), mask.apply(warnings));
    }

    public List<Problem> warnings() {
        return warnings;
    }

    public InventoryException(Problem problem) {
        this(List.of(problem));
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
