package io.meshfed.provisioner.simulate;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who a client of a simulated cluster is, decided as its kube-apiserver decides it, so that the proxy in
 * front of the server ({@link ApiProxy}), which reaches it with the control plane's own admin certificate,
 * acts upstream as the caller and not as the admin: RBAC, impersonation and service-account tokens are the
 * caller's own.
 * <ul>
 * <li>the admin client certificate (the simulated controllers, the kubeconfig of {@code simulate up}): the
 * request goes up as it came, its own {@code Impersonate-*} headers included;</li>
 * <li>a bearer token: a TokenReview says who it is (kept for ten seconds, as the API server caches its
 * token authentications); an invalid token is answered 401;</li>
 * <li>no credentials: {@code system:anonymous} in {@code system:unauthenticated};</li>
 * <li>a caller other than the admin that impersonates someone: SubjectAccessReviews check that it may
 * ({@code impersonate} on users or serviceaccounts, groups, uids, userextras), as the API server's
 * impersonation filter does; refused with 403 and the server's message otherwise.</li>
 * </ul>
 * The identity goes upstream as {@code Impersonate-User}, {@code -Group}, {@code -Uid} and {@code -Extra-*}.
 */
final class CallerIdentity {

    /** Why a request is answered by the proxy itself, as the API server would answer it. */
    static final class Refused extends RuntimeException {
        final int code;
        final String reason;

        Refused(int code, String reason, String message) {
            super(message, null, false, false);
            this.code = code;
            this.reason = reason;
        }
    }

    record Identity(String user, String uid, List<String> groups, Map<String, List<String>> extra) {
        static final Identity ANONYMOUS = new Identity("system:anonymous", "", List.of("system:unauthenticated"), Map.of());
    }

    private record Review(Identity identity, long until) {
    }

    private static final long REVIEW_KEPT_NANOS = 10_000_000_000L;
    private static final String IMPERSONATE = "impersonate-";

    private final HttpClient upstream;
    private final byte[] admin;
    private final Map<String, Review> reviews = new ConcurrentHashMap<>();

    CallerIdentity(HttpClient upstream, Certificate adminCertificate) {
        this.upstream = upstream;
        try {
            this.admin = adminCertificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("the simulated clusters' admin certificate cannot be read", e);
        }
    }

    /**
     * The headers that take the place of the caller's credentials and impersonation upstream (to add to
     * the forwarded ones); a failed future carries {@link Refused}.
     */
    Future<MultiMap> upstreamHeaders(HttpServerRequest request) {
        MultiMap requested = impersonation(request.headers());
        if (isAdmin(request)) {
            return Future.succeededFuture(requested);
        }
        Future<Identity> caller = caller(request.getHeader("Authorization"));
        if (requested.isEmpty()) {
            return caller.map(CallerIdentity::headers);
        }
        return caller.compose(identity -> mayImpersonate(identity, requested)).map(ok -> requested);
    }

    private boolean isAdmin(HttpServerRequest request) {
        if (!request.isSSL()) {
            return false;
        }
        try {
            List<Certificate> chain = request.connection().peerCertificates();
            return chain != null && !chain.isEmpty() && Arrays.equals(chain.get(0).getEncoded(), admin);
        } catch (javax.net.ssl.SSLPeerUnverifiedException | CertificateEncodingException e) {
            return false;   // no client certificate
        }
    }

    private static MultiMap impersonation(MultiMap headers) {
        MultiMap found = MultiMap.caseInsensitiveMultiMap();
        headers.forEach(h -> {
            if (h.getKey().toLowerCase(Locale.ROOT).startsWith(IMPERSONATE)) {
                found.add(h.getKey(), h.getValue());
            }
        });
        return found;
    }

