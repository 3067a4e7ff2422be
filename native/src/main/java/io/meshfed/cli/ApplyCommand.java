package io.meshfed.cli;

import io.meshfed.model.graph.GraphBuilder;
import io.meshfed.model.graph.ResourceGraph;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.model.render.FederationRenderer;
import io.meshfed.provisioner.apply.ClusterClient;
import io.meshfed.provisioner.apply.Connections;
import io.meshfed.provisioner.apply.GraphExecutor;
import io.meshfed.provisioner.apply.RunOptions;
import io.meshfed.provisioner.apply.RunResult;
import io.meshfed.provisioner.apply.RetryPolicy;
import io.meshfed.provisioner.simulate.SimulatedInventory;
import io.meshfed.provisioner.simulate.Simulation;
import io.meshfed.provisioner.simulate.SimulationTiming;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code meshfed apply} (and {@code destroy}): converge the clusters to the inventory. */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = {"Converges every cluster of the inventory to what it describes: one run over the whole graph,",
                "all clusters at once, writing only what differs, waiting for each object to be ready."})
public class ApplyCommand implements Callable<Integer> {

    @Mixin
    InventoryOption inventory;

    @Mixin
    RunMixin run;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return execute(inventory, run, spec, GraphExecutor.Mode.APPLY);
    }

    static int execute(InventoryOption inventory, RunMixin run, CommandSpec spec, GraphExecutor.Mode mode) {
        Inventory inv = inventory.load();
        ResourceGraph graph = GraphBuilder.withDefaultRules().build(FederationRenderer.render(inv));
        RunOptions options = run.options(spec.commandLine());
        PrintWriter out = spec.commandLine().getOut();
        long start = System.nanoTime();
        Simulation simulation = run.simulate ? SimulatedInventory.start(inv, SimulationTiming.DEFAULT) : null;
        Map<String, ClusterClient> clients = null;
        try {
            if (simulation != null) {
                out.println("simulated clusters: " + String.join(", ", simulation.clusters().stream()
                        .map(c -> c.name() + " " + c.url()).toList()));
            }
            clients = Connections.open(inv, run.forks, RetryPolicy.DEFAULT,
                    simulation == null ? null : name -> simulation.require(name).config("meshfed"));
            List<Connections.Unreachable> unreachable = Connections.check(inv, clients, simulation != null);
            if (!unreachable.isEmpty()) {
                unreachable.forEach(u -> spec.commandLine().getErr().println("error: cannot reach " + u));
                spec.commandLine().getErr().println("error: nothing was written; fix the connection or remove the cluster "
                        + "from the inventory");
                spec.commandLine().getErr().flush();
                return ExitCodes.UNREACHABLE;
            }
            out.printf("%s %d objects on %d clusters (%d edges)%n", mode == GraphExecutor.Mode.APPLY ? "applying" : "destroying",
                    graph.nodes().size(), inv.clusters().size(), graph.edges().size());
            out.flush();
            RunResult result = new GraphExecutor(clients, options, new ProgressPrinter(out, run.verbose), inv.name())
                    .run(graph, mode);
            out.println();
            out.print(result.recapText());
            out.printf("%d changed in %.1f s%s%n", result.changed(), (System.nanoTime() - start) / 1e9,
                    result.changed() == 0 && result.succeeded() ? " (nothing to do: already converged)" : "");
            for (var failure : result.failures()) {
                out.println("failed: " + failure.ref().id() + ": " + failure.message());
            }
            out.flush();
            return result.succeeded() ? ExitCodes.OK : ExitCodes.FAILED;
        } finally {
            if (clients != null) {
                clients.values().forEach(ClusterClient::close);
            }
            if (simulation != null) {
                simulation.close();
            }
        }
    }
}
