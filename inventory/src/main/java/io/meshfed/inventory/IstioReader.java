package io.meshfed.inventory;

import io.meshfed.model.inventory.IstioSpec;
import io.meshfed.model.text.Quoted;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.regex.Pattern;

import static io.meshfed.inventory.HostKeys.*;

/**
 * Reads the keys of a host with {@code mesh_generation: ossm3}: its place in the inventory's OpenShift
 * Service Mesh 3 multi-cluster mesh. Defaults: the cluster is named after the host and is a network of
 * its own (multi-network: every cluster reaches the others through their east-west gateways), the
 * control plane updates in place, and the other clusters reach its API server at the URL OpenShift
 * publishes for it.
 */
final class IstioReader {

    static final String DEFAULT_VERSION = "v1.30-latest";
    /** The Sail operator's spec.version: a release, or a minor version's latest. */
    static final Pattern VERSION = Pattern.compile("v1\\.(\\d+)(\\.\\d+|-latest)(-[a-z0-9.]+)?");
    /** Leaves room for the remote secret's prefix in a 63-character name (meshfed's reader account's is shorter). */
    private static final int MAX_CLUSTER_NAME = 63 - "istio-remote-secret-".length();

    private IstioReader() {
    }

    static IstioSpec read(Fields f, String host) {
        String clusterName = f.name(MESH_CLUSTER_NAME, host, false);
        if (clusterName != null && !f.has(MESH_CLUSTER_NAME) && !Fields.isDnsLabel(clusterName)) {
            f.problem(f.location(), f.owner() + ": the default cluster name " + Quoted.of(clusterName)
                    + " (the host's) is not a Kubernetes name; set " + MESH_CLUSTER_NAME);
        } else if (clusterName != null && clusterName.length() > MAX_CLUSTER_NAME) {
            f.problem(f.locationOf(MESH_CLUSTER_NAME), f.owner() + ": cluster name " + Quoted.of(clusterName)
                    + " is longer than " + MAX_CLUSTER_NAME + " characters (it is part of Secret and account names)");
        }
        String network = f.name(MESH_NETWORK, clusterName, false);
        String version = f.string(MESH_VERSION, DEFAULT_VERSION);
        if (version != null && !VERSION.matcher(version).matches()) {
            f.problem(f.locationOf(MESH_VERSION), f.owner() + ": mesh_version " + Quoted.of(version) + " is not an "
                    + "OSSM 3 (Istio) version like v1.30.3 or v1.30-latest");
        }
        String strategy = f.string(MESH_UPDATE_STRATEGY, IstioSpec.IN_PLACE);
        List<String> strategies = List.of(IstioSpec.IN_PLACE, IstioSpec.REVISION_BASED);
        if (strategy != null && !strategies.contains(strategy)) {
            f.problem(f.locationOf(MESH_UPDATE_STRATEGY), f.owner() + ": mesh_update_strategy must be InPlace or "
                    + "RevisionBased, not " + Quoted.of(strategy));
        }
        String apiServer = f.string(MESH_API_SERVER, null);
        if (apiServer != null) {
            String problem = apiServerProblem(apiServer);
            if (problem != null) {
                f.problem(f.locationOf(MESH_API_SERVER), f.owner() + ": mesh_api_server " + Quoted.of(apiServer) + " " + problem);
            }
        }
        return new IstioSpec(clusterName, network, version, strategy, apiServer, f.plainMap(MESH_ISTIO_VALUES),
                f.locationOf(MESH_API_SERVER));
    }

    /**
     * Why an API server URL cannot be one other clusters' pods use, or null. (A loopback address is the
     * pod's own: istioctl warns about it; a run refuses it for a cluster it does not itself reach on
     * loopback, as it does simulated clusters.)
     */
    static String apiServerProblem(String url) {
        try {
            URI uri = new URI(url);
            if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
                return "is not an https:// URL with a host";
            }
            return null;
        } catch (URISyntaxException e) {
            return "is not a URL";
        }
    }
}