    private Future<Identity> caller(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Future.succeededFuture(Identity.ANONYMOUS);
        }
        String token = authorization.substring(7).strip();
        Review kept = reviews.get(token);
        if (kept != null && kept.until() - System.nanoTime() > 0) {
            return Future.succeededFuture(kept.identity());
        }
        Map<String, Object> review = Map.of("apiVersion", "authentication.k8s.io/v1", "kind", "TokenReview",
                "spec", Map.of("token", token));
        return post("/apis/authentication.k8s.io/v1/tokenreviews", review).map(answer -> {
            Map<String, Object> status = map(answer.get("status"));
            if (!Boolean.TRUE.equals(status.get("authenticated"))) {
                throw new Refused(401, "Unauthorized", "Unauthorized");
            }
            Map<String, Object> user = map(status.get("user"));
            Map<String, List<String>> extra = new LinkedHashMap<>();
            map(user.get("extra")).forEach((k, v) -> extra.put(k, strings(v)));
            Identity identity = new Identity(String.valueOf(user.get("username")), String.valueOf(user.getOrDefault("uid", "")),
                    strings(user.get("groups")), extra);
            reviews.put(token, new Review(identity, System.nanoTime() + REVIEW_KEPT_NANOS));
            return identity;
        });
    }

    /** Every impersonation the caller asks for, checked as the API server's impersonation filter checks it. */
    private Future<Void> mayImpersonate(Identity caller, MultiMap requested) {
        List<Map<String, Object>> checks = new ArrayList<>();
        requested.forEach(h -> {
            String key = h.getKey().toLowerCase(Locale.ROOT);
            String value = h.getValue();
            if (key.equals("impersonate-user")) {
                String[] sa = value.split(":");
                checks.add(sa.length == 4 && value.startsWith("system:serviceaccount:")
                        ? attributes("", "serviceaccounts", "", sa[2], sa[3]) : attributes("", "users", "", "", value));
            } else if (key.equals("impersonate-group")) {
                checks.add(attributes("", "groups", "", "", value));
            } else if (key.equals("impersonate-uid")) {
                checks.add(attributes("authentication.k8s.io", "uids", "", "", value));
            } else if (key.startsWith("impersonate-extra-")) {
                String extraKey = URLDecoder.decode(key.substring("impersonate-extra-".length()), StandardCharsets.UTF_8);
                checks.add(attributes("authentication.k8s.io", "userextras", extraKey, "", value));
            }
        });
        Future<Void> all = Future.succeededFuture();
        for (Map<String, Object> attributes : checks) {
            all = all.compose(v -> allowed(caller, attributes));
        }
        return all;
    }

    private static Map<String, Object> attributes(String group, String resource, String subresource, String namespace,
                                                  String name) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("verb", "impersonate");
        attributes.put("group", group);
        attributes.put("resource", resource);
        attributes.put("subresource", subresource);
        attributes.put("namespace", namespace);
        attributes.put("name", name);
        return attributes;
    }

    private Future<Void> allowed(Identity caller, Map<String, Object> attributes) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("user", caller.user());
        spec.put("uid", caller.uid());
        spec.put("groups", caller.groups());
        spec.put("extra", caller.extra());
        spec.put("resourceAttributes", attributes);
        Map<String, Object> review = Map.of("apiVersion", "authorization.k8s.io/v1", "kind", "SubjectAccessReview",
                "spec", spec);
        return post("/apis/authorization.k8s.io/v1/subjectaccessreviews", review).map(answer -> {
            if (!Boolean.TRUE.equals(map(answer.get("status")).get("allowed"))) {
                String resource = String.valueOf(attributes.get("resource"));
                String group = String.valueOf(attributes.get("group"));
                String namespace = String.valueOf(attributes.get("namespace"));
                throw new Refused(403, "Forbidden", resource + " \"" + attributes.get("name") + "\" is forbidden: User \""
                        + caller.user() + "\" cannot impersonate resource \"" + resource + "\" in API group \"" + group
                        + "\"" + (namespace.isEmpty() ? " at the cluster scope" : " in the namespace \"" + namespace + "\""));
            }
            return null;
        });
    }

    private Future<Map<String, Object>> post(String path, Map<String, Object> body) {
        return upstream.request(new RequestOptions().setMethod(HttpMethod.POST).setURI(path)
                        .putHeader("Content-Type", "application/json").putHeader("User-Agent", ApiProxy.CONTROLLER_AGENT))
                .compose(out -> out.send(Buffer.buffer(Serialization.asJson(body))))
                .compose(answer -> answer.body().map(b -> {
                    if (answer.statusCode() / 100 != 2) {
                        throw new Refused(500, "InternalError", "proxy: " + path + " answered " + answer.statusCode());
                    }
                    return map(Serialization.unmarshal(b.toString(StandardCharsets.UTF_8), Map.class));
                }));
    }

    /** The identity as the admin impersonates it upstream. */
    static MultiMap headers(Identity identity) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        headers.add("Impersonate-User", identity.user());
        identity.groups().forEach(g -> headers.add("Impersonate-Group", g));
        if (!identity.uid().isEmpty()) {
            headers.add("Impersonate-Uid", identity.uid());
        }
        identity.extra().forEach((key, values) -> values.forEach(v ->
                headers.add("Impersonate-Extra-" + URLEncoder.encode(key, StandardCharsets.UTF_8), v)));
        return headers;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static List<String> strings(Object o) {
        return o instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
    }
}
