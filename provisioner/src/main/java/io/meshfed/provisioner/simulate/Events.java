package io.meshfed.provisioner.simulate;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ThreadLocalRandom;

/** Events the simulated operators record on their objects, as the real ones do: what {@code kubectl get events} shows. */
final class Events {

    private Events() {
    }

    static void record(ClusterApi api, GenericKubernetesResource about, String type, String reason, String message,
                       String component) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String ns = about.getMetadata().getNamespace();
        try {
            api.client().v1().events().inNamespace(ns).resource(new EventBuilder().withNewMetadata()
                    .withName(about.getMetadata().getName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()))
                    .withNamespace(ns).endMetadata()
                    .withNewInvolvedObject().withApiVersion(about.getApiVersion()).withKind(about.getKind())
                    .withNamespace(ns).withName(about.getMetadata().getName()).withUid(about.getMetadata().getUid())
                    .endInvolvedObject()
                    .withType(type).withReason(reason).withMessage(message).withCount(1)
                    .withFirstTimestamp(now).withLastTimestamp(now)
                    .withNewSource().withComponent(component).endSource().withReportingComponent(component)
                    .build()).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404 && e.getCode() != 403) {   // its namespace going away: the event with it
                throw e;
            }
        }
    }
}
