package io.meshfed.model.ownership;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one inventory keeps on one cluster about itself, as kubectl's ApplySet parent does: the
 * group-kinds it wrote (so that a kind that left the inventory is still found), the inventory's
 * clusters at its last apply (so that a departed one is noticed), and — the proof of ownership — the
 * UID of every object it created, written by the run that created it. An object whose UID is not
 * here was not created by this inventory, whatever its labels say.
 * <p>
 * Kept as the data of a ConfigMap ({@link #toData}, {@link #fromData}), a line per entry.
 *
 * @param kinds    {@code apiVersion Kind} of what the inventory wrote
 * @param clusters the inventory's clusters at its last apply
 * @param created  by UID, the objects this inventory created
 * @param keepsUids whether the record was written by a meshfed that keeps UIDs (one before did not)
 */
public record InventoryRecord(Set<String> kinds, Set<String> clusters, Map<String, Created> created, boolean keepsUids) {

    /** The key listing {@code apiVersion Kind} per line. */
    public static final String KINDS_KEY = "group-kinds";
    /** The key listing the inventory's clusters at its last apply, one per line. */
    public static final String CLUSTERS_KEY = "clusters";
    /** The key listing {@code uid Kind.group namespace/name} per created object. */
    public static final String CREATED_KEY = "created";

    /** No record yet: nothing proven. */
    public static final InventoryRecord EMPTY = new InventoryRecord(Set.of(), Set.of(), Map.of(), false);

    /** One object the inventory created: its UID and identity (group and kind, not version). */
    public record Created(String uid, String group, String kind, String namespace, String name) {

        /** {@code Kind namespace/name}, as output lines name an object. */
        public String describe() {
            return kind + " " + (namespace == null ? name : namespace + "/" + name);
        }

        String line() {
            return uid + " " + kind + (group.isEmpty() ? "" : "." + group) + " " + (namespace == null ? name : namespace + "/" + name);
        }

        static Created parse(String line) {
            String[] parts = line.trim().split(" ");
            if (parts.length != 3) {
                return null;
            }
            int dot = parts[1].indexOf('.');
            String kind = dot < 0 ? parts[1] : parts[1].substring(0, dot);
            String group = dot < 0 ? "" : parts[1].substring(dot + 1);
            int slash = parts[2].indexOf('/');
            return new Created(parts[0], group, kind, slash < 0 ? null : parts[2].substring(0, slash),
                    slash < 0 ? parts[2] : parts[2].substring(slash + 1));
        }
    }

    public InventoryRecord {
        kinds = Collections.unmodifiableSet(new TreeSet<>(kinds));
        clusters = Collections.unmodifiableSet(new TreeSet<>(clusters));
        created = Collections.unmodifiableMap(new TreeMap<>(created));
    }

    /** The record a ConfigMap's data holds; a record of a meshfed before UIDs has kinds and clusters only. */
    public static InventoryRecord fromData(Map<?, ?> data) {
        if (data == null) {
            return EMPTY;
        }
        Map<String, Created> created = new LinkedHashMap<>();
        for (String line : lines(data.get(CREATED_KEY))) {
            Created c = Created.parse(line);
            if (c != null) {
                created.put(c.uid(), c);
            }
        }
        Set<String> kinds = new TreeSet<>();
        for (String line : lines(data.get(KINDS_KEY))) {
            if (line.trim().split(" ").length == 2) {
                kinds.add(line.trim());
            }
        }
        return new InventoryRecord(kinds, new TreeSet<>(lines(data.get(CLUSTERS_KEY))), created, data.containsKey(CREATED_KEY));
    }

    /** The ConfigMap data that keeps this record. */
    public Map<String, Object> toData() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put(KINDS_KEY, text(kinds));
        data.put(CLUSTERS_KEY, text(clusters));
        StringBuilder lines = new StringBuilder();
        created.values().forEach(c -> lines.append(c.line()).append('\n'));
        data.put(CREATED_KEY, lines.toString());
        return data;
    }

    private static String text(Set<String> lines) {
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }

    private static Set<String> lines(Object text) {
        Set<String> lines = new TreeSet<>();
        if (text instanceof String s) {
            for (String line : s.split("\n")) {
                if (!line.isBlank()) {
                    lines.add(line.trim());
                }
            }
        }
        return lines;
    }
}
