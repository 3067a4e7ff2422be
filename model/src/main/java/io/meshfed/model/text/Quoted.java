package io.meshfed.model.text;

/** A value quoted in a message, cut short when long, so that one error stays one line a person can read. */
public final class Quoted {

    private static final int LONGEST = 40;

    private Quoted() {
    }

    /** {@code 'value'}, or {@code 'first 40 characters…' (200 characters)}. */
    public static String of(String value) {
        return value.length() <= LONGEST ? "'" + value + "'"
                : "'" + value.substring(0, LONGEST) + "…' (" + value.length() + " characters)";
    }
}
