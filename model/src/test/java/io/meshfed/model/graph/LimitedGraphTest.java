package io.meshfed.model.graph;

import io.meshfed.model.Fixtures;
import io.meshfed.model.render.FederationRenderer;
import io.meshfed.model.resource.DesiredObject;
import io.meshfed.model.resource.ObjectRef;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** apply --limit's graph: one cluster's objects, and what they read from the others as observations only. */
class LimitedGraphTest {

    @Test
    @DisplayName("limited to green: every green object and edge, blue's CA and ingress address as observations, nothing "
            + "of blue written; destroy's part has no blue node at all")
    void limitedToGreen() {
        ResourceGraph full = FederationRenderer.graph(Fixtures.fullMesh("blue", "green", "red"));
        ResourceGraph green = full.limitedTo(Set.of("green"));
        long greenNodes = full.nodes().stream().filter(n -> n.ref().cluster().equals("green")).count();
        assertThat(green.nodes().stream().filter(n -> n.ref().cluster().equals("green")).count()).isEqualTo(greenNodes);
        assertThat(green.nodes()).filteredOn(n -> !n.ref().cluster().equals("green"))
                .allSatisfy(n -> assertThat(n.managed()).as(n.ref().id()).isFalse())
                .extracting(DesiredObject::ref).containsExactlyInAnyOrder(
                        new ObjectRef("blue", "v1", "ConfigMap", "blue-mesh-system", "istio-ca-root-cert"),
                        new ObjectRef("blue", "v1", "Service", "blue-mesh-system", "ingress-green-mesh"),
                        new ObjectRef("red", "v1", "ConfigMap", "red-mesh-system", "istio-ca-root-cert"),
                        new ObjectRef("red", "v1", "Service", "red-mesh-system", "ingress-green-mesh"));
        assertThat(green.edges()).allSatisfy(e -> assertThat(e.dependent().cluster()).isEqualTo("green"))
                .anySatisfy(e -> assertThat(e.dependency().cluster()).isEqualTo("blue"));
        assertThat(full.on(Set.of("green")).nodes()).allSatisfy(n -> assertThat(n.ref().cluster()).isEqualTo("green"));
    }
}
