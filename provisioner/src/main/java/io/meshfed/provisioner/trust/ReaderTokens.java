package io.meshfed.provisioner.trust;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.meshfed.model.resource.IssuedToken;
import io.meshfed.model.resource.Tree;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The tokens in OSSM 3 remote secrets: bound service-account tokens of the peer's reader account, issued by
 * the peer's API server (TokenRequest) for the inventory's lifetime. A run keeps the token a remote secret
 * holds while it is bound to the account as it now is (its UID: an account deleted and made again has
 * another, and the old one's tokens stop working) and more than a third of its life is left; else a new
 * one is issued, and the old one stays good until it expires, so istiod never holds a refused token. Tokens
 * are read only from the remote secret's kubeconfig and never shown.
 */
public final class ReaderTokens {

    private final Clock clock;

    /** @param clock the time a token's remaining life is judged at */
    public ReaderTokens(Clock clock) {
        this.clock = clock;
    }

    /** What a token says of itself (its JWT claims; its signature is the issuing API server's to check). */
    public record Claims(Instant issued, Instant expires, String namespace, String account, String uid) {
    }

    /**
     * The token {@code live} (a remote secret) holds when it is still good for {@code wanted}'s account, whose
     * UID is {@code accountUid}; else null: a new one must be issued.
     */
    public String kept(IssuedToken wanted, String accountUid, Map<String, Object> live) {
        String token = tokenIn(live);
        Claims claims = token == null ? null : claims(token);
        if (claims == null || !accountUid.equals(claims.uid()) || !wanted.namespace().equals(claims.namespace())
                || !wanted.name().equals(claims.account())) {
            return null;
        }
        return renewalDue(claims, clock.instant()) ? null : token;
    }

    /** Whether less than a third of the token's life is left at {@code now} (or it has none). */
    public static boolean renewalDue(Claims claims, Instant now) {
        Duration life = Duration.between(claims.issued(), claims.expires());
        return !now.isBefore(claims.expires().minus(life.dividedBy(3)));
    }

    /** The token of the kubeconfig a remote secret holds (its one data value), or null. */
    @SuppressWarnings("unchecked")
    public static String tokenIn(Map<String, Object> remoteSecret) {
        if (remoteSecret == null || !(Tree.get(remoteSecret, "data") instanceof Map<?, ?> data) || data.size() != 1) {
            return null;
        }
        try {
            String text = new String(Base64.getDecoder().decode((String) data.values().iterator().next()), StandardCharsets.UTF_8);
            Object config = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
            if (config instanceof Map<?, ?> map && map.get("users") instanceof List<?> users && users.size() == 1
                    && Tree.get((Map<String, Object>) users.get(0), "user", "token") instanceof String token) {
                return token;
            }
            return null;
        } catch (RuntimeException e) {
            return null;   // not a kubeconfig: whatever it holds is replaced
        }
    }

    /** A service-account token's claims, or null when it is not one (a JWT with exp, iat and the kubernetes.io claim). */
    public static Claims claims(String token) {
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            return null;
        }
        try {
            JsonNode payload = Serialization.jsonMapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
            JsonNode k8s = payload.path("kubernetes.io");
            JsonNode account = k8s.path("serviceaccount");
            if (!payload.path("exp").isNumber() || !payload.path("iat").isNumber() || !account.path("uid").isTextual()) {
                return null;
            }
            return new Claims(Instant.ofEpochSecond(payload.path("iat").asLong()), Instant.ofEpochSecond(payload.path("exp").asLong()),
                    k8s.path("namespace").asText(null), account.path("name").asText(null), account.path("uid").asText());
        } catch (java.io.IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
