package io.meshfed.provisioner.doctor;

import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.meshfed.model.doctor.RemoteAccess;

import io.meshfed.provisioner.trust.ReaderTokens;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Uses an OSSM 3 remote secret's kubeconfig as istiod does: against the API server it names, with its CA
 * and token, asks who it is (SelfSubjectReview) and whether it may list Services cluster-wide
 * (SelfSubjectAccessReview). Nothing else is sent with it; the token is never printed.
 */
final class RemoteSecretProbe {

    private static final int TIMEOUT_MILLIS = 10_000;

    private RemoteSecretProbe() {
    }

    /** @param kubeconfig the Secret's value for the peer, base64 as the Secret holds it */
    static RemoteAccess probe(String namespace, String secret, String kubeconfig, HttpClient.Factory http) {
        Config config;
        try {
            config = new ConfigBuilder(Config.fromKubeconfig(new String(Base64.getDecoder().decode(kubeconfig),
                    StandardCharsets.UTF_8))).withConnectionTimeout(TIMEOUT_MILLIS).withRequestTimeout(TIMEOUT_MILLIS)
                    .withRequestRetryBackoffLimit(0).build();
        } catch (RuntimeException e) {
            return new RemoteAccess(namespace, secret, null, null, false, "its value is not a kubeconfig");
        }
        String server = config.getMasterUrl();
        KubernetesClientBuilder builder = new KubernetesClientBuilder().withConfig(config);
        if (http != null) {
            builder.withHttpClientFactory(http);
        }
        try (KubernetesClient client = builder.build()) {
            SelfSubjectReview who = client.authentication().v1().selfSubjectReviews().create(new SelfSubjectReview());
            String user = who.getStatus() == null || who.getStatus().getUserInfo() == null ? null
                    : who.getStatus().getUserInfo().getUsername();
            SelfSubjectAccessReview review = client.authorization().v1().selfSubjectAccessReview().create(
                    new SelfSubjectAccessReviewBuilder().withNewSpec().withNewResourceAttributes().withVerb("list")
                            .withResource("services").endResourceAttributes().endSpec().build());
            boolean allowed = review.getStatus() != null && Boolean.TRUE.equals(review.getStatus().getAllowed());
            ReaderTokens.Claims claims = config.getAutoOAuthToken() == null ? null : ReaderTokens.claims(config.getAutoOAuthToken());
            return new RemoteAccess(namespace, secret, server, user, allowed, null, claims == null ? null : claims.expires(),
                    claims != null && ReaderTokens.renewalDue(claims, Instant.now()));
        } catch (KubernetesClientException e) {
            String why = e.getCode() == 401 ? "401 Unauthorized: the token is not valid there (revoked, or another cluster's)"
                    : io.meshfed.provisioner.apply.RetryPolicy.message(e);
            return new RemoteAccess(namespace, secret, server, null, false, why);
        }
    }

}
