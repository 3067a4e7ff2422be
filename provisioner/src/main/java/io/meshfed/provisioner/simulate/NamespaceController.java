package io.meshfed.provisioner.simulate;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * kube-controller-manager's namespace controller, simulated: a namespace being deleted loses its
 * contents (every namespaced kind the API server serves, in every version of every group: a group's
 * kinds need not all be served in its preferred version — OLM's CSVs, InstallPlans and Subscriptions
 * are v1alpha1 only, while the group prefers v2),
 * then its {@code kubernetes} finalizer, and the API server removes it. Until then it stays
 * {@code Terminating}, as on a real cluster.
 */
final class NamespaceController implements Controller {

    private static final Duration AGAIN = Duration.ofMillis(200);

    /** How long the namespaced kinds found by discovery are used before asking again (a CRD may come meanwhile). */
    private static final Duration DISCOVERY_TTL = Duration.ofSeconds(2);

    private final ClusterApi api;
    private List<ResourceDefinitionContext> kinds;
    private long discovered;

    NamespaceController(ClusterApi api) {
        this.api = api;
    }

    @Override
    public String name() {
        return "namespace";
    }

    @Override
    public Set<String> watches() {
        return Set.of("namespaces");
    }

    @Override
    public Duration reconcile() {
        List<Namespace> terminating = api.namespaces().stream()
                .filter(n -> n.getMetadata().getDeletionTimestamp() != null).toList();
        if (terminating.isEmpty()) {
            return null;
        }
        long now = System.nanoTime();
        if (kinds == null || now - discovered > DISCOVERY_TTL.toNanos()) {   // not on every pass while one terminates
            kinds = namespacedKinds(api.client());
            discovered = now;
        }
        Duration next = null;
        for (Namespace ns : terminating) {
            if (!empty(ns.getMetadata().getName(), kinds)) {
                next = AGAIN;   // what was deleted may still be going (finalizers of its own)
                continue;
            }
            finalize(ns);
        }
        return next;
    }

    /** Deletes what is left in the namespace; true when nothing was. */
    private boolean empty(String namespace, List<ResourceDefinitionContext> kinds) {
        boolean empty = true;
        for (ResourceDefinitionContext kind : kinds) {
            var inNamespace = api.client().genericKubernetesResources(kind).inNamespace(namespace);
            try {
                if (!inNamespace.list().getItems().isEmpty()) {
                    empty = false;
                    inNamespace.delete();
                }
            } catch (KubernetesClientException e) {
                if (e.getCode() == 429) {
                    empty = false;   // a kind whose CRD was just installed: its storage is still starting
                } else if (e.getCode() != 404 && e.getCode() != 405) {
                    throw e;
                }
            }
        }
        return empty;
    }

    private void finalize(Namespace ns) {
        Namespace finalized = new NamespaceBuilder(ns).editOrNewSpec().withFinalizers(List.of()).endSpec().build();
        try {
            api.client().raw("/api/v1/namespaces/" + ns.getMetadata().getName() + "/finalize", "PUT",
                    Serialization.asJson(finalized));
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404 && e.getCode() != 409) {
                throw e;
            }
        }
    }

    /**
     * Every namespaced kind that can be listed and deleted (API discovery of every version of every group),
     * once per group and resource, by its group's preferred version where that serves it.
     */
    static List<ResourceDefinitionContext> namespacedKinds(KubernetesClient client) {
        java.util.Map<String, ResourceDefinitionContext> kinds = new java.util.LinkedHashMap<>();
        addKinds(kinds, "", "v1", client.getApiResources("v1"));
        for (APIGroup group : client.getApiGroups().getGroups()) {
            List<String> versions = new ArrayList<>(List.of(group.getPreferredVersion().getVersion()));
            group.getVersions().forEach(v -> {
                if (!versions.contains(v.getVersion())) {
                    versions.add(v.getVersion());
                }
            });
            for (String version : versions) {
                addKinds(kinds, group.getName(), version, client.getApiResources(group.getName() + "/" + version));
            }
        }
        return new ArrayList<>(kinds.values());
    }

    private static void addKinds(java.util.Map<String, ResourceDefinitionContext> kinds, String group, String version,
                                 APIResourceList list) {
        if (list == null) {
            return;
        }
        for (APIResource r : list.getResources()) {
            if (Boolean.TRUE.equals(r.getNamespaced()) && !r.getName().contains("/")
                    && r.getVerbs().contains("list") && r.getVerbs().contains("deletecollection")) {
                kinds.putIfAbsent(group + "/" + r.getName(), new ResourceDefinitionContext.Builder().withGroup(group)
                        .withVersion(version).withKind(r.getKind()).withPlural(r.getName()).withNamespaced(true).build());
            }
        }
    }
}
