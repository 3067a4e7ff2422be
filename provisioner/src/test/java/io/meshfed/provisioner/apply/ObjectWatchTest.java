package io.meshfed.provisioner.apply;

import io.meshfed.model.resource.Tree;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ObjectWatchTest {

    private static Map<String, Object> at(String resourceVersion) {
        return Tree.map("metadata", Tree.map("name", "x", "resourceVersion", resourceVersion));
    }

    @Test
    @DisplayName("of two states of an object the later is kept: a cache behind meshfed's own write, or an older event, "
            + "does not go back")
    void laterState() {
        assertThat(ObjectWatch.later(at("812"), at("790"))).isEqualTo(at("812"));
        assertThat(ObjectWatch.later(at("812"), at("813"))).isEqualTo(at("813"));
        assertThat(ObjectWatch.later(at("812"), at("812"))).isEqualTo(at("812"));
        // numbers compared as numbers, not as text
        assertThat(ObjectWatch.later(at("99"), at("100"))).isEqualTo(at("100"));
    }

    @Test
    @DisplayName("what cannot be compared is taken as seen: a resourceVersion that is no number, nothing known, "
            + "an object gone")
    void uncomparable() {
        assertThat(ObjectWatch.later(at("812"), at("a1b2"))).isEqualTo(at("a1b2"));
        assertThat(ObjectWatch.later(null, at("5"))).isEqualTo(at("5"));
        assertThat(ObjectWatch.later(at("5"), null)).isNull();
    }
}
