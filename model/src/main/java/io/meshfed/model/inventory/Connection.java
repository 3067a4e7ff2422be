package io.meshfed.model.inventory;

/**
 * How to reach a cluster: a context of a kubeconfig (the default kubeconfig when {@code kubeconfig}
 * is null), or the in-cluster service account.
 */
public record Connection(String context, String kubeconfig, boolean inCluster) {
}
