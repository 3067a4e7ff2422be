package io.meshfed.model.inventory;

import java.util.Map;

/**
 * A cluster's OpenShift Service Mesh 3 control plane (the Sail operator's {@code Istio}), one primary of
 * the inventory's multi-primary, multi-network mesh ({@link MultiCluster}).
 *
 * @param clusterName    {@code global.multiCluster.clusterName}: the name the other clusters know this one by
 *                       (their remote secrets' names, keys and annotations)
 * @param network        {@code global.network} and the {@code topology.istio.io/network} label
 * @param version        {@code spec.version} of Istio and IstioCNI, for example {@code v1.30.3}
 * @param updateStrategy {@code InPlace} or {@code RevisionBased}
 * @param apiServer      the API server's URL as the other clusters' pods reach it; null: the one OpenShift
 *                       publishes ({@code Infrastructure cluster}, {@code status.apiServerURL})
 * @param values         deep-merged into the Istio's {@code spec.values} (for anything meshfed has no key for)
 * @param apiServerAt    where the inventory sets {@code apiServer}, for messages
 */
public record IstioSpec(String clusterName, String network, String version, String updateStrategy, String apiServer,
                        Map<String, Object> values, Location apiServerAt) {

    public static final String IN_PLACE = "InPlace";
    public static final String REVISION_BASED = "RevisionBased";

    public IstioSpec {
        values = Map.copyOf(values);
    }
}
