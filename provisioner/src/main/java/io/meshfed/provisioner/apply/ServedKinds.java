package io.meshfed.provisioner.apply;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The kinds one cluster serves, with their plural and scope: the kinds meshfed knows without asking
 * ({@link KnownKinds}: an API server that does not serve one yet answers 404 to its requests, which
 * reads as "absent"), others from API discovery, once per group/version (cached).
 */
final class ServedKinds {

    private final String cluster;
    /** Discovery of one group/version: its resources, or null where the cluster serves no such version. */
    private final Function<String, APIResourceList> discover;
    private final Map<String, ResourceDefinitionContext> kinds = new ConcurrentHashMap<>();

    ServedKinds(String cluster, Function<String, APIResourceList> discover) {
        this.cluster = cluster;
        this.discover = discover;
    }

    /** Whether the cluster serves the kind (known kinds: assumed). */
    boolean serves(String apiVersion, String kind) {
        try {
            context(apiVersion, kind);
            return true;
        } catch (ApiException e) {
            if (e.code() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** Whether the kind is namespaced on this cluster; true when the cluster does not serve it. */
    boolean namespaced(String apiVersion, String kind) {
        return !serves(apiVersion, kind) || context(apiVersion, kind).isNamespaceScoped();
    }

    /** The plural and scope of a kind; a kind the cluster does not serve is a 404 ({@link KindNotServed}). */
    ResourceDefinitionContext context(String apiVersion, String kind) {
        String key = apiVersion + "/" + kind;
        ResourceDefinitionContext known = kinds.computeIfAbsent(key, k -> KnownKinds.find(apiVersion, kind).orElse(null));
        if (known != null) {
            return known;
        }
        APIResourceList resources = discover.apply(apiVersion);
        if (resources != null) {
            for (APIResource r : resources.getResources()) {
                if (!r.getName().contains("/")) {
                    int slash = apiVersion.indexOf('/');
                    kinds.put(apiVersion + "/" + r.getKind(), new ResourceDefinitionContext.Builder()
                            .withGroup(slash < 0 ? "" : apiVersion.substring(0, slash))
                            .withVersion(slash < 0 ? apiVersion : apiVersion.substring(slash + 1))
                            .withKind(r.getKind()).withPlural(r.getName()).withNamespaced(r.getNamespaced()).build());
                }
            }
        }
        known = kinds.get(key);
        if (known == null) {
            throw new KindNotServed(cluster + ": the cluster does not serve " + kind + " (" + apiVersion
                    + "); is the operator that brings its CRD installed?");
        }
        return known;
    }

    /** Discovery's 404: the cluster serves no such kind in that group and version. */
    static final class KindNotServed extends ApiException {
        KindNotServed(String message) {
            super(404, message, null);
        }
    }
}
