package io.meshfed.inventory.ansible;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code ast.literal_eval}, which Ansible's INI inventory applies to every {@code key=value}:
 * integers (with {@code 0x}, {@code 0o}, {@code 0b}, {@code _}), floats, strings in single or double
 * quotes (with escapes; adjacent ones join), {@code True}, {@code False}, {@code None}, lists,
 * tuples, sets and dicts, a leading sign. Anything else is not a literal: Ansible then keeps the text
 * as it is, and so does {@link #evalOrText}.
 */
final class PythonLiteral {

    private final String text;
    private int pos;

    private PythonLiteral(String text) {
        this.text = text;
    }

    /**
     * The value {@code literal_eval} gives, or the text itself where it gives none. As Python's own parser, a
     * {@code #} after the literal starts a comment: {@code 8080 # all members} is 8080.
     */
    static Object evalOrText(String text) {
        try {
            PythonLiteral parser = new PythonLiteral(text);
            parser.skipSpace();
            Object value = parser.value();
            parser.skipSpace();
            return parser.pos == text.length() || text.charAt(parser.pos) == '#' ? value : text;
        } catch (NotALiteral e) {
            return text;
        }
    }

    private static final class NotALiteral extends RuntimeException {
        NotALiteral() {
            super(null, null, false, false);
        }
    }

    private Object value() {
        if (pos >= text.length()) {
            throw new NotALiteral();
        }
        char c = text.charAt(pos);
        if (c == '[') {
            return sequence('[', ']');
        }
        if (c == '(') {
            return sequence('(', ')');
        }
        if (c == '{') {
            return braces();
        }
        if (c == '\'' || c == '"') {
            StringBuilder joined = new StringBuilder(string());
            for (int save = pos; ; save = pos) {
                skipSpace();
                if (pos < text.length() && (text.charAt(pos) == '\'' || text.charAt(pos) == '"')) {
                    joined.append(string());
                } else {
                    pos = save;
                    return joined.toString();
                }
            }
        }
        if (c == '-' || c == '+' || Character.isDigit(c) || c == '.') {
            return number();
        }
        for (Object[] word : new Object[][] {{"True", Boolean.TRUE}, {"False", Boolean.FALSE}, {"None", null}}) {
            String w = (String) word[0];
            if (text.startsWith(w, pos) && (pos + w.length() == text.length()
                    || !Character.isJavaIdentifierPart(text.charAt(pos + w.length())))) {
                pos += w.length();
                return word[1];
            }
        }
        throw new NotALiteral();
    }

    private Object sequence(char open, char close) {
        pos++;
        List<Object> items = new ArrayList<>();
        boolean comma = true;
        while (true) {
            skipSpace();
            if (peek(close)) {
                pos++;
                return open == '(' && items.size() == 1 && !comma ? items.get(0) : items;   // (x) is x, (x,) a tuple
            }
            if (!comma) {
                throw new NotALiteral();
            }
            items.add(value());
            skipSpace();
            comma = peek(',');
            if (comma) {
                pos++;
            }
        }
    }

    /** A dict, or a set ({@code {1, 2}}, listed as a list). */
    private Object braces() {
        pos++;
        Map<String, Object> dict = new LinkedHashMap<>();
        List<Object> set = new ArrayList<>();
        boolean comma = true;
        while (true) {
            skipSpace();
            if (peek('}')) {
                pos++;
                return set.isEmpty() ? dict : set;
            }
            if (!comma) {
                throw new NotALiteral();
            }
            Object key = value();
            skipSpace();
            if (peek(':')) {
                if (!set.isEmpty()) {
                    throw new NotALiteral();
                }
                pos++;
                skipSpace();
                dict.put(String.valueOf(key), value());
            } else if (dict.isEmpty()) {
                set.add(key);
            } else {
                throw new NotALiteral();
            }
            skipSpace();
            comma = peek(',');
            if (comma) {
                pos++;
            }
        }
    }

    private String string() {
        char quote = text.charAt(pos);
        boolean triple = text.startsWith(String.valueOf(quote).repeat(3), pos);
        pos += triple ? 3 : 1;
        StringBuilder out = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (triple ? text.startsWith(String.valueOf(quote).repeat(3), pos) : c == quote) {
                pos += triple ? 3 : 1;
                return out.toString();
            }
            if (c == '\\' && pos + 1 < text.length()) {
                char e = text.charAt(pos + 1);
                pos += 2;
                switch (e) {
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case '0' -> out.append('\0');
                    case '\\', '\'', '"' -> out.append(e);
                    case '\n' -> { }
                    default -> out.append('\\').append(e);
                }
                continue;
            }
            if (c == '\n' && !triple) {
                throw new NotALiteral();
            }
            out.append(c);
            pos++;
        }
        throw new NotALiteral();
    }

    private Object number() {
        int start = pos;
        boolean negative = false;
        if (peek('-') || peek('+')) {
            negative = text.charAt(pos) == '-';
            pos++;
            skipSpace();
            if (pos < text.length() && (text.charAt(pos) == '-' || text.charAt(pos) == '+')) {
                Object inner = number();   // --1 is a literal too
                return negate(inner, negative);
            }
        }
        int digits = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_'
                || text.charAt(pos) == '.' || ((text.charAt(pos) == '-' || text.charAt(pos) == '+')
                && (text.charAt(pos - 1) == 'e' || text.charAt(pos - 1) == 'E') && !text.substring(digits, pos).matches("0[xX].*")))) {
            pos++;
        }
        String n = text.substring(digits, pos);
        if (n.isEmpty() || n.startsWith("_") || n.endsWith("_") || n.contains("__")) {
            throw new NotALiteral();
        }
        String plain = n.replace("_", "");
        Object value;
        if (plain.matches("0[xX][0-9a-fA-F]+")) {
            value = integer(new BigInteger(plain.substring(2), 16));
        } else if (plain.matches("0[oO][0-7]+")) {
            value = integer(new BigInteger(plain.substring(2), 8));
        } else if (plain.matches("0[bB][01]+")) {
            value = integer(new BigInteger(plain.substring(2), 2));
        } else if (plain.matches("0+|[1-9][0-9]*")) {
            value = integer(new BigInteger(plain));
        } else if (plain.matches("([0-9]+\\.[0-9]*|\\.[0-9]+|[0-9]+)([eE][-+]?[0-9]+)?") && !plain.matches("0[0-9]+")) {
            value = Double.valueOf(plain);
        } else {
            pos = start;
            throw new NotALiteral();
        }
        return negate(value, negative);
    }

    private static Object negate(Object value, boolean negative) {
        if (!negative) {
            return value;
        }
        if (value instanceof Double d) {
            return -d;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
            return integer(new BigInteger(value.toString()).negate());
        }
        throw new NotALiteral();
    }

    /** As the YAML reader types integers: Integer, Long or BigInteger, the smallest that holds it. */
    private static Object integer(BigInteger value) {
        if (value.bitLength() < 32) {
            return value.intValue();
        }
        return value.bitLength() < 64 ? (Object) value.longValue() : value;
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }
}
