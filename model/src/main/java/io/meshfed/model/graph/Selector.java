package io.meshfed.model.graph;

import io.meshfed.model.resource.DesiredObject;
import io.meshfed.model.resource.ObjectRef;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A conjunction of terms that select graph nodes. A term is {@code key:value} or a bare flag.
 * <ul>
 *   <li>{@code kind:K}, {@code group:G} (API group, {@code core} for the core group), {@code name:N},
 *       {@code namespace:NS}: the object's identity;</li>
 *   <li>any other {@code key:value}: a tag the renderer gave the object (for example {@code role:peer});</li>
 *   <li>flags {@code namespaced}, {@code managed}, {@code observed}.</li>
 * </ul>
 * Values may hold placeholders {@code {namespace}}, {@code {name}}, {@code {kind}} that are replaced with
 * the dependent object's values before the dependency side is matched.
 */
public record Selector(List<String> terms) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(namespace|name|kind)}");
    private static final List<String> FLAGS = List.of("namespaced", "managed", "observed");

    public Selector {
        terms = List.copyOf(terms);
        if (terms.isEmpty()) {
            throw new IllegalArgumentException("a selector needs at least one term");
        }
        for (String term : terms) {
            if (!term.contains(":") && !FLAGS.contains(term)) {
                throw new IllegalArgumentException("unknown selector flag '" + term + "' (flags: " + FLAGS + ")");
            }
        }
    }

    public static Selector parse(String text) {
        return new Selector(List.of(text.trim().split("\\s+")));
    }

    /** The terms with placeholders replaced by the given object's values; null where one is missing. */
    public Selector bind(ObjectRef dependent) {
        List<String> bound = new ArrayList<>(terms.size());
        for (String term : terms) {
            Matcher m = PLACEHOLDER.matcher(term);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String value = switch (m.group(1)) {
                    case "namespace" -> dependent.namespace();
                    case "name" -> dependent.name();
                    default -> dependent.kind();
                };
                if (value == null) {
                    return null;
                }
                m.appendReplacement(sb, Matcher.quoteReplacement(value));
            }
            m.appendTail(sb);
            bound.add(sb.toString());
        }
        return new Selector(bound);
    }

    public boolean matches(DesiredObject object) {
        return matches(termsOf(object));
    }

    /** Whether an object answering to {@code objectTerms} (see {@link #termsOf}) is selected. */
    boolean matches(Set<String> objectTerms) {
        return objectTerms.containsAll(terms);
    }

    /** Every term an object answers to; the graph builder indexes nodes by them. */
    static Set<String> termsOf(DesiredObject object) {
        ObjectRef ref = object.ref();
        Set<String> terms = new HashSet<>(16 + object.tags().size() * 2);
        terms.add("kind:" + ref.kind());
        terms.add("group:" + (ref.group().isEmpty() ? "core" : ref.group()));
        terms.add("name:" + ref.name());
        if (ref.namespaced()) {
            terms.add("namespace:" + ref.namespace());
            terms.add("namespaced");
        }
        terms.add(object.managed() ? "managed" : "observed");
        terms.addAll(object.tags());
        return terms;
    }

    /** Index helper: the term of this selector with the fewest candidates. */
    String narrowest(Map<String, ? extends List<?>> index) {
        String best = terms.get(0);
        int bestSize = Integer.MAX_VALUE;
        for (String term : terms) {
            List<?> candidates = index.get(term);
            int size = candidates == null ? 0 : candidates.size();
            if (size < bestSize) {
                best = term;
                bestSize = size;
            }
        }
        return best;
    }

    @Override
    public String toString() {
        return String.join(" ", terms);
    }
}
