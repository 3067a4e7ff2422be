package io.meshfed.cli;

import io.meshfed.model.inventory.Inventory;
import io.meshfed.provisioner.apply.ClusterClient;
import io.meshfed.provisioner.apply.Connections;
import io.meshfed.provisioner.apply.RetryPolicy;
import io.meshfed.provisioner.simulate.SimulatedInventory;
import io.meshfed.provisioner.simulate.Simulation;
import io.meshfed.provisioner.simulate.SimulationTiming;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
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
        Simulation simulation = run.simulate ? SimulatedInventory.start(inventory, SimulationTiming.DEFAULT) : null;
        Map<String, ClusterClient> clients = Connections.open(inventory, run.forks, run.maxRequests, RetryPolicy.DEFAULT,
                simulation == null ? null : name -> simulation.require(name).config("meshfed"));
        clients.values().forEach(c -> c.observe(observer));
        Session session = new Session(simulation, clients);
        if (simulation != null) {
            spec.commandLine().getOut().println("simulated clusters: " + String.join(", ", simulation.clusters().stream()
                    .map(c -> c.name() + " " + c.url()).toList()));
        }
        List<Connections.Unreachable> unreachable = Connections.check(inventory, clients, simulation != null);
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
            err.println("error: nothing was written; fix the connection or remove the cluster from the inventory");
            err.flush();
            session.close();
            return null;
        }
        return session;
    }

    @Override
    public void close() {
        clients.values().forEach(ClusterClient::close);
        if (simulation != null) {
            simulation.close();
        }
    }
}
