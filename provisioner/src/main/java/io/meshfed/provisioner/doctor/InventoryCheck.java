package io.meshfed.provisioner.doctor;

import io.meshfed.model.doctor.Finding;
import io.meshfed.model.doctor.InventoryComparison;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.model.render.FederationRenderer;
import io.meshfed.provisioner.apply.ClusterClient;
import io.meshfed.provisioner.apply.InventoryRecords;
import io.meshfed.provisioner.apply.Planner;

import io.meshfed.provisioner.trust.IntermediateCas;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * {@code doctor -i}'s first check: plan's comparison (a server-side dry run per object) of each
 * cluster with what the inventory renders. An account that may not read objects one by one or
 * dry-run them (the doctor's read-only role) gets the comparison as unknown, not a failure.
 */
public final class InventoryCheck {

    private InventoryCheck() {
    }

    /** A finding per cluster of the inventory; {@code unreachable} clusters make the comparison unknown. */
    public static Map<String, Finding> compare(Inventory inventory, Map<String, ClusterClient> clients,
                                               Collection<String> unreachable) {
        List<String> clusters = inventory.clusters().stream().map(c -> c.name()).toList();
        if (!unreachable.isEmpty()) {
            return InventoryComparison.notCompared(clusters, String.join(", ", unreachable) + " cannot be reached");
        }
        List<Planner.Entry> entries = new Planner(clients, new InventoryRecords(clients, inventory), false, io.meshfed.provisioner.apply.TrustRoots.issuer(inventory, clients),
                new io.meshfed.provisioner.trust.ReaderTokens(java.time.Clock.systemUTC()))
                .plan(FederationRenderer.graph(inventory));
        Planner.Entry unknown = entries.stream().filter(e -> e.action().equals(Planner.UNKNOWN)).findFirst().orElse(null);
        if (unknown != null) {
            return InventoryComparison.notCompared(clusters, "the comparison reads each object and asks the server for "
                    + "dry-run applies, which this account may not do (" + unknown.note() + ")");
        }
        return InventoryComparison.findings(clusters, entries.stream()
                .map(e -> new InventoryComparison.Planned(e.ref(), e.action())).toList());
    }
}
