package io.meshfed.provisioner.simulate;

import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs one controller of one cluster on its own thread, as each operator runs in its own pod: when
 * the API server reports a write to a resource it watches (the signal its informers would give), when
 * its requested delay is up, and at least every resync period. Signals that arrive during a pass
 * coalesce into one more pass. A controller that throws is logged and retried shortly.
 */
final class ControllerLoop implements AutoCloseable {

    private static final Logger logger = Logger.getLogger(ControllerLoop.class.getName());
    private static final long RETRY_NANOS = Duration.ofMillis(50).toNanos();
    /** Like an informer's resync: the controller runs at least this often, signal or not. */
    private static final long RESYNC_NANOS = Duration.ofSeconds(2).toNanos();

    private final Controller controller;
    private final Thread thread;
    private final Object lock = new Object();
    private boolean signalled = true;
    private volatile boolean running = true;
    private String lastFailure;

    ControllerLoop(String cluster, Controller controller) {
        this.controller = controller;
        this.thread = new Thread(this::run, "simulated-" + controller.name() + "-" + cluster);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** A resource changed, on this cluster ({@code remote} false) or another one: runs the controller soon if it watches it. */
    void changed(String resource, boolean remote) {
        if ((remote ? controller.watchesRemote() : controller.watches()).contains(resource)) {
            synchronized (lock) {
                signalled = true;
                lock.notifyAll();
            }
        }
    }

    private void run() {
        long nextDue = Long.MAX_VALUE;
        long nextResync = System.nanoTime() + RESYNC_NANOS;
        while (running) {
            synchronized (lock) {
                long now = System.nanoTime();
                while (running && !signalled && now < Math.min(nextDue, nextResync)) {
                    long waitNanos = Math.min(nextDue, nextResync) - now;
                    try {
                        lock.wait(Math.max(1, waitNanos / 1_000_000), 0);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    now = System.nanoTime();
                }
                signalled = false;
            }
            if (!running) {
                return;
            }
            nextResync = System.nanoTime() + RESYNC_NANOS;
            try {
                Duration after = controller.reconcile();
                nextDue = after == null ? Long.MAX_VALUE : System.nanoTime() + after.toNanos();
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                String message = String.valueOf(e.getMessage());
                if (!message.equals(lastFailure)) {   // once per distinct failure: a stuck one would flood the log
                    logger.log(Level.WARNING, "simulated " + controller.name() + " failed, retrying: " + message);
                    lastFailure = message;
                }
                logger.log(Level.FINE, controller.name() + " failed; retrying", e);
                nextDue = System.nanoTime() + RETRY_NANOS;
            }
        }
    }

    @Override
    public void close() {
        running = false;
        synchronized (lock) {
            lock.notifyAll();
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
