package io.meshfed.provisioner.simulate;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * kube-controller-manager's Deployment controller, and the kubelets below it, simulated: every
 * Deployment's replicas are at once updated, ready and available, and its status says so for the
 * current generation. Pods are made for the meshes' own workloads only ({@link ApplicationPods}): the
 * control planes' Deployments have none (istiod's is {@link SailController}'s).
 */
final class DeploymentController implements Controller {

    private final ClusterApi api;

    private final ApplicationPods pods;

    DeploymentController(ClusterApi api) {
        this.api = api;
        this.pods = new ApplicationPods(api);
    }

    @Override
    public String name() {
        return "deployment";
    }

    @Override
    public Set<String> watches() {
        return Set.of("deployments", "namespaces", "servicemeshmemberrolls");
    }

    @Override
    public Duration reconcile() {
        pods.reconcile(api.deployments());
        for (Deployment d : api.deployments()) {
            int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
            DeploymentStatus current = d.getStatus();
            if (current != null && Objects.equals(current.getObservedGeneration(), d.getMetadata().getGeneration())
                    && Objects.equals(current.getAvailableReplicas(), replicas)
                    && Objects.equals(current.getReplicas(), replicas)) {
                continue;
            }
            String now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
            DeploymentStatus status = new DeploymentStatusBuilder().withObservedGeneration(d.getMetadata().getGeneration())
                    .withReplicas(replicas).withUpdatedReplicas(replicas).withReadyReplicas(replicas)
                    .withAvailableReplicas(replicas)
                    .withConditions(new DeploymentConditionBuilder().withType("Available").withStatus("True")
                                    .withReason("MinimumReplicasAvailable").withMessage("Deployment has minimum availability.")
                                    .withLastUpdateTime(now).withLastTransitionTime(now).build(),
                            new DeploymentConditionBuilder().withType("Progressing").withStatus("True")
                                    .withReason("NewReplicaSetAvailable").withMessage("ReplicaSet \"" + d.getMetadata().getName()
                                            + "\" has successfully progressed.")
                                    .withLastUpdateTime(now).withLastTransitionTime(now).build())
                    .build();
            try {
                api.client().apps().deployments().inNamespace(d.getMetadata().getNamespace())
                        .resource(new DeploymentBuilder(d).withStatus(status).build()).updateStatus();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 && e.getCode() != 404) {   // a newer one is on its way to the cache
                    throw e;
                }
            }
        }
        return null;
    }
}
