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

    ProgressPrinter(PrintWriter out, boolean verbose, RunState state) {
        this.out = out;
        this.verbose = verbose;
        this.state = state;
    }

    @Override
    public synchronized void finished(NodeResult r) {
        state.finished(r);
        if (r.outcome() == NodeResult.Outcome.OK && !verbose) {
            return;
        }
        String status = switch (r.outcome()) {
            case OK -> "ok";
            case CHANGED -> "changed";
            case FAILED -> "failed";
            case SKIPPED -> "skipped";
            case UNREACHABLE -> "unreachable";
        };
        out.printf("%-8s [%s] %s (%s, %.1fs)%s%n", status + ":", r.ref().cluster(), describe(r.ref()), r.action(),
                r.duration().toMillis() / 1000.0, r.succeeded() ? "" : ": " + r.message());
        out.flush();
    }

    @Override
    public synchronized void waiting(ObjectRef ref, String reason) {
        out.printf("waiting: [%s] %s: %s%n", ref.cluster(), describe(ref), reason);
        out.flush();
    }

    @Override
    public synchronized void retried(ObjectRef ref, String what) {
        out.printf("retry:   [%s] %s: %s%n", ref.cluster(), describe(ref), what);
        out.flush();
    }

    private static String describe(ObjectRef ref) {
        return ref.kind() + " " + (ref.namespace() == null ? "" : ref.namespace() + "/") + ref.name();
    }
}
