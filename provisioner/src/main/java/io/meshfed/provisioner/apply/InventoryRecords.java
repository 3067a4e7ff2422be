package io.meshfed.provisioner.apply;

import io.meshfed.model.inventory.ClusterSpec;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.model.ownership.Claim;
import io.meshfed.model.ownership.InventoryRecord;
import io.meshfed.model.ownership.OwnershipLabels;
import io.meshfed.model.resource.ObjectRef;
import io.meshfed.model.resource.Tree;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The inventory's record on each cluster ({@link InventoryRecord}): the ConfigMap
 * {@code meshfed-<inventory>} in {@value #NAMESPACE}, beside the run lock's Lease (a namespace every
 * cluster has before meshfed's first run and that no run deletes). Read once per run and cluster;
 * what the run creates is added as it is created and what it deletes taken out, and the record is
 * written at the end of the run (also of a failed or interrupted one) when it changed. A record an
 * earlier meshfed kept in the mesh namespace is read from there and moved.
 * <p>
 * {@link #claim} is the one place that decides whether an object is this inventory's: its UID in the
 * record, or — for an object with the inventory's labels that the record does not hold — meshfed's
 * field manager as its only writer ({@link io.meshfed.model.ownership.Provenance}), which is then
 * recorded.
 */
public final class InventoryRecords {

    /** Where records live. */
    public static final String NAMESPACE = "default";
    /** The record's label (not meshfed.io/inventory: the record is not one of the inventory's objects). */
    static final String RECORD_OF = "meshfed.io/record-of";

    private final Map<String, ClusterClient> clients;
    private final String inventory;
    private final Map<String, String> legacyNamespaces = new LinkedHashMap<>();
    private final Map<String, Cluster> clusters = new ConcurrentHashMap<>();

    /** One cluster's record as read and as changed by this run. */
    private static final class Cluster {
        final InventoryRecord read;
        final boolean legacyPlace;
        final ApiException failure;
        final Map<String, InventoryRecord.Created> created = new ConcurrentHashMap<>();
        final List<String> recovered = java.util.Collections.synchronizedList(new ArrayList<>());
        volatile Set<String> kinds;

        Cluster(InventoryRecord read, boolean legacyPlace, ApiException failure) {
            this.read = read;
            this.legacyPlace = legacyPlace;
            this.failure = failure;
            created.putAll(read.created());
        }
    }

    public InventoryRecords(Map<String, ClusterClient> clients, Inventory inventory) {
        this(clients, inventory.name(), meshNamespaces(inventory));
    }

    /**
     * @param legacyNamespaces per cluster of the inventory, the namespace an earlier meshfed kept its record
     *                         in (the mesh namespace); the record lists these clusters
     */
    public InventoryRecords(Map<String, ClusterClient> clients, String inventory, Map<String, String> legacyNamespaces) {
        this.clients = Map.copyOf(clients);
        this.inventory = inventory;
        this.legacyNamespaces.putAll(legacyNamespaces);
    }

    private static Map<String, String> meshNamespaces(Inventory inventory) {
        Map<String, String> namespaces = new LinkedHashMap<>();
        for (ClusterSpec cluster : inventory.clusters()) {
            namespaces.put(cluster.name(), cluster.mesh().namespace());
        }
        return namespaces;
    }

    public String inventory() {
        return inventory;
    }

    /** The record as it stood when this run read it (kinds, clusters, created objects). */
    public InventoryRecord read(String cluster) {
        return cluster(cluster).read;
    }

    /** How the inventory stands to {@code live} on {@code cluster}; an object recovered by provenance is recorded. */
    public Claim claim(String cluster, Map<String, Object> live) {
        if (live == null) {
            return Claim.NONE;
        }
        Cluster record = cluster(cluster);
        if (record.failure != null) {
            throw new ApiException(record.failure.code(), "cannot tell whether meshfed created " + Tree.get(live, "metadata", "name")
                    + ": " + record.failure.getMessage(), record.failure);
        }
        Claim claim = Claim.of(live, inventory, record.created::containsKey);
        if (claim.recorded()) {
            InventoryRecord.Created entry = entry(live);
            if (record.created.putIfAbsent(entry.uid(), entry) == null) {
                record.recovered.add(entry.describe());
            }
        }
        return claim;
    }

    /** Whether {@code uid} is an object this inventory created on {@code cluster} (as far as this run knows). */
    public boolean created(String cluster, String uid) {
        Cluster record = cluster(cluster);
        return uid != null && record.created.containsKey(uid);
    }

    /** Records an object this run created (the API server's answer to the create). */
    public void created(ObjectRef ref, Map<String, Object> live) {
        InventoryRecord.Created entry = entry(live);
        cluster(ref.cluster()).created.put(entry.uid(), entry);
    }

    /** Takes a deleted object out of the record. */
    public void deleted(String cluster, Map<String, Object> live) {
        Object uid = Tree.get(live, "metadata", "uid");
        if (uid != null) {
            cluster(cluster).created.remove(String.valueOf(uid));
        }
    }

    /** The group-kinds to record on {@code cluster} ({@code apiVersion Kind}), replacing what was read. */
    public void kinds(String cluster, Set<String> kinds) {
        cluster(cluster).kinds = new TreeSet<>(kinds);
    }

    /** Objects with the inventory's labels that this run recorded as created by provenance, per cluster, sorted. */
    public Map<String, List<String>> recovered() {
        Map<String, List<String>> recovered = new java.util.TreeMap<>();
        clusters.forEach((name, c) -> {
            if (!c.recovered.isEmpty()) {
                recovered.put(name, List.copyOf(new TreeSet<>(c.recovered)));
            }
        });
        return recovered;
    }

    /**
     * Writes every record this run read and changed (and moves one kept in its former place); a cluster
     * where that fails is a warning: what was created there stays unrecorded until a later run records
     * it by provenance.
     */
    public List<RunResult.Warning> save() {
        List<RunResult.Warning> warnings = new ArrayList<>();
        clusters.forEach((name, record) -> {
            if (record.failure != null) {
                return;
            }
            try {
                write(name, record);
            } catch (ApiException e) {
                warnings.add(new RunResult.Warning(name, "the inventory's record " + NAMESPACE + "/" + recordName()
                        + " was not written: " + e.getMessage()));
            }
        });
        return warnings;
    }

    /**
     * Takes out of the records what is gone (deleted by someone else, or by a namespace's deletion), or
     * was made again by someone (another UID): one read per object the records still list, after destroy.
     */
    public void dropGone() {
        clusters.forEach((name, record) -> {
            if (record.failure != null) {
                return;
            }
            ClusterClient client = clients.get(name);
            for (InventoryRecord.Created c : List.copyOf(record.created.values())) {
                String apiVersion = apiVersion(record, c);
                if (apiVersion == null) {
                    continue;   // a kind meshfed cannot address any more: kept, as in doubt
                }
                Map<String, Object> live = client.get(new ObjectRef(name, apiVersion, c.kind(), c.namespace(), c.name()));
                if (live == null || !c.uid().equals(Tree.get(live, "metadata", "uid"))) {
                    record.created.remove(c.uid());
                }
            }
        });
    }

    /** The version to address a created object's kind by: the one its record lists, else one meshfed knows. */
    private static String apiVersion(Cluster record, InventoryRecord.Created c) {
        Set<String> kinds = record.kinds != null ? record.kinds : record.read.kinds();
        for (String line : kinds) {
            String[] parts = line.split(" ");
            String group = parts[0].contains("/") ? parts[0].substring(0, parts[0].indexOf('/')) : "";
            if (parts.length == 2 && parts[1].equals(c.kind()) && group.equals(c.group())) {
                return parts[0];
            }
        }
        return KnownKinds.apiVersionOf(c.group(), c.kind());
    }

    /**
     * After destroy: a cluster's record goes once nothing it lists as created is left; else it keeps
     * what is (a kept namespace, a deletion that failed), for the next destroy.
     */
    public List<RunResult.Warning> forget() {
        List<RunResult.Warning> warnings = new ArrayList<>();
        clusters.forEach((name, record) -> {
            if (record.failure != null) {
                return;
            }
            try {
                if (record.created.isEmpty()) {
                    ClusterClient client = clients.get(name);
                    client.delete(ref(name, NAMESPACE));
                    String legacy = legacyNamespaces.get(name);
                    if (record.legacyPlace && legacy != null) {
                        client.delete(ref(name, legacy));
                    }
                } else {
                    write(name, record);
                }
            } catch (ApiException e) {
                warnings.add(new RunResult.Warning(name, "the inventory's record " + NAMESPACE + "/" + recordName()
                        + " was not " + (record.created.isEmpty() ? "deleted: " : "written: ") + e.getMessage()));
            }
        });
        return warnings;
    }

    private void write(String cluster, Cluster record) {
        InventoryRecord now = new InventoryRecord(record.kinds != null ? record.kinds : record.read.kinds(),
                legacyNamespaces.keySet(), record.created, true);
        if (now.equals(record.read) && !record.legacyPlace) {
            return;
        }
        ObjectRef ref = ref(cluster, NAMESPACE);
        Map<String, Object> configMap = Tree.map("apiVersion", "v1", "kind", "ConfigMap",
                "metadata", Tree.map("name", ref.name(), "namespace", NAMESPACE,
                        "labels", Tree.map(OwnershipLabels.MANAGED_BY, OwnershipLabels.MANAGED_BY_VALUE, RECORD_OF, inventory)),
                "data", now.toData());
        ClusterClient client = clients.get(cluster);
        client.apply(ref, configMap, OwnershipLabels.fieldManager(inventory), false, false);
        String legacy = legacyNamespaces.get(cluster);
        if (record.legacyPlace && legacy != null) {
            client.delete(ref(cluster, legacy));
        }
    }

    private Cluster cluster(String cluster) {
        return clusters.computeIfAbsent(cluster, this::load);
    }

    /** Reads a cluster's record: from {@value #NAMESPACE}, else from the mesh namespace an earlier meshfed kept it in. */
    private Cluster load(String cluster) {
        ClusterClient client = clients.get(cluster);
        if (client == null) {
            return new Cluster(InventoryRecord.EMPTY, false, new ApiException(0, "no connection to cluster " + cluster, null));
        }
        try {
            Map<String, Object> record = client.get(ref(cluster, NAMESPACE));
            boolean legacyPlace = false;
            String legacy = legacyNamespaces.get(cluster);
            if (record == null && legacy != null) {
                record = client.get(ref(cluster, legacy));
                legacyPlace = record != null;
            }
            return new Cluster(record == null ? InventoryRecord.EMPTY
                    : InventoryRecord.fromData(record.get("data") instanceof Map<?, ?> d ? d : Map.of()), legacyPlace, null);
        } catch (ApiException e) {
            return new Cluster(InventoryRecord.EMPTY, false, e);
        }
    }

    /**
     * The records other inventories keep on {@code cluster} (by inventory name; in their place or their
     * former one): one list of the ConfigMaps labelled as records.
     */
    public Map<String, InventoryRecord> others(String cluster) {
        Map<String, InventoryRecord> others = new java.util.TreeMap<>();
        for (Map<String, Object> record : clients.get(cluster).list("v1", "ConfigMap", RECORD_OF)) {
            Object of = Tree.get(record, "metadata", "labels", RECORD_OF);
            if (of instanceof String name && !name.equals(inventory)
                    && ("meshfed-" + name).equals(Tree.get(record, "metadata", "name"))) {
                others.merge(name, InventoryRecord.fromData(record.get("data") instanceof Map<?, ?> d ? d : Map.of()),
                        (a, b) -> a.keepsUids() ? a : b);
            }
        }
        return others;
    }

    /** Takes another inventory's record over on {@code cluster} (a rename): its kinds and created objects become this one's. */
    public void takeOver(String cluster, InventoryRecord other) {
        Cluster record = cluster(cluster);
        record.created.putAll(other.created());
        Set<String> kinds = new TreeSet<>(record.kinds != null ? record.kinds : record.read.kinds());
        kinds.addAll(other.kinds());
        record.kinds = kinds;
    }

    /** Deletes {@code other}'s record on {@code cluster}, in its place and its former one. */
    public void deleteRecordOf(String cluster, String other) {
        ClusterClient client = clients.get(cluster);
        client.delete(new ObjectRef(cluster, "v1", "ConfigMap", NAMESPACE, "meshfed-" + other));
        String legacy = legacyNamespaces.get(cluster);
        if (legacy != null) {
            client.delete(new ObjectRef(cluster, "v1", "ConfigMap", legacy, "meshfed-" + other));
        }
    }

    /** Whether this run found no record of the inventory on {@code cluster} (its first run there). */
    public boolean firstRun(String cluster) {
        Cluster record = cluster(cluster);
        return record.failure == null && !record.read.keepsUids() && record.read.kinds().isEmpty();
    }

    /** Why a cluster's record could not be read, or null. */
    public ApiException failure(String cluster) {
        return cluster(cluster).failure;
    }

    private String recordName() {
        return "meshfed-" + inventory;
    }

    private ObjectRef ref(String cluster, String namespace) {
        return new ObjectRef(cluster, "v1", "ConfigMap", namespace, recordName());
    }

    private static InventoryRecord.Created entry(Map<String, Object> live) {
        String apiVersion = String.valueOf(live.get("apiVersion"));
        int slash = apiVersion.indexOf('/');
        return new InventoryRecord.Created(String.valueOf(Tree.get(live, "metadata", "uid")),
                slash < 0 ? "" : apiVersion.substring(0, slash), String.valueOf(live.get("kind")),
                (String) Tree.get(live, "metadata", "namespace"), String.valueOf(Tree.get(live, "metadata", "name")));
    }
}
