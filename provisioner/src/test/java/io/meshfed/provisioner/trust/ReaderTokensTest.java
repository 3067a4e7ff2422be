package io.meshfed.provisioner.trust;

import io.meshfed.model.resource.IssuedToken;
import io.meshfed.model.resource.LiveValue;
import io.meshfed.model.resource.ObjectRef;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReaderTokensTest {

    private static final Instant ISSUED = Instant.parse("2026-01-01T00:00:00Z");
    private static final IssuedToken WANTED = new IssuedToken(LiveValue.of(new ObjectRef("west", "v1", "ServiceAccount",
            "istio-system", "meshfed-reader-east"), "metadata", "uid"), Duration.ofDays(90));

    private static String jwt(String namespace, String account, String uid) {
        String payload = """
                {"aud":["https://kubernetes.default.svc"],"exp":%d,"iat":%d,"iss":"https://kubernetes.default.svc",
                 "kubernetes.io":{"namespace":"%s","serviceaccount":{"name":"%s","uid":"%s"}},"sub":"x"}"""
                .formatted(ISSUED.plus(Duration.ofDays(90)).getEpochSecond(), ISSUED.getEpochSecond(), namespace, account, uid);
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        return url.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + url.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".c2lnbmF0dXJl";
    }

    private static Map<String, Object> remoteSecret(String kubeconfig) {
        return Map.of("data", Map.of("west", Base64.getEncoder().encodeToString(kubeconfig.getBytes(StandardCharsets.UTF_8))));
    }

    private static Map<String, Object> holding(String token) {
        return remoteSecret("apiVersion: v1\nkind: Config\nusers:\n- name: west\n  user:\n    token: " + token + "\n");
    }

    private static ReaderTokens at(Duration sinceIssued) {
        return new ReaderTokens(Clock.fixed(ISSUED.plus(sinceIssued), ZoneOffset.UTC));
    }

    @Test
    @DisplayName("a token is kept while it is the account's (namespace, name, UID) and more than a third of its life is left")
    void keptWhileGood() {
        String token = jwt("istio-system", "meshfed-reader-east", "uid-1");
        assertThat(at(Duration.ofDays(59)).kept(WANTED, "uid-1", holding(token))).isEqualTo(token);
        assertThat(at(Duration.ofDays(60)).kept(WANTED, "uid-1", holding(token))).as("a third left: renewed").isNull();
        assertThat(at(Duration.ofDays(1)).kept(WANTED, "uid-2", holding(token))).as("the account made again").isNull();
        assertThat(at(Duration.ofDays(1)).kept(WANTED, "uid-1", holding(jwt("istio-system", "meshfed-reader-central", "uid-1"))))
                .as("another account's").isNull();
        assertThat(at(Duration.ofDays(1)).kept(WANTED, "uid-1", holding(jwt("other", "meshfed-reader-east", "uid-1"))))
                .as("another namespace's").isNull();
    }

    @Test
    @DisplayName("what is not a remote secret holding a service-account token is replaced: none, not a kubeconfig, a legacy token without expiry")
    void replacedWhenNotOne() {
        ReaderTokens tokens = at(Duration.ofDays(1));
        assertThat(tokens.kept(WANTED, "uid-1", null)).isNull();
        assertThat(tokens.kept(WANTED, "uid-1", remoteSecret(": not: yaml: ["))).isNull();
        assertThat(tokens.kept(WANTED, "uid-1", holding("not-a-jwt"))).isNull();
        assertThat(ReaderTokens.tokenIn(holding("abc"))).isEqualTo("abc");
        assertThat(ReaderTokens.claims(jwt("istio-system", "a", "u")).expires()).isEqualTo(ISSUED.plus(Duration.ofDays(90)));
    }
}
