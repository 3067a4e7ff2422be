package io.meshfed.provisioner.apply;

import io.meshfed.model.resource.Tree;

import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One wait following one object through its kind's shared watch ({@link KindWatches}): the object's
 * changes in the order the API server sent them. Opened by {@link ClusterClient#watch}; closing it
 * stops following (the shared watch goes on until the run ends).
 */
public final class ObjectWatch implements AutoCloseable {

    /** One change: the object as it now is (null once deleted), or the end of the watch. */
    public record Event(Map<String, Object> object, boolean ended) {
    }

    private static final Event ENDED = new Event(null, true);

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Consumer<ObjectWatch> unfollow;

    ObjectWatch(Consumer<ObjectWatch> unfollow) {
        this.unfollow = unfollow;
    }

    void changed(Map<String, Object> object) {
        events.add(new Event(object, false));
    }

    void ended() {
        events.add(ENDED);
    }

    /** The next change, or null when none came within {@code timeoutMillis}. */
    public Event next(long timeoutMillis) {
        try {
            return events.poll(Math.max(1, timeoutMillis), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    @Override
    public void close() {
        unfollow.accept(this);
    }

    /**
     * Of two states of one object, the later: {@code seen} unless {@code known} has a higher
     * resourceVersion (a cache that has not yet seen meshfed's own write; an event older than what was
     * read). resourceVersions are compared as numbers where both are numbers, as every API server
     * backed by etcd makes them; otherwise {@code seen} is taken. Null (not there) is taken as seen.
     */
    static Map<String, Object> later(Map<String, Object> known, Map<String, Object> seen) {
        if (known == null || seen == null) {
            return seen;
        }
        long k = version(known);
        long s = version(seen);
        return k >= 0 && s >= 0 && k > s ? known : seen;
    }

    private static long version(Map<String, Object> object) {
        Object v = Tree.get(object, "metadata", "resourceVersion");
        try {
            return v == null ? -1 : Long.parseLong(v.toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
