package io.meshfed.model.inventory;

/**
 * Where a value was written: file, 1-based line and column. {@link #UNKNOWN} for values meshfed
 * defaulted itself.
 */
public record Location(String file, int line, int column) {

    public static final Location UNKNOWN = new Location("", 0, 0);

    public boolean known() {
        return line > 0;
    }

    @Override
    public String toString() {
        return known() ? file + ":" + line + ":" + column : "(default)";
    }
}
