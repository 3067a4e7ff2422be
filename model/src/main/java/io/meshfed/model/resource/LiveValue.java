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

    /**
     * As a last segment: what is wanted is the value found, transformed by a pure function (a Secret's token
     * decoded, a certificate encoded, a load-balancer address's Gateway API type, a Service's ports as a
     * ServiceEntry's). Plans show the transform after the field, as a shell pipe would.
     */
    public sealed interface Transform permits Decoded, Encoded, AddressType, ServiceEntryPorts {
        /** The transformed value, or null where the value found is not what the transform takes. */
        Object apply(Object value);

        /** How a plan shows it after the field: {@code | base64 -d}. */
        String pipe();
    }

    /** The value found is base64 and its decoded text is wanted (a Secret's token). */
    public record Decoded() implements Transform {
        @Override
        public Object apply(Object value) {
            try {
                return value instanceof String encoded
                        ? new String(java.util.Base64.getDecoder().decode(encoded), java.nio.charset.StandardCharsets.UTF_8) : null;
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        @Override
        public String pipe() {
            return "base64 -d";
        }
    }

    public static final Decoded BASE64_DECODED = new Decoded();

    /** The value found is text and its base64 is wanted (a CA certificate for a kubeconfig). */
    public record Encoded() implements Transform {
        @Override
        public Object apply(Object value) {
            return value instanceof String text
                    ? java.util.Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)) : null;
        }

        @Override
        public String pipe() {
            return "base64";
        }
    }

    public static final Encoded BASE64_ENCODED = new Encoded();

    /**
     * The value found is an address; its Gateway API {@code addresses[].type} is wanted: {@code IPAddress} for an
     * IPv4 or IPv6 literal, {@code Hostname} otherwise (a cloud load balancer's DNS name).
     */
    public record AddressType() implements Transform {
        private static final java.util.regex.Pattern IP = java.util.regex.Pattern.compile(
                "\\d{1,3}(\\.\\d{1,3}){3}|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*");

        @Override
        public Object apply(Object value) {
            return value instanceof String address ? IP.matcher(address).matches() ? "IPAddress" : "Hostname" : null;
        }

        @Override
        public String pipe() {
            return "gateway address type";
        }
    }

    public static final AddressType ADDRESS_TYPE = new AddressType();

    /**
     * The value found is a Service's {@code spec.ports}; the same ports as a ServiceEntry declares them are wanted:
     * {@code number}, {@code name}, the {@code protocol} Istio infers from the port's {@code appProtocol} or its
     * name's prefix ({@code http-web} is HTTP; none where neither says, and Istio sniffs it), and, where
     * {@code targetPort} is asked for and the Service has a numeric one, that too.
     */
    public record ServiceEntryPorts(boolean targetPort) implements Transform {
        private static final List<String> PROTOCOLS = List.of("HTTP", "HTTPS", "GRPC", "HTTP2", "MONGO", "TCP", "TLS", "REDIS", "MYSQL");

        @Override
        public Object apply(Object value) {
            if (!(value instanceof List<?> ports)) {
                return null;
            }
            List<Object> entries = new java.util.ArrayList<>();
            for (Object p : ports) {
                if (!(p instanceof Map<?, ?> port) || !(port.get("port") instanceof Number number)) {
                    return null;
                }
                String name = port.get("name") instanceof String n && !n.isEmpty() ? n : "port-" + number;
                Map<String, Object> entry = new java.util.LinkedHashMap<>();
                entry.put("number", number.intValue());
                entry.put("name", name);
                String protocol = protocol(port.get("appProtocol") instanceof String a ? a : name.split("-", 2)[0]);
                if (protocol != null) {
                    entry.put("protocol", protocol);
                }
                if (targetPort && port.get("targetPort") instanceof Number target) {
                    entry.put("targetPort", target.intValue());
                }
                entries.add(entry);
            }
            return entries;
        }

        private static String protocol(String word) {
            String upper = word.toUpperCase(java.util.Locale.ROOT);
            return PROTOCOLS.contains(upper) ? upper : null;
        }

        @Override
        public String pipe() {
            return "service entry ports";
        }
    }

    public LiveValue {
        path = List.copyOf(path);
        for (Object segment : path) {
            if (!(segment instanceof String) && !(segment instanceof Integer) && !(segment instanceof OneOf)
                    && !(segment instanceof Transform)) {
                throw new IllegalArgumentException("path segments are keys, indices, one of several keys or a transform: " + path);
            }
        }
    }

    public static LiveValue of(ObjectRef source, Object... path) {
        return new LiveValue(source, List.of(path));
    }

    /** A JSONPath as kubectl writes it, for example {@code {.data.root-cert\.pem}}. */
    public String jsonPath() {
        return path.stream()
                .filter(s -> !(s instanceof Transform))
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
            } else if (segment instanceof Transform transform) {
                current = current == null ? null : transform.apply(current);
                if (current == null) {
                    return null;
                }
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

    private String pipe() {
        return !path.isEmpty() && path.get(path.size() - 1) instanceof Transform t ? " | " + t.pipe() : "";
    }

    /** How a value not known before apply starts when shown (plan). */
    public static final String UNKNOWN_PREFIX = "(known after apply: ";

    /** How plans and renderings show the value before it is known. */
    @Override
    public String toString() {
        return UNKNOWN_PREFIX + source.id() + " " + jsonPath() + pipe() + ")";
    }
}
