package io.meshfed.provisioner.simulate;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * kube-controller-manager's token controller, simulated: a Secret of type
 * {@code kubernetes.io/service-account-token} naming an existing ServiceAccount (annotation
 * {@code kubernetes.io/service-account.name}) gets {@code token}, {@code ca.crt} and {@code namespace}.
 * The token is one the API server itself issues (a TokenRequest bound to the Secret, for ten years): it
 * authenticates while the Secret exists, as a legacy token does, and stops when the Secret is deleted.
 */
final class TokenController implements Controller {

    static final String TYPE = "kubernetes.io/service-account-token";
    static final String ACCOUNT_ANNOTATION = "kubernetes.io/service-account.name";
    private static final long TEN_YEARS = Duration.ofDays(3650).toSeconds();

    private final ClusterApi api;
    private final String caCertificateBase64;
    /** The Secrets (by UID) given a token: the cache may not show the token yet, and one token is all a Secret gets. */
    private final Set<String> filled = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** @param caCertificateBase64 the cluster's CA, as ca.crt holds it (base64 of the PEM) */
    TokenController(ClusterApi api, String caCertificateBase64) {
        this.api = api;
        this.caCertificateBase64 = caCertificateBase64;
    }

    @Override
    public String name() {
        return "serviceaccount-tokens";
    }

    @Override
    public Set<String> watches() {
        return Set.of("secrets", "serviceaccounts");
    }

    @Override
    public Duration reconcile() {
        for (Secret secret : api.secrets()) {
            Map<String, String> annotations = secret.getMetadata().getAnnotations();
            String account = annotations == null ? null : annotations.get(ACCOUNT_ANNOTATION);
            boolean hasToken = secret.getData() != null && secret.getData().containsKey("token");
            if (!TYPE.equals(secret.getType()) || account == null || hasToken || filled.contains(secret.getMetadata().getUid())
                    || secret.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            String ns = secret.getMetadata().getNamespace();
            ServiceAccount sa = api.serviceAccount(ns, account);
            if (sa == null) {
                continue;   // the real controller waits for the account too
            }
            String token = api.client().serviceAccounts().inNamespace(ns).withName(account).tokenRequest(new TokenRequestBuilder()
                    .withNewSpec().withExpirationSeconds(TEN_YEARS).withNewBoundObjectRef().withApiVersion("v1").withKind("Secret")
                    .withName(secret.getMetadata().getName()).withUid(secret.getMetadata().getUid()).endBoundObjectRef()
                    .endSpec().build()).getStatus().getToken();
            api.client().secrets().inNamespace(ns).withName(secret.getMetadata().getName()).edit(s -> {
                s.setData(new java.util.TreeMap<>(s.getData() == null ? Map.of() : s.getData()));
                s.getData().put("token", base64(token));
                s.getData().put("ca.crt", caCertificateBase64);
                s.getData().put("namespace", base64(ns));
                return s;
            });
            filled.add(secret.getMetadata().getUid());
        }
        return null;
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
