package io.meshfed.model.resource;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Kubernetes label selectors ({@code matchLabels} and {@code matchExpressions}), judged as the API server does. */
public final class LabelSelectors {

    private LabelSelectors() {
    }

    /** Whether {@code selector} selects an object carrying {@code labels}; none or an empty one selects everything. */
    @SuppressWarnings("unchecked")
    public static boolean matches(Object selector, Map<String, String> labels) {
        if (!(selector instanceof Map<?, ?> s)) {
            return true;
        }
        if (s.get("matchLabels") instanceof Map<?, ?> match
                && !match.entrySet().stream().allMatch(e -> Objects.equals(String.valueOf(e.getValue()), labels.get(e.getKey())))) {
            return false;
        }
        for (Map<String, Object> expression : Tree.maps((Map<String, Object>) s, "matchExpressions")) {
            String value = labels.get(String.valueOf(expression.get("key")));
            List<String> values = expression.get("values") instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
            boolean ok = switch (String.valueOf(expression.get("operator"))) {
                case "In" -> value != null && values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
