package io.meshfed.provisioner.apply;

import io.meshfed.model.resource.ObjectRef;
import io.meshfed.model.resource.Tree;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The objects a listing made at the start of a run returned on one cluster ({@link OwnedObjects}), by
 * group, kind, namespace and name: each answers its object's first read once, while the listing is at
 * most {@link #FRESH} old — a node that starts later (behind a slow operator install) reads again, so
 * that an object changed or deleted since is seen as it is.
 */
final class ListedObjects {

    /**
     * How old a listing may be when a node first reads its object from it: long enough for every node of a
     * no-op run to start (ten clusters' TLS handshakes, client certificate and all, take seconds: with 3 s a
     * 10-cluster no-op read 85% of its objects again), short against an operator install.
     */
    static final Duration FRESH = Duration.ofSeconds(10);

    private final Map<String, Map<String, Object>> objects = new ConcurrentHashMap<>();
    private volatile long madeAt;

    /** A new run's listing (an earlier run's, in serve, is dropped). */
    void replace(List<Map<String, Object>> listed, long madeAt) {
        objects.clear();
        this.madeAt = madeAt;
        for (Map<String, Object> object : listed) {
            objects.put(key(String.valueOf(object.get("apiVersion")), String.valueOf(object.get("kind")),
                    (String) Tree.get(object, "metadata", "namespace"), (String) Tree.get(object, "metadata", "name")), object);
        }
    }

    /**
     * The object as listed, once, while the listing is fresh and listed it under the version the node
     * asks for (an inventory naming two versions of a kind compares within one); else null: read it.
     */
    Map<String, Object> take(ObjectRef ref) {
        Map<String, Object> listed = objects.remove(key(ref.apiVersion(), ref.kind(), ref.namespace(), ref.name()));
        boolean fresh = System.nanoTime() - madeAt <= FRESH.toNanos();
        return listed != null && fresh && ref.apiVersion().equals(listed.get("apiVersion")) ? listed : null;
    }

    /** Drops every object listed in {@code namespace}: that namespace was created since, so they are gone. */
    void forget(String namespace) {
        objects.keySet().removeIf(key -> namespace.equals(key.split("\\|", -1)[2]));   // group|kind|namespace|name
    }

    private static String key(String apiVersion, String kind, String namespace, String name) {
        int slash = apiVersion.indexOf('/');
        return (slash < 0 ? "" : apiVersion.substring(0, slash)) + "|" + kind + "|" + namespace + "|" + name;
    }
}
