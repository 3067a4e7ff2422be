package io.meshfed.cli;

import io.meshfed.model.inventory.Connection;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.provisioner.apply.ClientSettings;
import io.meshfed.provisioner.apply.ClusterClient;
import io.meshfed.provisioner.apply.Connections;
import io.meshfed.provisioner.apply.RetryPolicy;
import io.meshfed.provisioner.simulate.SimulatedInventory;
import io.meshfed.provisioner.simulate.Simulation;
import io.meshfed.provisioner.simulate.SimulationTiming;
import picocli.CommandLine.Model.CommandSpec;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The clusters of one command: a client per inventory host (after checking that every cluster
 * answers), and with --simulate the simulated clusters behind them.
 */
final class Session implements AutoCloseable {

    final Simulation simulation;
    final Map<String, ClusterClient> clients;
    final java.util.Set<String> unreachable = new java.util.TreeSet<>();

    private Session(Simulation simulation, Map<String, ClusterClient> clients) {
        this.simulation = simulation;
        this.clients = clients;
    }

    /** Null when a cluster cannot be reached; the reasons are printed and nothing was written. */
    static Session open(Inventory inventory, RunMixin run, CommandSpec spec, io.meshfed.provisioner.apply.RequestObserver observer) {
        return open(inventory, run, spec, observer, false);
    }

    /**
     * @param convergedFirst with --simulate, for commands that look at what an apply made (doctor, destroy):
     *                       the clusters, which start empty, are converged to the inventory first, saying so
     */
    static Session open(Inventory inventory, RunMixin run, CommandSpec spec, io.meshfed.provisioner.apply.RequestObserver observer,
                        boolean convergedFirst) {
        run.options(spec.commandLine());   // every option is checked before a cluster is started or reached
        Simulation simulation = run.simulate ? SimulatedInventory.start(inventory, SimulationTiming.DEFAULT) : null;
        if (simulation != null) {
            // on stderr: stdout is the command's own output (doctor -o json in a pipeline)
            spec.commandLine().getErr().println("simulated clusters: " + String.join(", ", simulation.clusters().stream()
                    .map(c -> c.name() + " " + c.url()).toList()));
            spec.commandLine().getErr().flush();
        }
        Session session = open(Connections.of(inventory), simulation, run, spec, observer,
                "fix the connection or remove the cluster from the inventory", made -> loopbackApiServers(inventory, made));
        if (session != null && simulation != null) {
            PrintWriter err = spec.commandLine().getErr();
            if (convergedFirst) {
                long started = System.nanoTime();
                var result = new io.meshfed.provisioner.apply.Runner(session.clients, inventory, run.options(spec.commandLine()),
                        io.meshfed.provisioner.apply.ProgressListener.NONE).apply(
                        io.meshfed.model.render.FederationRenderer.graph(inventory), false, java.util.Set.of(),
                        new io.meshfed.provisioner.apply.Cancellation());
                err.printf("simulated clusters start empty: the inventory was applied to them first (%d objects, %d failed, "
                        + "%.1f s)%n", result.results().size(), result.failures().size(), (System.nanoTime() - started) / 1e9);
            } else if (!"apply".equals(spec.name()) && !"serve".equals(spec.name())) {
                err.println("simulated clusters start empty: what follows is as on clusters meshfed never ran on");
            }
            err.flush();
        }
        return session;
    }

    /**
     * An OSSM 3 cluster's mesh_api_server on loopback is the reading pod's own address, never the cluster's
     * (istioctl create-remote-secret warns of it): refused, unless meshfed itself reaches that cluster on
     * loopback (simulated clusters, a kind cluster on this machine).
     */
    private static void loopbackApiServers(Inventory inventory, Session session) {
        for (io.meshfed.model.inventory.ClusterSpec c : inventory.clusters()) {
            String url = c.multiCluster() ? c.istio().apiServer() : null;
            ClusterClient client = session.clients.get(c.name());
            if (url != null && io.meshfed.model.doctor.MultiClusterDoctor.loopback(url) && client != null
                    && !io.meshfed.model.doctor.MultiClusterDoctor.loopback(client.url())) {
                session.close();
                throw new io.meshfed.inventory.InventoryException(c.istio().apiServerAt(), "host '" + c.name()
                        + "': mesh_api_server " + url + " is a loopback address: the other clusters' istiods would reach "
                        + "their own pod, not " + c.name() + " (meshfed reaches it at " + client.url() + ")");
            }
        }
    }

