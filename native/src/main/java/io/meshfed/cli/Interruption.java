package io.meshfed.cli;

import io.meshfed.provisioner.apply.Cancellation;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SIGTERM (a Job's pod stopped, a pipeline cancelled) and SIGINT (Ctrl-C) while meshfed runs: the
 * first one stops the run — no more objects start, waits end, requests in flight finish — and the
 * command prints its recap, writes its reports and exits with {@link ExitCodes#INTERRUPTED_TERM} or
 * {@link ExitCodes#INTERRUPTED_INT}, well inside the 30 s a pod gets. A second one exits at once.
 * Outside a run the JVM's own handling is back.
 */
final class Interruption implements AutoCloseable {

    /** How long a second signal lets the shutdown hooks run before the process ends regardless. */
    private static final java.time.Duration HOOKS = java.time.Duration.ofSeconds(3);

    private final Cancellation cancellation = new Cancellation();
    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
    private final PrintWriter err;
    /**
     * The first signal's exit code, 0 before one came: set atomically, since two signals in quick
     * succession are handled on two threads at once.
     */
    private final AtomicInteger first = new AtomicInteger();

    private Interruption(PrintWriter err) {
        this.err = err;
    }

    static Interruption install(PrintWriter err) {
        Interruption interruption = new Interruption(err);
        interruption.handle("TERM", ExitCodes.INTERRUPTED_TERM);
        interruption.handle("INT", ExitCodes.INTERRUPTED_INT);
        return interruption;
    }

    private void handle(String name, int code) {
        try {
            Signal signal = new Signal(name);
            previous.put(signal, Signal.handle(signal, s -> received(name, code)));
        } catch (IllegalArgumentException e) {
            // a platform without this signal: nothing to handle
        }
    }

    private void received(String name, int code) {
        if (!first.compareAndSet(0, code)) {
            err.println("SIG" + name + " again: exiting now");
            err.flush();
            // the JVM's shutdown hooks stop what meshfed started (simulated control planes); a hook that waits
            // for the run is not waited for
            Thread exit = new Thread(() -> System.exit(exitCode()), "meshfed-exit");
            exit.setDaemon(true);
            exit.start();
            Thread halt = new Thread(() -> {
                try {
                    Thread.sleep(HOOKS.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                Runtime.getRuntime().halt(exitCode());
            }, "meshfed-halt");
            halt.setDaemon(true);
            halt.start();
            return;
        }
        err.println("SIG" + name + ": stopping the run (requests in flight finish; a second signal exits at once)");
        err.flush();
        cancellation.cancel("SIG" + name);
    }

    Cancellation cancellation() {
        return cancellation;
    }

    /** The exit code of an interrupted command (128 + the signal's number, as shells report it). */
    int exitCode() {
        int code = first.get();
        return code == 0 ? ExitCodes.FAILED : code;
    }

    @Override
    public void close() {
        previous.forEach(Signal::handle);
    }
}
