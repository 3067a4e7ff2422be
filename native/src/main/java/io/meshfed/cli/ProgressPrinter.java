package io.meshfed.cli;

import io.meshfed.model.resource.ObjectRef;
import io.meshfed.provisioner.apply.NodeResult;
import io.meshfed.provisioner.apply.ProgressListener;

import java.io.PrintWriter;

/**
 * Ansible-style lines as nodes finish: {@code changed: [blue] ServiceMeshPeer blue-mesh-system/green-mesh (create, 1.2s)};
 * unchanged objects only with --verbose; waits and retries as they happen.
 */
final class ProgressPrinter implements ProgressListener {

    private final PrintWriter out;
    private final boolean verbose;
    private final RunState state;
    private final boolean color;
    private final java.util.Set<String> unreachableClusters = new java.util.HashSet<>();
    private final java.util.Map<ObjectRef, String> diffs = new java.util.concurrent.ConcurrentHashMap<>();
    private boolean showDiffs;

    ProgressPrinter(PrintWriter out, boolean verbose, RunState state) {
        this(out, verbose, state, colorTerminal());
    }

    ProgressPrinter(PrintWriter out, boolean verbose, RunState state, boolean color) {
        this.out = out;
        this.verbose = verbose;
        this.state = state;
        this.color = color;
    }

    /** Colors on a terminal, as Ansible does; plain lines in pipelines, files, and with NO_COLOR or TERM=dumb. */
    static boolean colorTerminal() {
        return System.console() != null && System.getenv("NO_COLOR") == null
                && !"dumb".equals(System.getenv("TERM")) && System.getenv("CI") == null;
    }

    private String paint(String text, NodeResult.Outcome outcome) {
        if (!color) {
            return text;
        }
        String code = switch (outcome) {
            case OK -> "32";
            case CHANGED -> "33";
            case FAILED, UNREACHABLE -> "31";
            case SKIPPED -> "36";
        };
        return "\u001b[" + code + "m" + text + "\u001b[0m";
    }

    @Override
    public synchronized void finished(NodeResult r) {
        state.finished(r);
        boolean kept = r.action().equals("kept");   // a namespace kept for what is in it: always said, with what
        if (r.outcome() == NodeResult.Outcome.OK && !verbose && !kept) {
            return;
        }
        if (r.outcome() == NodeResult.Outcome.UNREACHABLE) {
            // one line per cluster left out, not one per object
            if (unreachableClusters.add(r.ref().cluster())) {
                out.printf("%s [%s] the cluster could not be reached: its objects were left out%n",
                        paint(String.format("%-8s", "unreachable:"), r.outcome()), r.ref().cluster());
                out.flush();
            }
            return;
        }
        String status = switch (r.outcome()) {
            case OK -> "ok";
            case CHANGED -> "changed";
            case FAILED -> "failed";
            case SKIPPED -> "skipped";
            case UNREACHABLE -> "unreachable";
        };
        out.printf("%s [%s] %s (%s, %.1fs)%s%n", paint(String.format("%-8s", status + ":"), r.outcome()), r.ref().cluster(),
                r.ref().describe(), r.action(),
                r.duration().toMillis() / 1000.0, r.succeeded() && !kept && !r.message().startsWith("no longer in") ? ""
                        : ": " + r.message());
        String diff = diffs.remove(r.ref());
        if (diff != null) {
            out.print(diff);
        }
        out.flush();
    }

    @Override
    public void milestone(String what) {
        Timings.mark(what);
    }

    /** apply --diff: each change's diff after its line, as Ansible's --diff shows them. */
    ProgressPrinter withDiffs(boolean show) {
        this.showDiffs = show;
        return this;
    }

    @Override
    public boolean wantsDiffs() {
        return showDiffs;
    }

    @Override
    public void changed(ObjectRef ref, String diff) {
        diffs.put(ref, diff);
    }

    @Override
    public synchronized void waiting(ObjectRef ref, String reason) {
        out.printf("waiting: [%s] %s: %s%n", ref.cluster(), ref.describe(), reason);
        out.flush();
    }

    @Override
    public synchronized void retried(ObjectRef ref, String what) {
        out.printf("retry:   [%s] %s: %s%n", ref.cluster(), ref.describe(), what);
        out.flush();
    }
}
