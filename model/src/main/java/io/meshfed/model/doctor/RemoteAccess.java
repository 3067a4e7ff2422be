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
 * @param expires   when the token expires (its {@code exp}), or null: a token without an expiry (a legacy
 *                  service-account token Secret's, as istioctl makes them), or none could be read
 * @param renewalDue whether less than a third of the token's life was left when probed (a run renews it)
 */
public record RemoteAccess(String namespace, String secret, String server, String user, boolean canList, String error,
                           java.time.Instant expires, boolean renewalDue) {

    public RemoteAccess(String namespace, String secret, String server, String user, boolean canList, String error) {
        this(namespace, secret, server, user, canList, error, null, false);
    }
}
