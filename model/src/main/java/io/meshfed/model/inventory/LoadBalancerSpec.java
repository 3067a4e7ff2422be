package io.meshfed.model.inventory;

import java.util.List;
import java.util.Map;

/**
 * How the cluster gets LoadBalancer addresses for the federation ingress gateways.
 *
 * @param type        METALLB (bare metal: meshfed installs MetalLB) or CLOUD (the cloud provider does it)
 * @param addresses   MetalLB address ranges or CIDRs (empty for CLOUD)
 * @param namespace   where the MetalLB operator, its operand and its pool live
 * @param poolName    the IPAddressPool's and L2Advertisement's name
 * @param annotations annotations for the federation ingress Services (for example an AWS NLB)
 */
public record LoadBalancerSpec(Type type, List<String> addresses, String namespace, String poolName,
                               Map<String, String> annotations) {

    public enum Type { METALLB, CLOUD }

    public LoadBalancerSpec {
        addresses = List.copyOf(addresses);
        annotations = Map.copyOf(annotations);
    }

}
