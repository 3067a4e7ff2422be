package io.meshfed.model.resource;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LiveValueTest {

    private static final ObjectRef SERVICE = new ObjectRef("blue", "v1", "Service", "blue-mesh-system", "ingress-green-mesh");
    private static final LiveValue ADDRESS = LiveValue.of(SERVICE, "status", "loadBalancer", "ingress", 0,
            new LiveValue.OneOf(List.of("ip", "hostname")));

    private static Map<String, Object> service(Map<String, Object> ingress) {
        return Tree.map("status", Tree.map("loadBalancer", Tree.map("ingress", List.of(ingress))));
    }

    @Test
    @DisplayName("a load balancer's address: its IP (MetalLB, Azure, GCP, OpenStack) or its hostname (AWS)")
    void ipOrHostname() {
        assertThat(ADDRESS.readFrom(service(Map.of("ip", "20.51.7.9")))).isEqualTo("20.51.7.9");
        assertThat(ADDRESS.readFrom(service(Map.of("hostname", "a1b2.elb.us-east-1.amazonaws.com"))))
                .isEqualTo("a1b2.elb.us-east-1.amazonaws.com");
        assertThat(ADDRESS.readFrom(service(Map.of("ipMode", "VIP")))).isNull();
        assertThat(ADDRESS.jsonPath()).isEqualTo("{.status.loadBalancer.ingress[0]['ip','hostname']}");
    }
}
