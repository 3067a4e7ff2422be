package io.meshfed.inventory.yaml;

import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which plain scalars are booleans, numbers, nulls and timestamps: PyYAML's YAML 1.1 rules
 * ({@code yaml/resolver.py}), which Ansible's loader uses, where SnakeYAML's differ. A float needs a
 * dot and a signed exponent ({@code 1e6} and {@code 1.0e6} are strings, {@code 1.0e+6} is a float);
 * {@code y}/{@code n} are strings, {@code yes}/{@code on}/{@code off} booleans; octal is {@code 0755}
 * ({@code 0o755} is a string); sexagesimal {@code 190:20:30} is an integer.
 */
final class AnsibleResolver extends Resolver {

    static final Pattern FLOAT = Pattern.compile("^(?:[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?"
            + "|\\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
            + "|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*"
            + "|[-+]?\\.(?:inf|Inf|INF)"
            + "|\\.(?:nan|NaN|NAN))$");
    static final Pattern INT = Pattern.compile("^(?:[-+]?0b[0-1_]+"
            + "|[-+]?0[0-7_]+"
            + "|[-+]?(?:0|[1-9][0-9_]*)"
            + "|[-+]?0x[0-9a-fA-F_]+"
            + "|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$");
    static final Pattern TIMESTAMP = Pattern.compile("^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
            + "|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?"
            + "(?:[Tt]|[ \\t]+)[0-9][0-9]?"
            + ":[0-9][0-9]:[0-9][0-9](?:\\.[0-9]*)?"
            + "(?:[ \\t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$");
    private static final Pattern TIMESTAMP_PARTS = Pattern.compile("^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"
            + "(?:(?:[Tt]|[ \\t]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:\\.([0-9]*))?"
            + "(?:[ \\t]*(Z|([-+])([0-9]{1,2})(?::([0-9]{2}))?))?)?$");

    @Override
    protected void addImplicitResolvers() {
        addImplicitResolver(Tag.BOOL, BOOL, "yYnNtTfFoO", 10);
        addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.");   // no length limit: a number may be long
        addImplicitResolver(Tag.INT, INT, "-+0123456789");
        addImplicitResolver(Tag.MERGE, MERGE, "<", 10);
        addImplicitResolver(Tag.NULL, NULL, "~nN\0", 10);
        addImplicitResolver(Tag.NULL, EMPTY, null, 10);
        addImplicitResolver(Tag.TIMESTAMP, TIMESTAMP, "0123456789", 50);
    }

    /**
     * A YAML timestamp as Python's {@code isoformat()} prints the date or datetime PyYAML makes of
     * it: {@code 2024-03-02}, {@code 2024-03-02T01:00:00}, {@code 2024-03-02T03:30:00+00:00} (Z),
     * {@code 2001-12-14T21:59:43.100000-05:00} (a fraction in microseconds).
     */
    static String isoformat(String timestamp) {
        Matcher m = TIMESTAMP_PARTS.matcher(timestamp.trim());
        if (!m.matches()) {
            return timestamp;
        }
        String date = String.format("%s-%02d-%02d", m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
        if (m.group(4) == null) {
            return date;
        }
        StringBuilder text = new StringBuilder(date).append(String.format("T%02d:%s:%s", Integer.parseInt(m.group(4)),
                m.group(5), m.group(6)));
        String fraction = m.group(7) == null ? "" : m.group(7);
        if (!fraction.isEmpty() && !fraction.matches("0*")) {
            text.append('.').append((fraction + "000000").substring(0, 6));
        }
        if ("Z".equals(m.group(8))) {
            text.append("+00:00");
        } else if (m.group(9) != null) {
            text.append(m.group(9)).append(String.format("%02d:%s", Integer.parseInt(m.group(10)),
                    m.group(11) == null ? "00" : m.group(11)));
        }
        return text.toString();
    }
}
