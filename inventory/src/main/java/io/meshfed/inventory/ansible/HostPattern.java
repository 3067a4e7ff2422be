package io.meshfed.inventory.ansible;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A host entry as Ansible expands it ({@code expand_hostname_range}, {@code parse_address}):
 * {@code node[01:20]} (numbers keep the width of a zero-padded start), {@code db-[a:f]}, a step
 * ({@code [1:9:2]}), several ranges in one name, and an optional {@code :port}.
 */
record HostPattern(List<String> hosts, Integer port) {

    private static final Pattern HOST_PORT = Pattern.compile("^((?:[^:\\[\\]]|\\[[^\\]]*\\])+):([0-9]+)$");
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    /** An IllegalArgumentException says what is wrong with a range, in Ansible's words. */
    static HostPattern parse(String entry) {
        Matcher m = HOST_PORT.matcher(entry);
        String pattern = m.matches() ? m.group(1) : entry;
        Integer port = m.matches() ? Integer.valueOf(m.group(2)) : null;
        return new HostPattern(entry.contains("[") ? expand(pattern) : List.of(pattern), port);
    }

    private static List<String> expand(String name) {
        int open = name.indexOf('[');
        int close = name.indexOf(']', open);
        if (close < 0) {
            throw new IllegalArgumentException("host range '" + name + "' has no closing ]");
        }
        String head = name.substring(0, open);
        String tail = name.substring(close + 1);
        String[] bounds = name.substring(open + 1, close).split(":", -1);
        if (bounds.length != 2 && bounds.length != 3) {
            throw new IllegalArgumentException("host range must be begin:end or begin:end:step");
        }
        String begin = bounds[0].isEmpty() ? "0" : bounds[0];
        String end = bounds[1];
        if (end.isEmpty()) {
            throw new IllegalArgumentException("host range must specify end value");
        }
        int step = bounds.length == 3 ? Integer.parseInt(bounds[2]) : 1;
        List<String> sequence = new ArrayList<>();
        int b = LETTERS.indexOf(begin);
        int e = LETTERS.indexOf(end);
        if (begin.length() == 1 && end.length() == 1 && b >= 0 && e >= 0) {
            if (b > e) {
                throw new IllegalArgumentException("host range must have begin <= end");
            }
            for (int i = b; i <= e; i += step) {
                sequence.add(String.valueOf(LETTERS.charAt(i)));
            }
        } else {
            int width = begin.startsWith("0") && begin.length() > 1 ? begin.length() : 0;
            if (width > 0 && width != end.length()) {
                throw new IllegalArgumentException("host range must specify equal-length begin and end formats");
            }
            try {
                for (int i = Integer.parseInt(begin); i <= Integer.parseInt(end); i += step) {
                    sequence.add(width > 0 ? String.format("%0" + width + "d", i) : String.valueOf(i));
                }
            } catch (NumberFormatException notANumber) {
                throw new IllegalArgumentException("host range [" + String.join(":", bounds) + "] is neither numbers nor "
                        + "single letters");
            }
        }
        List<String> hosts = new ArrayList<>();
        for (String s : sequence) {
            String host = head + s + tail;
            hosts.addAll(host.contains("[") ? expand(host) : List.of(host));
        }
        return hosts;
    }
}
