package io.meshfed.provisioner.simulate;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * kube-controller-manager's garbage collector, simulated for the kinds the simulated operators own
 * objects of (Services, ServiceAccounts, ConfigMaps, Secrets, Deployments): an object whose every
 * owner (ownerReferences) is gone is deleted. An owner missing from the caches is looked up on the
 * API server before anything is deleted, as the real collector does.
 */
final class GarbageCollector implements Controller {

    private final ClusterApi api;

    GarbageCollector(ClusterApi api) {
        this.api = api;
    }

    @Override
    public String name() {
        return "garbage-collector";
    }

    @Override
    public Set<String> watches() {
        return Set.of("services", "serviceaccounts", "configmaps", "secrets", "deployments", "servicemeshcontrolplanes",
                "clusterserviceversions", "gateways");
    }

    @Override
    public Duration reconcile() {
        List<HasMetadata> owned = new ArrayList<>();
        Stream.of(api.services(), api.serviceAccounts(), api.configMaps(), api.secrets(), api.deployments())
                .flatMap(List::stream)
                .filter(o -> o.getMetadata().getOwnerReferences() != null && !o.getMetadata().getOwnerReferences().isEmpty())
                .filter(o -> o.getMetadata().getDeletionTimestamp() == null)
                .forEach(owned::add);
        if (owned.isEmpty()) {
            return null;
        }
        Set<String> present = new HashSet<>();
        Stream.of(Kinds.SMCP, Kinds.CSV).flatMap(k -> api.list(k).stream()).forEach(o -> present.add(o.getMetadata().getUid()));
        for (HasMetadata o : owned) {
            boolean orphan = o.getMetadata().getOwnerReferences().stream()
                    .noneMatch(ref -> present.contains(ref.getUid()) || exists(o.getMetadata().getNamespace(), ref));
            if (orphan) {
                try {
                    api.client().resource(o).delete();
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 404) {
                        throw e;
                    }
                }
            }
        }
        return null;
    }

    private boolean exists(String namespace, OwnerReference ref) {
        try {
            var kind = api.client().genericKubernetesResources(ref.getApiVersion(), ref.getKind());
            GenericKubernetesResource owner = namespace == null ? kind.withName(ref.getName()).get()
                    : kind.inNamespace(namespace).withName(ref.getName()).get();
            return owner != null && ref.getUid().equals(owner.getMetadata().getUid());
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return false;
            }
            throw e;
        }
    }
}
