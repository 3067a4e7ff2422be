package io.meshfed.inventory;

import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * Checks MetalLB address pool entries: a CIDR ({@code 10.0.0.0/24}, {@code fd00::/64}) or a range
 * ({@code 10.0.0.10-10.0.0.20}) of one address family, low to high. Parses literals only: no name
 * is ever looked up.
 */
final class Addresses {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");

    private Addresses() {
    }

    /** Null when {@code entry} is a valid pool entry, else what is wrong with it. */
    static String problem(String entry) {
        String s = entry.trim();
        if (s.contains("/")) {
            String[] parts = s.split("/", -1);
            Parsed ip = parse(parts[0]);
            if (parts.length != 2 || ip == null) {
                return "is not an IP range or CIDR";
            }
            int max = ip.v6 ? 128 : 32;
            try {
                int prefix = Integer.parseInt(parts[1]);
                return prefix < 0 || prefix > max ? "has a prefix length outside 0-" + max : null;
            } catch (NumberFormatException e) {
                return "is not an IP range or CIDR";
            }
        }
        int dash = s.indexOf('-');
        if (dash > 0) {
            Parsed low = parse(s.substring(0, dash).trim());
            Parsed high = parse(s.substring(dash + 1).trim());
            if (low == null || high == null) {
                return "is not an IP range or CIDR";
            }
            if (low.v6 != high.v6) {
                return "mixes IPv4 and IPv6";
            }
            return low.value.compareTo(high.value) > 0 ? "runs from a higher to a lower address" : null;
        }
        return "is not an IP range or CIDR (write 10.0.0.10-10.0.0.20 or 10.0.0.0/24)";
    }

    private record Parsed(BigInteger value, boolean v6) {
    }

    /** The addresses of a valid pool entry, first to last, and whether they are IPv6. */
    record Span(BigInteger low, BigInteger high, boolean v6) {
        boolean overlaps(Span other) {
            return v6 == other.v6 && low.compareTo(other.high) <= 0 && other.low.compareTo(high) <= 0;
        }
    }

    /** The span of an entry that {@link #problem} accepts; null otherwise. */
    static Span span(String entry) {
        if (problem(entry) != null) {
            return null;
        }
        String s = entry.trim();
        if (s.contains("/")) {
            String[] parts = s.split("/", -1);
            Parsed ip = parse(parts[0]);
            int hostBits = (ip.v6 ? 128 : 32) - Integer.parseInt(parts[1]);
            BigInteger low = ip.value.shiftRight(hostBits).shiftLeft(hostBits);
            return new Span(low, low.add(BigInteger.ONE.shiftLeft(hostBits)).subtract(BigInteger.ONE), ip.v6);
        }
        int dash = s.indexOf('-');
        Parsed low = parse(s.substring(0, dash).trim());
        return new Span(low.value, parse(s.substring(dash + 1).trim()).value, low.v6);
    }

    private static Parsed parse(String ip) {
        var m = IPV4.matcher(ip);
        if (m.matches()) {
            long value = 0;
            for (int i = 1; i <= 4; i++) {
                int octet = Integer.parseInt(m.group(i));
                if (octet > 255) {
                    return null;
                }
                value = value * 256 + octet;
            }
            return new Parsed(BigInteger.valueOf(value), false);
        }
        if (!ip.contains(":") || !IPV6_CHARS.matcher(ip).matches() || ip.contains(".")) {
            return null;
        }
        int doubleColon = ip.indexOf("::");
        if (doubleColon != ip.lastIndexOf("::")) {
            return null;
        }
        String[] head = doubleColon < 0 ? ip.split(":", -1) : split(ip.substring(0, doubleColon));
        String[] tail = doubleColon < 0 ? new String[0] : split(ip.substring(doubleColon + 2));
        int groups = head.length + tail.length;
        if (doubleColon < 0 ? groups != 8 : groups > 7) {
            return null;
        }
        BigInteger value = BigInteger.ZERO;
        for (String g : head) {
            if (g.isEmpty() || g.length() > 4) {
                return null;
            }
            value = value.shiftLeft(16).add(new BigInteger(g, 16));
        }
        value = value.shiftLeft(16 * (8 - head.length));
        BigInteger tailValue = BigInteger.ZERO;
        for (String g : tail) {
            if (g.isEmpty() || g.length() > 4) {
                return null;
            }
            tailValue = tailValue.shiftLeft(16).add(new BigInteger(g, 16));
        }
        return new Parsed(value.add(tailValue), true);
    }

    private static String[] split(String part) {
        return part.isEmpty() ? new String[0] : part.split(":", -1);
    }
}
