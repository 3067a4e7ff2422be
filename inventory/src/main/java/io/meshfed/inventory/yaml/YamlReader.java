package io.meshfed.inventory.yaml;

import io.meshfed.inventory.InventoryException;
import io.meshfed.model.inventory.Location;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads YAML as Ansible's loader (PyYAML, YAML 1.1) does, into {@link Located} trees, so that every
 * value can be reported with its file, line and column:
 * <ul>
 *   <li>scalars are typed by PyYAML's rules, not SnakeYAML's where they differ ({@link AnsibleResolver}):
 *       {@code 1e6} is a string, timestamps are the text Python's {@code isoformat()} prints;</li>
 *   <li>merge keys ({@code <<: *a}, {@code <<: [*a, *b]}) are applied; keys written beside them win;</li>
 *   <li>{@code !unsafe} marks a string Ansible never templates ({@link Located#unsafe()});</li>
 *   <li>a key given twice keeps its last value; each repetition is reported to {@code duplicates}
 *       (Ansible warns; kubectl rejects a manifest).</li>
 * </ul>
 * Syntax errors and unreadable files become {@link InventoryException}s.
 */
public final class YamlReader {

    /** Told of each key given twice in one mapping: where the kept one is, and what to say. */
    @FunctionalInterface
    public interface Duplicates {
        void found(Location kept, String key, Location dropped);
    }

    private static final String UNSAFE = "!unsafe";
    private static final String VAULT = "!vault";

    private YamlReader() {
    }

    /** The first document of a file; an empty file is null. */
    public static Located readFile(Path file, String displayName, Duplicates duplicates) {
        List<Located> docs = readAll(file, displayName, duplicates);
        return docs.isEmpty() ? new Located(null, new Location(displayName, 1, 1)) : docs.get(0);
    }

    /** Every document of a file (empty documents left out). */
    public static List<Located> readAll(Path file, String displayName, Duplicates duplicates) {
        return readAll(new StringReader(Utf8.read(file, displayName)), displayName, duplicates);
    }

    /** Every document of a text (empty documents left out). */
    public static List<Located> readAll(Reader reader, String displayName, Duplicates duplicates) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true);
        Scalars scalars = new Scalars(options);
        Yaml yaml = new Yaml(scalars, new Representer(new DumperOptions()), new DumperOptions(), options, new AnsibleResolver());
        List<Located> docs = new ArrayList<>();
        try {
            for (Node node : yaml.composeAll(reader)) {
                if (node != null) {
                    docs.add(new Conversion(displayName, scalars, duplicates).convert(node, false));
                }
            }
        } catch (MarkedYAMLException e) {
            throw new InventoryException(syntaxError(e, displayName));
        } catch (YAMLException e) {
            throw new InventoryException(new Location(displayName, 0, 0), "YAML error: " + e.getMessage());
        }
        return docs;
    }

    /** One document's nodes to Located values. */
    private record Conversion(String file, Scalars scalars, Duplicates duplicates) {

        Located convert(Node node, boolean unsafe) {
            Location location = location(file, node.getStartMark());
            boolean markedUnsafe = unsafe || UNSAFE.equals(node.getTag().getValue());
            if (node instanceof MappingNode mapping) {
                return new Located(mapping(mapping, markedUnsafe), location);
            }
            if (node instanceof SequenceNode sequence) {
                List<Located> list = new ArrayList<>();
                for (Node item : sequence.getValue()) {
                    list.add(convert(item, markedUnsafe));
                }
                return new Located(list, location);
            }
            ScalarNode scalar = (ScalarNode) node;
            if (markedUnsafe) {
                return new Located(scalar.getValue(), location, true);
            }
            if (VAULT.equals(node.getTag().getValue())) {
                return new Located(new Vaulted(scalar.getValue()), location);
            }
            if (!node.getTag().startsWith(Tag.PREFIX)) {   // a local tag (!foo): not YAML's own
                throw new InventoryException(location, "YAML tag " + node.getTag().getValue() + " is not supported (meshfed "
                        + "reads !unsafe, !vault and YAML's own tags)");
            }
            return new Located(scalars.construct(scalar), location);
        }

        private Map<String, Located> mapping(MappingNode mapping, boolean unsafe) {
            Map<String, Located> map = new LinkedHashMap<>();
            Map<String, Location> keys = new LinkedHashMap<>();
            Map<String, Located> merged = new LinkedHashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                Node keyNode = tuple.getKeyNode();
                Located value = convert(tuple.getValueNode(), unsafe);
                if (keyNode.getTag().equals(Tag.MERGE)) {
                    merge(location(file, keyNode.getStartMark()), value, merged);
                    continue;
                }
                Located key = convert(keyNode, false);
                if (key.value() == null || key.isMap() || key.isList()) {
                    throw new InventoryException(key.location(), "a mapping key must be a scalar, not " + key.typeName());
                }
                String name = String.valueOf(key.value());
                Location earlier = keys.put(name, key.location());
                if (earlier != null) {
                    duplicates.found(key.location(), name, earlier);
                }
                map.put(name, value.under(key.location(), key.value()));   // the last one wins, in the place the first was written (a Python dict)
            }
            merged.forEach(map::putIfAbsent);
            return map;
        }

        /** {@code <<: *a} or {@code <<: [*a, *b]}: the first source that has a key gives it. */
        private static void merge(Location key, Located value, Map<String, Located> merged) {
            List<Located> sources = value.isList() ? value.asList() : List.of(value);
            for (Located source : sources) {
                if (!source.isMap()) {
                    throw new InventoryException(key, "a merge key (<<) takes a mapping or a list of mappings, not "
                            + (value.isList() ? "a list holding " : "") + source.typeName());
                }
                source.asMap().forEach(merged::putIfAbsent);
            }
        }
    }

    /** Constructs the YAML reader opens and must close: an error in one is reported where it was opened. */
    private static final Pattern UNCLOSED = Pattern.compile("while (?:parsing|scanning) an? (flow sequence|flow mapping|quoted scalar)");

    /**
     * A syntax error at its place: where a {@code [}, a <code>{</code> or a quote that is never closed
     * was opened (the reader notices only where the stream or the construct ends), else where the
     * reader stopped.
     */
    private static InventoryException.Problem syntaxError(MarkedYAMLException e, String file) {
        String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
        Mark stopped = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        Matcher unclosed = UNCLOSED.matcher(String.valueOf(e.getContext()));
        if (unclosed.find() && e.getContextMark() != null && stopped != null) {
            Location opened = location(file, e.getContextMark());
            Location at = location(file, stopped);
            return new InventoryException.Problem(opened, "YAML syntax error: this " + unclosed.group(1) + " is not closed ("
                    + problem + " at " + at.line() + ":" + at.column() + ")");
        }
        String context = e.getContext() != null ? " (" + e.getContext() + ")" : "";
        return new InventoryException.Problem(location(file, stopped), "YAML syntax error: " + problem + context);
    }

    private static Location location(String file, Mark mark) {
        return mark == null ? new Location(file, 0, 0) : new Location(file, mark.getLine() + 1, mark.getColumn() + 1);
    }

    /**
     * SnakeYAML's safe scalar construction (YAML 1.1 types) for single nodes; a timestamp becomes the
     * text Python prints for it, as {@code ansible-inventory --list} shows it; binary stays text.
     */
    private static final class Scalars extends SafeConstructor {
        Scalars(LoaderOptions options) {
            super(options);
        }

        Object construct(ScalarNode node) {
            if (node.getTag().equals(Tag.TIMESTAMP)) {
                return AnsibleResolver.isoformat(node.getValue());
            }
            Object value = constructObject(node);
            return value instanceof byte[] ? node.getValue() : value;
        }
    }
}
