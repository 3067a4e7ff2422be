package io.meshfed.inventory.ansible;

import java.util.ArrayList;
import java.util.List;

/**
 * Python's {@code shlex.split(line, comments=True)}, which Ansible's INI inventory splits a host line
 * with: words separated by blanks, single quotes literal, double quotes with {@code \"} and
 * {@code \\}, a backslash outside quotes escaping the next character, {@code #} outside quotes
 * starting a comment.
 */
final class Shlex {

    /** A word, and the column (1-based) where it starts. */
    record Token(String text, int column) {
    }

    private Shlex() {
    }

    /** The words of a line; an IllegalArgumentException names an unclosed quote or a trailing backslash. */
    static List<Token> split(String line) {
        List<Token> tokens = new ArrayList<>();
        StringBuilder word = null;
        int start = 0;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    word.append(c);
                }
                continue;
            }
            if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '\\' && i + 1 < line.length() && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
                    word.append(line.charAt(++i));
                } else {
                    word.append(c);
                }
                continue;
            }
            if (Character.isWhitespace(c)) {
                if (word != null) {
                    tokens.add(new Token(word.toString(), start + 1));
                    word = null;
                }
                continue;
            }
            if (c == '#') {
                break;
            }
            if (word == null) {
                word = new StringBuilder();
                start = i;
            }
            if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '\\') {
                if (i + 1 >= line.length()) {
                    throw new IllegalArgumentException("No escaped character");
                }
                word.append(line.charAt(++i));
            } else {
                word.append(c);
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("No closing quotation");
        }
        if (word != null) {
            tokens.add(new Token(word.toString(), start + 1));
        }
        return tokens;
    }
}