    /** The clusters of kubeconfig contexts (a command without inventory); null when one cannot be reached. */
    static Session open(Map<String, Connection> contexts, RunMixin run, CommandSpec spec,
                        io.meshfed.provisioner.apply.RequestObserver observer) {
        run.options(spec.commandLine());
        return open(contexts, null, run, spec, observer, "fix the connection or leave the context out", made -> { });
    }

    private static Session open(Map<String, Connection> clusters, Simulation simulation, RunMixin run, CommandSpec spec,
                                io.meshfed.provisioner.apply.RequestObserver observer, String remedy,
                                java.util.function.Consumer<Session> configured) {
        Map<String, ClusterClient> clients = Connections.open(clusters, run.forks, run.maxRequests, RetryPolicy.DEFAULT,
                clientSettings(run.impersonation(spec.commandLine())), simulation == null ? null : name -> simulation.require(name).config("meshfed"));
        clients.values().forEach(c -> c.observe(observer));
        Timings.mark("clients created");
        Session session = new Session(simulation, clients);
        configured.accept(session);   // what the configuration alone refuses, before any cluster is reached
        List<Connections.Unreachable> unreachable = Connections.check(clusters, clients, simulation != null);
        if (!unreachable.isEmpty() && run.skipUnreachable) {
            PrintWriter err = spec.commandLine().getErr();
            unreachable.forEach(u -> {
                err.println("warning: cannot reach " + u + "; going on without it (--skip-unreachable)");
                session.unreachable.add(u.cluster());
            });
            err.flush();
        } else if (!unreachable.isEmpty()) {
            PrintWriter err = spec.commandLine().getErr();
            unreachable.forEach(u -> err.println("error: cannot reach " + u));
            err.println("error: nothing was written; " + remedy);
            err.flush();
            session.close();
            return null;
        }
        return session;
    }

    /**
     * The Quarkus Kubernetes client's proxy and timeout settings (quarkus.kubernetes-client.*, from any
     * SmallRye Config source: system properties, QUARKUS_KUBERNETES_CLIENT_* variables,
     * application.properties), and the command line's impersonation, for every cluster's client.
     */
    static ClientSettings clientSettings(io.meshfed.provisioner.apply.Impersonation impersonation) {
        Config config = ConfigProvider.getConfig();
        String prefix = "quarkus.kubernetes-client.";
        return new ClientSettings(
                config.getOptionalValue(prefix + "http-proxy", String.class).orElse(null),
                config.getOptionalValue(prefix + "https-proxy", String.class).orElse(null),
                config.getOptionalValues(prefix + "no-proxy", String.class).orElse(null),
                config.getOptionalValue(prefix + "proxy-username", String.class).orElse(null),
                config.getOptionalValue(prefix + "proxy-password", String.class).orElse(null),
                config.getOptionalValue(prefix + "request-timeout", Duration.class).orElse(null),
                config.getOptionalValue(prefix + "connection-timeout", Duration.class).orElse(null),
                // every cluster on Quarkus' own Vert.x: a client would otherwise start a Vert.x of its own
                new io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory(
                        io.quarkus.arc.Arc.container().instance(io.vertx.core.Vertx.class).get()),
                impersonation);
    }

    @Override
    public void close() {
        clients.values().forEach(ClusterClient::close);
        if (simulation != null) {
            simulation.close();
        }
    }
}
