package io.meshfed.model.doctor;

/**
 * What a remote secret's kubeconfig did when the doctor used it as istiod does: which API server it
 * names, whether that server answered and authenticated the token, as whom, and whether that identity
 * may list Services cluster-wide (a SelfSubjectAccessReview through the kubeconfig itself).
 *
 * @param namespace the remote secret's namespace, on the cluster whose istiod reads it
 * @param secret    its name
 * @param server    the kubeconfig's server URL (null when the kubeconfig could not be read)
 * @param user      who the token authenticated as (null when it did not)
 * @param canList   whether that identity may list Services in every namespace
 * @param error     why the server could not be used (unreachable, TLS, 401...), or null
 */
public record RemoteAccess(String namespace, String secret, String server, String user, boolean canList, String error) {
}
