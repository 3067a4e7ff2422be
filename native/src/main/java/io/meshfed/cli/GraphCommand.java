package io.meshfed.cli;

import io.meshfed.model.graph.GraphFormats;
import io.meshfed.model.graph.GraphOverview;
import io.meshfed.model.graph.ResourceGraph;
import io.meshfed.model.render.FederationRenderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code meshfed graph}: the dependency graph over all clusters. */
@Command(name = "graph", mixinStandardHelpOptions = true,
        description = {"Prints the dependency graph of every object over all clusters.",
                "Edges point from what must be ready first to what waits for it; dashed blue edges carry a value from "
                        + "another cluster. dot and mermaid draw an overview (namespaces as boxes, only the edges no "
                        + "other path implies, a legend); --full draws every object and edge with its rule."})
public class GraphCommand implements Callable<Integer> {

    enum Format { dot, mermaid, json, text }

    @Mixin
    InventoryOption inventory;

    @Option(names = {"-o", "--output"}, defaultValue = "dot", paramLabel = "FORMAT",
            description = "dot (default, Graphviz), mermaid, json or text.")
    Format format;

    @Option(names = "--full", description = "dot and mermaid: every object (Namespaces too) and every edge, labelled "
            + "with the rule that made it, instead of the overview.")
    boolean full;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ResourceGraph graph = FederationRenderer.graph(inventory.load());
        String out = switch (format) {
            case dot -> full ? GraphFormats.dot(graph) : GraphOverview.dot(graph);
            case mermaid -> full ? GraphFormats.mermaid(graph) : GraphOverview.mermaid(graph);
            case json -> Output.json(GraphFormats.tree(graph));
            case text -> GraphFormats.text(graph);
        };
        spec.commandLine().getOut().print(out);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
