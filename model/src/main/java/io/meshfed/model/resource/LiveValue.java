package io.meshfed.model.resource;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A value that exists only in a cluster's live state: a field of another object, possibly on
 * another cluster (a peer's CA certificate, a peer's load-balancer address). Rendered objects hold
 * it in place of the value; the graph turns it into an edge; the executor resolves it once the
 * source is ready.
 *
 * @param source the object to read
 * @param path   the field: map keys (String), list indices (Integer), or the first present of several
 *               keys ({@link OneOf}: a load balancer's IP or hostname)
 */
public record LiveValue(ObjectRef source, List<Object> path) implements Live {

    /** The first of these keys that has a value. */
    public record OneOf(List<String> keys) {
        public OneOf {
            keys = List.copyOf(keys);
        }
    }

    /** As a last segment: the value found is base64 and its decoded text is wanted (a Secret's token). */
    public record Decoded() {
    }

    public static final Decoded BASE64_DECODED = new Decoded();

    /** As a last segment: the value found is text and its base64 is wanted (a CA certificate for a kubeconfig). */
    public record Encoded() {
    }

    public static final Encoded BASE64_ENCODED = new Encoded();

    public LiveValue {
        path = List.copyOf(path);
        for (Object segment : path) {
            if (!(segment instanceof String) && !(segment instanceof Integer) && !(segment instanceof OneOf)
                    && !(segment instanceof Decoded) && !(segment instanceof Encoded)) {
                throw new IllegalArgumentException("path segments are keys, indices, one of several keys or base64: " + path);
            }
        }
    }

    public static LiveValue of(ObjectRef source, Object... path) {
        return new LiveValue(source, List.of(path));
    }

    /** A JSONPath as kubectl writes it, for example {@code {.data.root-cert\.pem}}. */
    public String jsonPath() {
        return path.stream()
                .filter(s -> !(s instanceof Decoded) && !(s instanceof Encoded))
                .map(s -> s instanceof Integer i ? "[" + i + "]" : s instanceof OneOf o
                        ? o.keys().stream().map(k -> "'" + k + "'").collect(Collectors.joining(",", "[", "]"))
                        : "." + ((String) s).replace(".", "\\."))
                .collect(Collectors.joining("", "{", "}"));
    }

    /** Reads the value from a live object, or null where the path does not exist (yet). */
    public Object readFrom(Map<String, Object> live) {
        Object current = live;
        for (Object segment : path) {
            if (segment instanceof String key && current instanceof Map<?, ?> map) {
                current = map.get(key);
            } else if (segment instanceof Integer index && current instanceof List<?> list) {
                current = index < list.size() ? list.get(index) : null;
            } else if (segment instanceof OneOf oneOf && current instanceof Map<?, ?> map) {
                current = oneOf.keys().stream().map(map::get).filter(java.util.Objects::nonNull).findFirst().orElse(null);
            } else if (segment instanceof Decoded && current instanceof String encoded) {
                try {
                    current = new String(java.util.Base64.getDecoder().decode(encoded), java.nio.charset.StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            } else if (segment instanceof Encoded && current instanceof String text) {
                current = java.util.Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } else {
                return null;
            }
        }
        return current;
    }

    @Override
    public List<LiveValue> values() {
        return List.of(this);
    }

    @Override
    public Object resolve(java.util.function.Function<LiveValue, Object> lookup,
                          java.util.function.Function<IssuedToken, String> issue) {
        return lookup.apply(this);
    }

    /** The value itself, without a trailing {@code | base64 -d}: what decoding would apply to. */
    public boolean decoded() {
        return !path.isEmpty() && path.get(path.size() - 1) instanceof Decoded;
    }

    private boolean encoded() {
        return !path.isEmpty() && path.get(path.size() - 1) instanceof Encoded;
    }

    /** How a value not known before apply starts when shown (plan). */
    public static final String UNKNOWN_PREFIX = "(known after apply: ";

    /** How plans and renderings show the value before it is known. */
    @Override
    public String toString() {
        return UNKNOWN_PREFIX + source.id() + " " + jsonPath() + (decoded() ? " | base64 -d" : encoded() ? " | base64" : "") + ")";
    }
}
