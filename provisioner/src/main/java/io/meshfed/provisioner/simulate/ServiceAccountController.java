package io.meshfed.provisioner.simulate;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Duration;
import java.util.Set;

/**
 * OpenShift's service-account pull-secrets controller, simulated: every ServiceAccount gets a
 * {@code <name>-dockercfg-<suffix>} entry appended to its {@code imagePullSecrets} (and
 * {@code secrets}), written by its own field manager, as on OpenShift 4 — a list item another writer
 * adds, which an apply must leave alone.
 */
final class ServiceAccountController implements Controller {

    private final ClusterApi api;

    ServiceAccountController(ClusterApi api) {
        this.api = api;
    }

    @Override
    public String name() {
        return "serviceaccount-pull-secrets";
    }

    @Override
    public Set<String> watches() {
        return Set.of("serviceaccounts");
    }

    @Override
    public Duration reconcile() {
        for (ServiceAccount sa : api.serviceAccounts()) {
            String dockercfg = sa.getMetadata().getName() + "-dockercfg-" + suffix(sa.getMetadata().getUid());
            boolean has = sa.getImagePullSecrets() != null
                    && sa.getImagePullSecrets().stream().anyMatch(r -> dockercfg.equals(r.getName()));
            if (has || sa.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            try {
                api.client().serviceAccounts().inNamespace(sa.getMetadata().getNamespace())
                        .withName(sa.getMetadata().getName()).edit(s -> {
                            s.getImagePullSecrets().add(new LocalObjectReference(dockercfg));
                            s.getSecrets().add(new io.fabric8.kubernetes.api.model.ObjectReferenceBuilder()
                                    .withName(dockercfg).build());
                            return s;
                        });
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 && e.getCode() != 404) {   // a newer one is on its way to the cache
                    throw e;
                }
            }
        }
        return null;
    }

    /** Five characters, stable for one ServiceAccount (OpenShift's are random). */
    private static String suffix(String uid) {
        String s = Integer.toString(Math.abs(uid.hashCode()), 36) + "xxxxx";
        return s.substring(0, 5);
    }
}
