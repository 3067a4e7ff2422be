package io.meshfed.model.inventory;

import java.util.Map;

/**
 * One cluster's service mesh control plane.
 *
 * @param name          the ServiceMeshControlPlane's name, also the name the peers know this mesh by
 * @param namespace     the control-plane namespace
 * @param trustDomain   {@code security.trust.domain}
 * @param version       the SMCP {@code spec.version}, for example {@code v2.3}
 * @param smcpOverrides deep-merged over the rendered SMCP spec (for anything meshfed has no key for)
 */
public record MeshSpec(String name, String namespace, String trustDomain, String version,
                       Map<String, Object> smcpOverrides) {

    public MeshSpec {
        smcpOverrides = Map.copyOf(smcpOverrides);
    }
}
