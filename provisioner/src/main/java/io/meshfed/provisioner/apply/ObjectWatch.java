package io.meshfed.provisioner.apply;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A watch on one object (what {@code kubectl wait} opens): its changes, in the order the API server
 * sent them. Opened by {@link ClusterClient#watch}; closing it ends the watch.
 */
public final class ObjectWatch implements Watcher<GenericKubernetesResource>, AutoCloseable {

    /** One change: the object as it now is (null once deleted), or the end of the watch. */
    public record Event(Map<String, Object> object, boolean ended) {
    }

    private static final Event ENDED = new Event(null, true);

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private volatile Watch watch;

    void opened(Watch watch) {
        this.watch = watch;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void eventReceived(Action action, GenericKubernetesResource resource) {
        switch (action) {
            case ADDED, MODIFIED -> events.add(new Event(Serialization.jsonMapper().convertValue(resource, Map.class), false));
            case DELETED -> events.add(new Event(null, false));
            default -> {
                // BOOKMARK carries no object change; ERROR is followed by onClose
            }
        }
    }

    @Override
    public void onClose(WatcherException cause) {
        events.add(ENDED);
    }

    @Override
    public void onClose() {
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
        Watch w = watch;
        if (w != null) {
            w.close();
        }
    }
}
