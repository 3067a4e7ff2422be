package io.meshfed.model.doctor;

import java.util.List;

/**
 * What one istiod Pod says of the clusters it reads: its {@code /debug/clusterz} answer (port 15014, through
 * the API server's pod proxy, as {@code istioctl remote-clusters} asks it), or why it could not be asked.
 *
 * @param pod      the istiod Pod asked
 * @param clusters each cluster it reads, the local one included (empty when it could not be asked)
 * @param error    why it could not be asked (a 403 on {@code pods/proxy}, unreachable...), or null
 */
public record IstiodView(String pod, List<Cluster> clusters, String error) {

    public IstiodView {
        clusters = List.copyOf(clusters);
    }

    /**
     * One cluster istiod reads.
     *
     * @param id         its cluster name
     * @param secretName the remote secret it came from ({@code namespace/name}; empty for the local cluster)
     * @param syncStatus {@code synced}, {@code syncing}, {@code timeout} (its informers never synced) or {@code closed}
     */
    public record Cluster(String id, String secretName, String syncStatus) {
    }
}
