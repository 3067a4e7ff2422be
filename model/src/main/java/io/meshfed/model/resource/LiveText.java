package io.meshfed.model.resource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * A text made of literal parts and live fields, optionally base64-encoded as a whole once resolved (a
 * Secret's {@code data} value): a remote secret's kubeconfig, with the peer's API server URL, CA and
 * reader token in it.
 *
 * @param parts  literal strings and {@link LiveValue}s, in order
 * @param base64 whether the resolved text is base64-encoded (for a Secret's {@code data})
 */
public record LiveText(List<Object> parts, boolean base64) implements Live {

    public LiveText {
        parts = List.copyOf(parts);
        for (Object part : parts) {
            if (!(part instanceof String) && !(part instanceof LiveValue)) {
                throw new IllegalArgumentException("a live text is made of strings and live values, not " + part);
            }
        }
    }

    @Override
    public List<LiveValue> values() {
        List<LiveValue> values = new ArrayList<>();
        for (Object part : parts) {
            if (part instanceof LiveValue value) {
                values.add(value);
            }
        }
        return values;
    }

    @Override
    public Object resolve(Function<LiveValue, Object> lookup) {
        StringBuilder text = new StringBuilder();
        for (Object part : parts) {
            if (part instanceof LiveValue value) {
                Object resolved = lookup.apply(value);
                if (resolved == null) {
                    return null;
                }
                text.append(resolved);
            } else {
                text.append(part);
            }
        }
        return base64 ? Base64.getEncoder().encodeToString(text.toString().getBytes(StandardCharsets.UTF_8)) : text.toString();
    }

    /** The text with each field shown as known after apply (never encoded: it is for reading). */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        parts.forEach(text::append);
        return text.toString();
    }
}
