package io.meshfed.provisioner.apply;

import io.meshfed.model.graph.Edge;
import io.meshfed.model.graph.ResourceGraph;
import io.meshfed.model.resource.DesiredObject;
import io.meshfed.model.resource.ObjectRef;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import io.meshfed.provisioner.trust.IntermediateCas;
import io.meshfed.provisioner.trust.ReaderTokens;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Walks a {@link ResourceGraph} over all clusters at once.
 * <ul>
 *   <li>Apply: a node starts as soon as every node it depends on is ready, on any cluster, so the wall
 *       time approaches the graph's critical path. Destroy walks the edges backwards: a node is deleted
 *       once everything that depends on it is gone.</li>
 *   <li>A node that fails marks everything downstream of it SKIPPED (naming the root cause), and the
 *       rest of the graph goes on.</li>
 *   <li>Each node runs on its own virtual thread; requests per cluster are bounded by its
 *       {@link ClusterClient}. The run is bounded by {@link RunOptions#totalTimeout()}: at the end,
 *       nodes still running fail with what they were waiting for, nodes not started are skipped.</li>
 * </ul>
 */
public final class GraphExecutor {

    public enum Mode { APPLY, DESTROY }

    private final Map<String, ClusterClient> clients;
    private final RunOptions options;
    private final ProgressListener progress;
    private final InventoryRecords records;
    private final IntermediateCas cas;
    private final ReaderTokens tokens;

    /**
     * @param records the inventory's records on the clusters: who created what; what the walk creates and
     *                deletes is recorded there (the caller writes them: {@link Runner})
     */
    public GraphExecutor(Map<String, ClusterClient> clients, RunOptions options, ProgressListener progress,
                         InventoryRecords records) {
        this(clients, options, progress, records, IntermediateCas.NONE);
    }

    /** @param cas issues the OSSM 3 clusters' intermediate CAs (cacerts) */
    public GraphExecutor(Map<String, ClusterClient> clients, RunOptions options, ProgressListener progress,
                         InventoryRecords records, IntermediateCas cas) {
        this.clients = Map.copyOf(clients);
        this.options = options;
        this.progress = progress;
        this.records = records;
        this.cas = cas;
        this.tokens = new ReaderTokens(options.clock());
    }

    public RunResult run(ResourceGraph graph, Mode mode) {
        return run(graph, mode, Set.of());
    }

    /**
     * A run that leaves out the clusters in {@code unreachable}: their nodes are UNREACHABLE and what
     * depends on them, on any cluster, is skipped.
     */
    public RunResult run(ResourceGraph graph, Mode mode, Set<String> unreachable) {
        return run(graph, mode, unreachable, new Cancellation());
    }

    /**
     * A run that stops when {@code cancel} asks: no node starts after that, waiting nodes stop waiting,
     * requests in flight end (for up to {@link #DRAIN}); the nodes that did not run say so.
     */
    public RunResult run(ResourceGraph graph, Mode mode, Set<String> unreachable, Cancellation cancel) {
        return new Walk(graph, mode, unreachable, cancel).run();
    }

    /** How long an interrupted run waits for the requests in flight (a request takes milliseconds; a wait ends at once). */
    static final Duration DRAIN = Duration.ofSeconds(5);

    /** One run's bookkeeping. All mutation of the maps below happens under {@code this}'s lock. */
    private final class Walk implements NodeTask.Context {
        private final ResourceGraph graph;
        private final Mode mode;
        private final Set<String> unreachable;
        private final Map<ObjectRef, Integer> blockers = new HashMap<>();
        private final Map<ObjectRef, NodeResult> results = new ConcurrentHashMap<>();
        private final Map<ObjectRef, Map<String, Object>> published = new ConcurrentHashMap<>();
        private final Map<ObjectRef, String> waitingFor = new ConcurrentHashMap<>();
        private final Set<ObjectRef> started = new HashSet<>();
        private final CountDownLatch done;
        private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        private final Cancellation cancel;

        Walk(ResourceGraph graph, Mode mode, Set<String> unreachable, Cancellation cancel) {
            this.graph = graph;
            this.mode = mode;
            this.unreachable = Set.copyOf(unreachable);
            this.done = new CountDownLatch(graph.nodes().size());
            this.cancel = cancel;
        }

        RunResult run() {
            List<RunResult.Warning> ended = new ArrayList<>();
            synchronized (this) {
                for (DesiredObject node : graph.nodes()) {
                    blockers.put(node.ref(), upstream(node.ref()).size());
                }
                List<ObjectRef> gone = new ArrayList<>();
                for (DesiredObject node : graph.nodes()) {
                    if (unreachable.contains(node.ref().cluster())) {
                        NodeResult r = new NodeResult(node.ref(), NodeResult.Outcome.UNREACHABLE, "unreachable",
                                Duration.ZERO, "cluster " + node.ref().cluster() + " could not be reached", System.nanoTime(), 0);
                        results.put(node.ref(), r);
                        done.countDown();
                        progress.finished(r);
                        gone.add(node.ref());
                    }
                }
                for (ObjectRef ref : gone) {
                    downstream(ref).forEach(next -> skip(next, ref));
                }
                for (DesiredObject node : graph.nodes()) {
                    if (!results.containsKey(node.ref()) && blockers.get(node.ref()) == 0) {
                        start(node);
                    }
                }
            }
            try {
                long deadline = System.nanoTime() + options.totalTimeout().toNanos();
                boolean finished = false;
                while (!finished && !cancel.cancelled() && System.nanoTime() < deadline) {
                    finished = done.await(Math.min(100, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)),
                            TimeUnit.MILLISECONDS);
                }
                if (!finished && cancel.cancelled()) {
                    interrupted();
                } else if (!finished) {
                    timeOut();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                timeOut();
            } finally {
                pool.shutdownNow();
                for (ClusterClient client : clients.values()) {
                    try {
                        client.endWatches();
                    } catch (RuntimeException e) {   // ending the watches never takes the run's results with it
                        ended.add(new RunResult.Warning(client.name(), "its watches did not end cleanly: " + e.getMessage()));
                    }
                }
            }
            List<NodeResult> ordered = new ArrayList<>();
            for (DesiredObject node : graph.nodes()) {
                ordered.add(results.get(node.ref()));
            }
            return new RunResult(ordered, ended, cancel.reason());
        }

        /**
         * The run was asked to stop: nothing more starts (see {@link #start}); the nodes in flight end
         * their request or stop waiting (they check {@link #cancelled()}), for up to {@link #DRAIN};
         * what has not ended then is marked.
         */
        private void interrupted() throws InterruptedException {
            synchronized (this) {
                for (DesiredObject node : graph.nodes()) {
                    if (!results.containsKey(node.ref()) && !started.contains(node.ref())) {
                        notRun(node.ref());
                    }
                }
            }
            done.await(DRAIN.toMillis(), TimeUnit.MILLISECONDS);
            synchronized (this) {
                for (DesiredObject node : graph.nodes()) {
                    if (!results.containsKey(node.ref())) {
                        NodeResult r = new NodeResult(node.ref(), NodeResult.Outcome.FAILED, "interrupted", Duration.ZERO,
                                "interrupted (" + cancel.reason() + ") while waiting: "
                                        + waitingFor.getOrDefault(node.ref(), "a request in flight"), System.nanoTime(), 0);
                        results.put(node.ref(), r);
                        done.countDown();
                        progress.finished(r);
                    }
                }
            }
        }

        private void notRun(ObjectRef ref) {
            NodeResult r = new NodeResult(ref, NodeResult.Outcome.SKIPPED, "not run", Duration.ZERO,
                    "not run: the run was interrupted (" + cancel.reason() + ")", System.nanoTime(), 0);
            results.put(ref, r);
            done.countDown();
            progress.finished(r);
        }

        private List<ObjectRef> upstream(ObjectRef ref) {
            List<Edge> edges = mode == Mode.APPLY ? graph.dependencies(ref) : graph.dependents(ref);
            return edges.stream().map(e -> mode == Mode.APPLY ? e.dependency() : e.dependent()).distinct().toList();
        }

        private List<ObjectRef> downstream(ObjectRef ref) {
            List<Edge> edges = mode == Mode.APPLY ? graph.dependents(ref) : graph.dependencies(ref);
            return edges.stream().map(e -> mode == Mode.APPLY ? e.dependent() : e.dependency()).distinct().toList();
        }

        private void start(DesiredObject node) {
            if (cancel.cancelled()) {
                notRun(node.ref());
                return;
            }
            started.add(node.ref());
            pool.submit(() -> {
                long begun = System.nanoTime();
                NodeResult result;
                try {
                    NodeTask task = new NodeTask(node, this);
                    result = mode == Mode.APPLY ? task.apply() : task.destroy();
                } catch (Throwable e) {   // whatever escapes a task ends its node at once, not the run's timeout
                    result = new NodeResult(node.ref(), NodeResult.Outcome.FAILED, "error",
                            Duration.ofNanos(System.nanoTime() - begun), node.ref().cluster() + ": " + e, begun, 0);
                }
                finish(result);
            });
        }

        private synchronized void finish(NodeResult result) {
            if (results.putIfAbsent(result.ref(), result) != null) {
                return; // timed out meanwhile
            }
            waitingFor.remove(result.ref());
            done.countDown();
            progress.finished(result);
            for (ObjectRef next : downstream(result.ref())) {
                if (!result.succeeded()) {
                    skip(next, result.ref());
                } else if (!results.containsKey(next)) {
                    int left = blockers.merge(next, -1, Integer::sum);
                    if (left == 0) {
                        start(graph.node(next));
                    }
                }
            }
        }

        /** Marks a node and everything downstream of it skipped, naming the root cause. */
        private void skip(ObjectRef ref, ObjectRef cause) {
            if (results.containsKey(ref) || started.contains(ref)) {
                return;
            }
            NodeResult causeResult = results.get(cause);
            String why = causeResult != null && causeResult.outcome() == NodeResult.Outcome.SKIPPED
                    ? causeResult.message()
                    : "skipped: " + cause.id() + (causeResult != null && causeResult.outcome() == NodeResult.Outcome.UNREACHABLE
                    ? " is on an unreachable cluster" : " failed");
            NodeResult skipped = new NodeResult(ref, NodeResult.Outcome.SKIPPED, "skipped", Duration.ZERO, why,
                    System.nanoTime(), 0);
            results.put(ref, skipped);
            done.countDown();
            progress.finished(skipped);
            for (ObjectRef next : downstream(ref)) {
                skip(next, ref);
            }
        }

        private synchronized void timeOut() {
            String limit = RunOptions.describe(options.totalTimeout());
            for (DesiredObject node : graph.nodes()) {
                ObjectRef ref = node.ref();
                if (results.containsKey(ref)) {
                    continue;
                }
                NodeResult r = started.contains(ref)
                        ? new NodeResult(ref, NodeResult.Outcome.FAILED, "timeout", options.totalTimeout(),
                                "the run timed out after " + limit + " while waiting: " + waitingFor.getOrDefault(ref, "?"),
                                System.nanoTime(), 0)
                        : new NodeResult(ref, NodeResult.Outcome.SKIPPED, "skipped", Duration.ZERO,
                                "skipped: the run timed out after " + limit + " before it could start", System.nanoTime(), 0);
                results.put(ref, r);
                done.countDown();
                progress.finished(r);
            }
        }

        @Override
        public ClusterClient client(String cluster) {
            ClusterClient client = clients.get(cluster);
            if (client == null) {
                throw new IllegalStateException("no connection to cluster " + cluster);
            }
            return client;
        }

        @Override
        public Map<String, Object> published(ObjectRef ref) {
            return published.get(ref);
        }

        @Override
        public void publish(ObjectRef ref, Map<String, Object> live) {
            published.put(ref, live);
        }

        @Override
        public RunOptions options() {
            return options;
        }

        @Override
        public ProgressListener progress() {
            return progress;
        }

        @Override
        public void waitingFor(ObjectRef ref, String reason) {
            waitingFor.put(ref, reason);
        }

        @Override
        public InventoryRecords records() {
            return records;
        }

        @Override
        public IntermediateCas cas() {
            return cas;
        }

        @Override
        public ReaderTokens tokens() {
            return tokens;
        }

        @Override
        public String cancelled() {
            return cancel.reason();
        }
    }
}
