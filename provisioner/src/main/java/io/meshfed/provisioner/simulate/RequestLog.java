package io.meshfed.provisioner.simulate;

import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The requests a simulated API server answered, for tests and benchmarks: when, which method and
 * path, which status. Keeps the most recent {@value #CAPACITY}.
 */
public final class RequestLog {

    static final int CAPACITY = 200_000;

    /**
     * One answered request; {@code nanos} is System.nanoTime() when it arrived; {@code controller} is
     * true for the simulated controllers' own requests (they identify themselves by User-Agent);
     * {@code watch} for the opening of a watch; {@code dryRun} for a write that the server only
     * tried ({@code ?dryRun=All}: it changes nothing).
     */
    public record Entry(long nanos, String method, String path, int status, boolean controller, boolean watch,
                        boolean dryRun) {
        /** A request that changes something: not a read, not a dry run. */
        public boolean write() {
            return !dryRun && !method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS");
        }

        /** A GET that is not a watch. */
        public boolean read() {
            return method.equals("GET") && !watch;
        }
    }

    private final Deque<Entry> entries = new ArrayDeque<>();

    synchronized void add(Entry entry) {
        if (entries.size() == CAPACITY) {
            entries.removeFirst();
        }
        entries.addLast(entry);
    }

    public synchronized List<Entry> entries() {
        return new ArrayList<>(entries);
    }

    public synchronized void clear() {
        entries.clear();
    }

    /** Write requests (anything but GET) from clients other than the simulated controllers. */
    public synchronized long clientWrites() {
        return entries.stream().filter(e -> !e.controller() && e.write()).count();
    }
}
