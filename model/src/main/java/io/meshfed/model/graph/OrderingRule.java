package io.meshfed.model.graph;

/**
 * "Objects matching {@code dependent} start after the objects matching {@code dependency} on the same
 * cluster are ready." Written as one line: {@code <dependent terms> after <dependency terms>}.
 *
 * @param name       what the rule is for; edges carry it so that printouts can say why they exist
 * @param dependent  the objects that wait
 * @param dependency the objects they wait for (placeholders bound from each dependent)
 */
public record OrderingRule(String name, Selector dependent, Selector dependency) {

    /**
     * Parses {@code name: <dependent terms> after <dependency terms>}.
     *
     * @throws IllegalArgumentException with the offending line
     */
    public static OrderingRule parse(String line) {
        int colon = line.indexOf(": ");
        int after = line.indexOf(" after ");
        if (colon < 0 || after < colon) {
            throw new IllegalArgumentException("an ordering rule reads 'name: <terms> after <terms>': " + line);
        }
        try {
            return new OrderingRule(line.substring(0, colon).trim(),
                    Selector.parse(line.substring(colon + 2, after)),
                    Selector.parse(line.substring(after + " after ".length())));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + ": " + line, e);
        }
    }

    @Override
    public String toString() {
        return name + ": " + dependent + " after " + dependency;
    }
}
