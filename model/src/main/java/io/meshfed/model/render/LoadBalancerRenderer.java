package io.meshfed.model.render;

import io.meshfed.model.inventory.ClusterSpec;
import io.meshfed.model.inventory.LoadBalancerSpec;
import io.meshfed.model.resource.Readiness;
import io.meshfed.model.resource.Tree;

import java.util.List;
import java.util.Map;

/**
 * MetalLB's operand, address pool and L2 advertisement, for clusters without a cloud load balancer.
 * All three live in the MetalLB namespace: MetalLB reads pools only from its own namespace.
 */
final class LoadBalancerRenderer {

    static final String METALLB_API = "metallb.io/v1beta1";

    private LoadBalancerRenderer() {
    }

    static void render(ClusterSpec cluster, Rendering out) {
        LoadBalancerSpec lb = cluster.loadBalancer();
        if (lb.type() != LoadBalancerSpec.Type.METALLB) {
            return;
        }
        String ns = lb.namespace();
        out.namespace(cluster.name(), ns);
        out.managed(cluster.name(), METALLB_API, "MetalLB", ns, "metallb", Map.of(), Readiness.EXISTS,
                "load balancer", Tags.LB_CONFIG);
        out.managed(cluster.name(), METALLB_API, "IPAddressPool", ns, lb.poolName(),
                Tree.map("spec", Tree.map("addresses", List.copyOf(lb.addresses()))), Readiness.EXISTS,
                "load balancer", Tags.LB_CONFIG);
        out.managed(cluster.name(), METALLB_API, "L2Advertisement", ns, lb.poolName(),
                Tree.map("spec", Tree.map("ipAddressPools", List.of(lb.poolName()))), Readiness.EXISTS,
                "load balancer", Tags.LB_CONFIG);
    }
}
