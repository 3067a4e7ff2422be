package io.meshfed.model.inventory;

/** One federation link between two clusters (inventory host names). Unordered; stored sorted. */
public record Peering(String first, String second) {

    public static Peering of(String a, String b) {
        return a.compareTo(b) <= 0 ? new Peering(a, b) : new Peering(b, a);
    }

    public boolean involves(String cluster) {
        return first.equals(cluster) || second.equals(cluster);
    }

    public String other(String cluster) {
        return first.equals(cluster) ? second : first;
    }
}
