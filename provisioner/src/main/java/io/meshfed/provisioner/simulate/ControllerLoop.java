package io.meshfed.provisioner.simulate;

import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs a cluster's controllers on one thread: whenever the API server reports a write (the signal a
 * watch would give), and when a controller's requested delay is up. A controller that throws is
 * logged and retried shortly; the others go on.
 */
final class ControllerLoop implements AutoCloseable {

    private static final Logger logger = Logger.getLogger(ControllerLoop.class.getName());
    private static final long RETRY_NANOS = Duration.ofMillis(50).toNanos();
    /** Like an informer's resync: every controller runs at least this often, signal or not. */
    private static final long RESYNC_NANOS = Duration.ofSeconds(2).toNanos();

    private final List<Controller> controllers;
    private final Thread thread;
    private final Object lock = new Object();
    private boolean signalled = true;
    private boolean remoteSignalled;
    private volatile boolean running = true;

    public ControllerLoop(String name, List<Controller> controllers) {
        this.controllers = List.copyOf(controllers);
        this.thread = new Thread(this::run, "simulated-controllers-" + name);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Something changed on this cluster: run every controller soon. */
    public void signal() {
        synchronized (lock) {
            signalled = true;
            lock.notifyAll();
        }
    }

    /** Something changed on another cluster: run the controllers that look across clusters soon. */
    public void signalRemote() {
        synchronized (lock) {
            remoteSignalled = true;
            lock.notifyAll();
        }
    }

    private void run() {
        long nextDue = Long.MAX_VALUE;
        while (running) {
            boolean all;
            synchronized (lock) {
                long now = System.nanoTime();
                while (running && !signalled && !remoteSignalled && now < nextDue) {
                    long waitNanos = Math.min(nextDue - now, Duration.ofSeconds(1).toNanos());
                    try {
                        lock.wait(Math.max(1, waitNanos / 1_000_000), 0);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    now = System.nanoTime();
                }
                all = signalled || now >= nextDue;
                signalled = false;
                remoteSignalled = false;
            }
            if (!running) {
                return;
            }
            if (all) {
                nextDue = System.nanoTime() + RESYNC_NANOS;
            }
            for (Controller c : controllers) {
                if (!all && !c.crossCluster()) {
                    continue;
                }
                long again;
                try {
                    Duration after = c.reconcile();
                    again = after == null ? Long.MAX_VALUE : System.nanoTime() + after.toNanos();
                } catch (RuntimeException e) {
                    if (!running) {
                        return;
                    }
                    logger.log(Level.FINE, c.name() + " failed; retrying", e);
                    again = System.nanoTime() + RETRY_NANOS;
                }
                nextDue = Math.min(nextDue, again);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        signal();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
