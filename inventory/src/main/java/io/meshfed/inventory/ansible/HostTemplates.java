package io.meshfed.inventory.ansible;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import io.meshfed.inventory.InventoryException;
import io.meshfed.inventory.yaml.Located;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jinja in a host's variables, rendered as Ansible renders them when they are used
 * ({@code mesh_name: "{{ inventory_hostname }}-mesh"}), by HubSpot's Jinjava over the host's merged
 * variables and Ansible's magic ones ({@code inventory_hostname}, {@code inventory_hostname_short},
 * {@code group_names}, {@code groups}, {@code hostvars}):
 * <ul>
 *   <li>a variable may use others that hold Jinja themselves (rendered in turn; a loop is an error);</li>
 *   <li>a value that is one expression ({@code "{{ addresses }}"}) keeps the type of what it gives — a
 *       list, a mapping, a boolean — other results are text (Ansible's {@code ansible_eval_concat});</li>
 *   <li>{@code !unsafe} values are never rendered;</li>
 *   <li>what cannot be evaluated (an undefined variable, a lookup plugin) is an error at the value, naming
 *       the expression.</li>
 * </ul>
 * {@code inventory --list} shows the variables as written, as {@code ansible-inventory} does.
 */
final class HostTemplates {

    /** How many times variables that use variables are rendered again before a loop is declared. */
    private static final int DEPTH = 10;
    private static final Pattern ONE_EXPRESSION = Pattern.compile("^\\{\\{(?:(?!\\}\\}|\\{\\{|\\{%).)*\\}\\}$", Pattern.DOTALL);

    /** Made on first use: an inventory without Jinja does not pay for loading the engine. */
    private static final class Engine {
        /** Every filter's name, Jinjava's and Ansible's ({@link AnsibleFilters}); filled as the engine is made. */
        static final java.util.Set<String> FILTERS = new java.util.TreeSet<>();
        static final Jinjava JINJAVA = make();

        private static Jinjava make() {
            Jinjava jinjava = new Jinjava(JinjavaConfig.newBuilder().withFailOnUnknownTokens(true).build());
            AnsibleFilters.all().forEach(f -> jinjava.getGlobalContext().registerFilter(f));
            jinjava.getGlobalContext().getAllFilters().forEach(f -> FILTERS.add(f.getName()));
            return jinjava;
        }
    }

    /** A filter's name after {@code |}, outside quoted text. */
    private static final Pattern FILTER = Pattern.compile("\\|\\s*([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern QUOTED = Pattern.compile("'(?:[^'\\\\]|\\\\.)*'|\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern EXPRESSIONS = Pattern.compile("\\{\\{(.*?)\\}\\}|\\{%(.*?)%\\}", Pattern.DOTALL);

    /**
     * A filter neither Jinjava nor meshfed's Ansible filters define, named as such (Jinjava would say that the
     * value it filters is undefined), with the closest one.
     */
    private static void knownFilters(String template, Located at) {
        Matcher expressions = EXPRESSIONS.matcher(template);
        while (expressions.find()) {
            String code = QUOTED.matcher(expressions.group(1) != null ? expressions.group(1) : expressions.group(2)).replaceAll("''");
            Matcher filter = FILTER.matcher(code);
            while (filter.find()) {
                String name = filter.group(1);
                if (!Engine.FILTERS.contains(name)) {
                    String closest = io.meshfed.model.text.Suggestions.closest(name, Engine.FILTERS, 3);
                    throw new InventoryException(at.location(), "cannot evaluate " + template + ": no filter '" + name + "'"
                            + (closest == null ? "" : " (did you mean " + closest + "?)") + ": meshfed has Jinja's filters and "
                            + "Ansible's common ones (to_json, to_nice_yaml, combine, dict2items, regex_search, ternary, urlsplit, ...)");
                }
            }
        }
    }

    private HostTemplates() {
    }

    static boolean isTemplate(Located v) {
        return !v.unsafe() && v.value() instanceof String s && (s.contains("{{") || s.contains("{%"));
    }

    /**
     * The host's variables with every template rendered, each keeping the place it was written.
     *
     * @param magicVars Ansible's magic variables for the host (they cannot be overridden), made only
     *                  where a value holds Jinja
     */
    static Map<String, Located> render(Map<String, Located> vars, Supplier<Map<String, Object>> magicVars) {
        return render(vars, magicVars, new java.util.IdentityHashMap<>());
    }

    /** @param templated whether a value holds a template, remembered by instance across calls */
    static Map<String, Located> render(Map<String, Located> vars, Supplier<Map<String, Object>> magicVars,
                                       Map<Located, Boolean> templated) {
        return render(vars, magicVars, templated, key -> true);
    }

    /**
     * As Ansible, which evaluates a variable when it is used: only {@code used} variables must evaluate; another
     * that cannot (a magic variable of a play, a lookup, a vaulted value) stays as written and is undefined to the
     * templates of the others — and where a used one needs it, the error is that variable's own, at its place.
     *
     * @param used the variables whose value is needed (meshfed's keys)
     */
    static Map<String, Located> render(Map<String, Located> vars, Supplier<Map<String, Object>> magicVars,
                                       Map<Located, Boolean> templated, java.util.function.Predicate<String> used) {
        if (vars.values().stream().noneMatch(v -> templated.computeIfAbsent(v, HostTemplates::containsTemplate))) {
            return vars;
        }
        Map<String, Object> magic = magicVars.get();
        Map<String, Located> current = new LinkedHashMap<>(vars);
        Map<String, InventoryException> failed = new LinkedHashMap<>();
        for (int pass = 1; ; pass++) {
            Map<String, Object> context = new LinkedHashMap<>();
            current.forEach((k, v) -> {
                if (!failed.containsKey(k) && !(v.value() instanceof io.meshfed.inventory.yaml.Vaulted)) {
                    context.put(k, v.plain());   // a vaulted value no password decrypts is undefined to templates
                }
            });
            context.putAll(magic);
            Map<String, Located> next = new LinkedHashMap<>();
            boolean deferred = false;
            for (Map.Entry<String, Located> e : vars.entrySet()) {
                String key = e.getKey();
                if (failed.containsKey(key) || !containsTemplate(e.getValue())) {
                    next.put(key, e.getValue());
                    continue;
                }
                try {
                    next.put(key, render(e.getValue(), context));
                } catch (InventoryException error) {
                    next.put(key, e.getValue());
                    if (pass < DEPTH && usesUnrendered(key, e.getValue(), current, failed.keySet())) {
                        // a variable it uses is still a template (a mapping still text: combine() of it fails): again
                        // once that one is rendered
                        deferred = true;
                        continue;
                    }
                    if (used.test(key)) {
                        throw causeIn(error, failed, key);
                    }
                    failed.put(key, error);
                }
            }
            if (next.equals(current) && !deferred) {
                return next;
            }
            if (pass >= DEPTH) {   // still changing: a loop, an error where a used variable is in it
                List<InventoryException.Problem> loops = new ArrayList<>();
                next.forEach((k, v) -> {
                    if (!v.equals(current.get(k)) && used.test(k)) {
                        loops.add(new InventoryException.Problem(vars.get(k).location(), "cannot evaluate " + k + " = "
                                + vars.get(k).value() + ": it uses itself, through other variables (a recursive loop)"));
                    }
                });
                if (loops.isEmpty()) {
                    return next;
                }
                throw new InventoryException(loops);
            }
            current.clear();
            current.putAll(next);
        }
    }

    /** Whether {@code value}'s templates name another variable whose value is still a template itself. */
    private static boolean usesUnrendered(String key, Located value, Map<String, Located> current,
                                          java.util.Set<String> failed) {
        String text = String.valueOf(value.plain());
        for (Map.Entry<String, Located> other : current.entrySet()) {
            if (!other.getKey().equals(key) && !failed.contains(other.getKey()) && containsTemplate(other.getValue())
                    && Pattern.compile("\\b" + Pattern.quote(other.getKey()) + "\\b").matcher(text).find()) {
                return true;
            }
        }
        return false;
    }

    private static final Pattern UNDEFINED = Pattern.compile("'(\\w+)' is undefined");

    /** A used variable's error: where it is that another variable it uses is undefined because that one fails, that one's. */
    private static InventoryException causeIn(InventoryException error, Map<String, InventoryException> failed, String key) {
        for (InventoryException.Problem p : error.problems()) {
            Matcher undefined = UNDEFINED.matcher(p.message());
            if (undefined.find() && failed.containsKey(undefined.group(1))) {
                InventoryException cause = failed.get(undefined.group(1));
                List<InventoryException.Problem> problems = new ArrayList<>();
                cause.problems().forEach(c -> problems.add(new InventoryException.Problem(c.location(), c.message()
                        + " (" + key + " uses " + undefined.group(1) + ")")));
                return new InventoryException(problems);
            }
        }
        return error;
    }

    private static boolean containsTemplate(Located v) {
        if (isTemplate(v)) {
            return true;
        }
        if (v.isMap()) {
            return v.asMap().values().stream().anyMatch(HostTemplates::containsTemplate);
        }
        return v.isList() && v.asList().stream().anyMatch(HostTemplates::containsTemplate);
    }

    private static Located render(Located v, Map<String, Object> context) {
        if (isTemplate(v)) {
            return located(evaluate((String) v.value(), context, v), v);
        }
        if (v.isMap()) {
            Map<String, Located> out = new LinkedHashMap<>();
            v.asMap().forEach((k, item) -> out.put(k, render(item, context)));
            return new Located(out, v.location(), false, v.keyLocation());
        }
        if (v.isList()) {
            List<Located> out = new ArrayList<>();
            v.asList().forEach(item -> out.add(render(item, context)));
            return new Located(out, v.location(), false, v.keyLocation());
        }
        return v;
    }

    /** The template's value: native for one expression, else text (a list or mapping written out is read back). */
    private static Object evaluate(String template, Map<String, Object> context, Located at) {
        knownFilters(template, at);
        String trimmed = template.strip();
        Matcher one = ONE_EXPRESSION.matcher(trimmed);
        if (one.matches()) {
            String expression = trimmed.substring(2, trimmed.length() - 2).strip();
            JinjavaInterpreter interpreter = Engine.JINJAVA.newInterpreter();
            interpreter.getContext().putAll(context);
            JinjavaInterpreter.pushCurrent(interpreter);
            try {
                Object value = interpreter.resolveELExpression(expression, at.location().line());
                failOn(interpreter.getErrors(), template, at);
                return nativeValue(value);
            } catch (InventoryException e) {
                throw e;
            } catch (RuntimeException e) {   // Jinjava throws what it cannot resolve in an expression
                throw new InventoryException(at.location(), "cannot evaluate " + template + ": " + reason(e.getMessage()));
            } finally {
                JinjavaInterpreter.popCurrent();
            }
        }
        RenderResult result;
        try {
            result = Engine.JINJAVA.renderForResult(template, context);
        } catch (RuntimeException e) {
            throw new InventoryException(at.location(), "cannot evaluate " + template + ": " + reason(e.getMessage()));
        }
        failOn(result.getErrors(), template, at);
        String out = result.getOutput();
        return out.startsWith("[") || out.startsWith("{") || out.equals("True") || out.equals("False")
                ? PythonLiteral.evalOrText(out) : out;
    }

    /** One expression's value as Ansible keeps it: a list, a mapping or a boolean as such, the rest as text. */
    private static Object nativeValue(Object value) {
        if (value instanceof Boolean || value instanceof List<?> || value instanceof Map<?, ?>) {
            return value;
        }
        return value == null ? "" : String.valueOf(value);
    }

    private static void failOn(List<TemplateError> errors, String template, Located at) {
        for (TemplateError e : errors) {
            if (e.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new InventoryException(at.location(), "cannot evaluate " + template + ": " + reason(e.getMessage()));
            }
        }
    }

    private static final Pattern UNKNOWN = Pattern.compile("Unknown token found: ([\\w.]+)");
    private static final Pattern FUNCTION = Pattern.compile("Could not resolve function '(\\w+)'");

    private static String reason(String error) {
        String message = Objects.toString(error, "");
        Matcher unknown = UNKNOWN.matcher(message);
        if (unknown.find()) {
            return "'" + unknown.group(1) + "' is undefined";
        }
        Matcher function = FUNCTION.matcher(message);
        if (function.find()) {
            return function.group(1).equals("lookup") || function.group(1).equals("query")
                    ? function.group(1) + "() runs an Ansible lookup plugin, which meshfed does not run: set the value itself"
                    : "no function '" + function.group(1) + "'";
        }
        return message;
    }

    /** A rendered value as the YAML reader would hold it, at the template's place. */
    @SuppressWarnings("unchecked")
    private static Located located(Object value, Located at) {
        if (value instanceof List<?> list) {
            List<Located> items = new ArrayList<>();
            list.forEach(item -> items.add(located(item, at)));
            return new Located(items, at.location(), false, at.keyLocation());
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Located> entries = new LinkedHashMap<>();
            ((Map<Object, Object>) map).forEach((k, item) -> entries.put(String.valueOf(k), located(item, at)));
            return new Located(entries, at.location(), false, at.keyLocation());
        }
        return new Located(value, at.location(), false, at.keyLocation());
    }
}
