package io.meshfed.model.resource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * A text made of literal parts, live fields and issued tokens, optionally base64-encoded as a whole once
 * resolved (a Secret's {@code data} value): a remote secret's kubeconfig, with the peer's API server URL,
 * CA and a token of the peer's reader account in it.
 *
 * @param parts  literal strings, {@link LiveValue}s and {@link IssuedToken}s, in order
 * @param base64 whether the resolved text is base64-encoded (for a Secret's {@code data})
 */
public record LiveText(List<Object> parts, boolean base64) implements Live {

    public LiveText {
        parts = List.copyOf(parts);
        for (Object part : parts) {
            if (!(part instanceof String) && !(part instanceof LiveValue) && !(part instanceof IssuedToken)) {
                throw new IllegalArgumentException("a live text is made of strings, live values and tokens, not " + part);
            }
        }
    }

    @Override
    public List<LiveValue> values() {
        List<LiveValue> values = new ArrayList<>();
        for (Object part : parts) {
            if (part instanceof LiveValue value) {
                values.add(value);
            } else if (part instanceof IssuedToken token) {
                values.add(token.account());
            }
        }
        return values;
    }

    @Override
    public Object resolve(Function<LiveValue, Object> lookup, Function<IssuedToken, String> issue) {
        StringBuilder text = new StringBuilder();
        for (Object part : parts) {
            if (part instanceof LiveValue || part instanceof IssuedToken) {
                Object resolved = part instanceof LiveValue value ? lookup.apply(value) : issue.apply((IssuedToken) part);
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
