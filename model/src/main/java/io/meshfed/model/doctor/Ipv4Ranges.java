package io.meshfed.model.doctor;

import java.util.List;

/** Whether an IPv4 address is in MetalLB-style ranges ({@code a.b.c.d-e.f.g.h} or a CIDR); other forms never contain it. */
final class Ipv4Ranges {

    private Ipv4Ranges() {
    }

    static boolean contains(List<String> ranges, String address) {
        long ip = parse(address);
        if (ip < 0) {
            return false;
        }
        for (String range : ranges) {
            long low;
            long high;
            if (range.contains("/")) {
                String[] parts = range.split("/", 2);
                long base = parse(parts[0].strip());
                int prefix = parts[1].strip().matches("\\d{1,2}") ? Integer.parseInt(parts[1].strip()) : -1;
                if (base < 0 || prefix < 0 || prefix > 32) {
                    continue;
                }
                long size = 1L << (32 - prefix);
                low = base & ~(size - 1);
                high = low + size - 1;
            } else if (range.contains("-")) {
                String[] parts = range.split("-", 2);
                low = parse(parts[0].strip());
                high = parse(parts[1].strip());
            } else {
                continue;
            }
            if (low >= 0 && high >= 0 && ip >= low && ip <= high) {
                return true;
            }
        }
        return false;
    }

    /** The address as a number, or -1 when it is not dotted IPv4. */
    static long parse(String address) {
        String[] octets = address.split("\\.");
        if (octets.length != 4) {
            return -1;
        }
        long value = 0;
        for (String octet : octets) {
            if (!octet.matches("\\d{1,3}") || Integer.parseInt(octet) > 255) {
                return -1;
            }
            value = value * 256 + Integer.parseInt(octet);
        }
        return value;
    }
}
