package io.meshfed.inventory.ansible;

import com.hubspot.jinjava.lib.filter.Filter;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Ansible's {@code ipaddr} filter (ansible.utils, on netaddr), its basic queries: none (the value where it is an
 * address or network, else false), {@code address}, {@code network}, {@code netmask}, {@code prefix}, {@code size},
 * {@code broadcast}, {@code host}, {@code private}, {@code public}; a list keeps the items that pass. Jinjava's own
 * {@code ipaddr} answers true where Ansible's answers the address, so this one takes its name. Nothing is looked up:
 * a name is not an address.
 */
final class AnsibleIpFilter {

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    /** What netaddr calls private (RFC 1918, shared, link-local, loopback; IPv6 unique-local and link-local). */
    private static final List<String> PRIVATE = List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10",
            "169.254.0.0/16", "127.0.0.0/8", "fc00::/7", "fe80::/10");

    private AnsibleIpFilter() {
    }

    static Filter filter() {
        return new AnsibleFilters.Named("ipaddr", (v, a, k) -> {
            String query = String.valueOf(AnsibleFilters.arg(a, k, 0, "query", ""));
            if (v instanceof List<?> items) {
                List<Object> kept = new ArrayList<>();
                for (Object item : items) {
                    Object r = query(item, query);
                    if (AnsibleFilters.truthy(r)) {
                        kept.add(r);
                    }
                }
                return kept;
            }
            return query(v, query);
        });
    }

    /** An address and its prefix length. */
    private record Net(byte[] address, int prefix, String text) {
        int bits() {
            return address.length * 8;
        }

        BigInteger value() {
            return new BigInteger(1, address);
        }

        BigInteger mask() {
            return BigInteger.ONE.shiftLeft(bits()).subtract(BigInteger.ONE).xor(BigInteger.ONE.shiftLeft(bits() - prefix).subtract(BigInteger.ONE));
        }

        String format(BigInteger v) {
            byte[] raw = v.toByteArray();
            byte[] out = new byte[address.length];
            int copy = Math.min(raw.length, out.length);
            System.arraycopy(raw, raw.length - copy, out, out.length - copy, copy);
            return AnsibleIpFilter.format(out);
        }

        boolean within(Net other) {
            return address.length == other.address.length && other.prefix <= prefix
                    && value().and(other.mask()).equals(other.value().and(other.mask()));
        }
    }

    private static Object query(Object value, String query) {
        Net net = value == null ? null : parse(String.valueOf(value).strip());
        if (net == null) {
            return false;
        }
        return switch (query) {
            case "", "None" -> net.text();
            case "address" -> format(net.address());
            case "network" -> net.format(net.value().and(net.mask()));
            case "netmask" -> net.format(net.mask());
            case "broadcast" -> net.format(net.value().or(net.mask().xor(BigInteger.ONE.shiftLeft(net.bits()).subtract(BigInteger.ONE))));
            case "prefix" -> (long) net.prefix();
            case "size" -> {
                BigInteger size = BigInteger.ONE.shiftLeft(net.bits() - net.prefix());
                yield size.bitLength() < 63 ? (Object) size.longValue() : size;
            }
            case "host" -> format(net.address()) + "/" + net.prefix();
            case "private" -> isPrivate(net) ? net.text() : "";
            case "public" -> isPrivate(net) ? "" : net.text();
            default -> throw new IllegalArgumentException("ipaddr: unknown query '" + query + "' (address, network, netmask, "
                    + "prefix, size, broadcast, host, private, public)");
        };
    }

    private static boolean isPrivate(Net net) {
        return PRIVATE.stream().map(AnsibleIpFilter::parse).anyMatch(net::within);
    }

    /** An IPv4 or IPv6 literal with an optional /prefix, or null; never a name resolved. */
    static Net parse(String text) {
        String[] parts = text.split("/", -1);
        if (parts.length > 2) {
            return null;
        }
        String host = parts[0];
        byte[] address;
        if (IPV4.matcher(host).matches()) {
            address = literal(host);
        } else if (IPV6.matcher(host).matches()) {
            address = literal(host);
            if (address != null && address.length != 16) {
                return null;   // an IPv4-mapped form Java shortens: not what netaddr calls IPv6
            }
        } else {
            return null;
        }
        if (address == null) {
            return null;
        }
        int prefix = address.length * 8;
        if (parts.length == 2) {
            if (!parts[1].matches("\\d{1,3}")) {
                return null;
            }
            prefix = Integer.parseInt(parts[1]);
            if (prefix > address.length * 8) {
                return null;
            }
        }
        return new Net(address, prefix, text);
    }

    private static byte[] literal(String host) {
        try {
            return InetAddress.getByName(host).getAddress();   // a literal (checked above): no lookup is made
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Dotted IPv4, or IPv6 as RFC 5952 writes it (the longest run of zero groups as ::). */
    static String format(byte[] address) {
        if (address.length == 4) {
            return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "." + (address[3] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((address[2 * i] & 0xff) << 8) | (address[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 0;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength && j - i > 1) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }
}
