package io.meshfed.model;

import io.meshfed.model.inventory.ClusterSpec;
import io.meshfed.model.inventory.Connection;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.model.inventory.LoadBalancerSpec;
import io.meshfed.model.inventory.MeshSpec;
import io.meshfed.model.inventory.OperatorRole;
import io.meshfed.model.inventory.OperatorSpec;
import io.meshfed.model.inventory.Peering;
import io.meshfed.model.inventory.Topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Inventories built in code, with the seed's defaults, for tests that need no files. */
public final class Fixtures {

    private Fixtures() {
    }

    public static ClusterSpec cluster(String name) {
        LoadBalancerSpec lb = new LoadBalancerSpec(LoadBalancerSpec.Type.METALLB, List.of("10.0.0.1-10.0.0.9"),
                "metallb-system", "l2-pool", Map.of());
        List<OperatorSpec> operators = new ArrayList<>();
        for (OperatorRole role : OperatorRole.values()) {
            operators.add(new OperatorSpec(role, role.defaultPackage(), role.defaultChannel(), "redhat-operators",
                    "openshift-marketplace", role == OperatorRole.METALLB ? "metallb-system" : role.defaultNamespace(),
                    "Automatic", null, OperatorSpec.Approve.NONE));
        }
        return new ClusterSpec(name, new Connection(name, null, false),
                new MeshSpec(name + "-mesh", name + "-mesh-system", name + "-mesh.local", "v2.3", Map.of()),
                lb, operators, List.of(), List.of());
    }

    /** {@code n} clusters c00, c01, ... in full mesh. */
    public static Inventory fullMesh(int n) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add(String.format("c%02d", i));
        }
        return fullMesh(names.toArray(String[]::new));
    }

    public static Inventory fullMesh(String... names) {
        List<ClusterSpec> clusters = new ArrayList<>();
        List<Peering> peerings = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            clusters.add(cluster(names[i]));
            for (int j = i + 1; j < names.length; j++) {
                peerings.add(Peering.of(names[i], names[j]));
            }
        }
        return new Inventory("test", clusters, new Topology(peerings, List.of(), List.of(), List.of()));
    }
}
