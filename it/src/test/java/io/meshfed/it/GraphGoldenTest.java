package io.meshfed.it;

import io.meshfed.inventory.InventoryLoader;
import io.meshfed.model.graph.GraphBuilder;
import io.meshfed.model.graph.GraphFormats;
import io.meshfed.model.graph.ResourceGraph;
import io.meshfed.model.render.FederationRenderer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The blue-green graph, compared with a reviewed golden text (kapp's way): any change to the
 * renderers or the ordering rules shows up here as a readable diff. Regenerate with
 * {@code ./meshfed graph -i inventory/blue-green -o text > it/src/test/resources/golden/blue-green.graph.txt}
 * and review the diff.
 */
class GraphGoldenTest {

    private static ResourceGraph graph(String example) {
        return GraphBuilder.withDefaultRules().build(FederationRenderer.render(InventoryLoader.load(Repo.example(example))));
    }

    @Test
    @DisplayName("blue-green's graph matches the reviewed golden text")
    void blueGreenGolden() throws IOException {
        Path golden = Repo.testResource("golden/blue-green.graph.txt");
        assertThat(GraphFormats.text(graph("blue-green"))).isEqualTo(Files.readString(golden));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"blue-green", "triangle", "hub-spoke"})
    @DisplayName("DOT and Mermaid name every node they draw an edge to, and draw every edge")
    void dotAndMermaidConsistent(String example) {
        ResourceGraph graph = graph(example);
        String dot = GraphFormats.dot(graph);
        Set<String> dotNodes = matches(Pattern.compile("^\\s+(n\\d+) \\[label=", Pattern.MULTILINE), dot);
        Set<String> dotEdgeEnds = new HashSet<>();
        Matcher e = Pattern.compile("^\\s+(n\\d+) -> (n\\d+)", Pattern.MULTILINE).matcher(dot);
        int dotEdges = 0;
        while (e.find()) {
            dotEdgeEnds.add(e.group(1));
            dotEdgeEnds.add(e.group(2));
            dotEdges++;
        }
        assertThat(dotNodes).hasSize(graph.nodes().size());
        assertThat(dotNodes).containsAll(dotEdgeEnds);
        assertThat(dotEdges).isEqualTo(graph.edges().size());

        String mermaid = GraphFormats.mermaid(graph);
        assertThat(mermaid).startsWith("flowchart LR\n");
        assertThat(mermaid.lines().filter(l -> l.contains("-->|") || l.contains("-.->|"))).hasSize(graph.edges().size());
        assertThat(matches(Pattern.compile("^\\s+(n\\d+)[\\[(]", Pattern.MULTILINE), mermaid)).hasSize(graph.nodes().size());
    }

    private static Set<String> matches(Pattern pattern, String text) {
        Set<String> found = new HashSet<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
