package io.meshfed.inventory.yaml;

import io.meshfed.inventory.InventoryException;
import io.meshfed.model.inventory.Location;
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

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads YAML (1.1, as Ansible's PyYAML does: {@code yes} is a boolean) into {@link Located} trees, so
 * that every value can be reported with its file, line and column. Merge keys ({@code <<}) are applied.
 * Syntax errors and unreadable files become {@link InventoryException}s.
 */
public final class YamlReader {

    private YamlReader() {
    }

    /** The first document of a file; an empty file is null. */
    public static Located readFile(Path file, String displayName) {
        List<Located> docs = readAll(file, displayName);
        return docs.isEmpty() ? new Located(null, new Location(displayName, 1, 1)) : docs.get(0);
    }

    /** Every document of a file (empty documents left out). */
    public static List<Located> readAll(Path file, String displayName) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InventoryException(new Location(displayName, 0, 0), "no such file");
        } catch (MalformedInputException e) {
            throw new InventoryException(new Location(displayName, 0, 0), "cannot read file: not UTF-8 text");
        } catch (IOException e) {
            throw new InventoryException(new Location(displayName, 0, 0), "cannot read file: " + reason(e));
        }
        return readAll(new StringReader(text), displayName);
    }

    static List<Located> readAll(Reader reader, String displayName) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true);
        Yaml yaml = new Yaml(options);
        Scalars scalars = new Scalars(options);
        List<Located> docs = new ArrayList<>();
        try {
            for (Node node : yaml.composeAll(reader)) {
                if (node != null) {
                    docs.add(convert(node, displayName, scalars));
                }
            }
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            String context = e.getContext() != null ? " (" + e.getContext() + ")" : "";
            throw new InventoryException(location(displayName, mark), "YAML syntax error: " + problem + context);
        } catch (YAMLException e) {
            throw new InventoryException(new Location(displayName, 0, 0), "YAML error: " + e.getMessage());
        }
        return docs;
    }

    private static Located convert(Node node, String file, Scalars scalars) {
        Location location = location(file, node.getStartMark());
        if (node instanceof MappingNode mapping) {
            Map<String, Located> map = new LinkedHashMap<>();
            Map<String, Located> merged = new LinkedHashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                Located key = convert(tuple.getKeyNode(), file, scalars);
                Located value = convert(tuple.getValueNode(), file, scalars);
                if ("<<".equals(key.value()) && value.isMap()) {
                    merged.putAll(value.asMap());
                } else if ("<<".equals(key.value()) && value.isList()) {
                    for (Located source : value.asList()) {
                        if (source.isMap()) {
                            source.asMap().forEach(merged::putIfAbsent);
                        }
                    }
                } else if (key.value() == null || key.isMap() || key.isList()) {
                    throw new InventoryException(key.location(), "a mapping key must be a scalar, not " + key.typeName());
                } else {
                    map.put(String.valueOf(key.value()), value);
                }
            }
            merged.forEach(map::putIfAbsent);
            return new Located(map, location);
        }
        if (node instanceof SequenceNode sequence) {
            List<Located> list = new ArrayList<>();
            for (Node item : sequence.getValue()) {
                list.add(convert(item, file, scalars));
            }
            return new Located(list, location);
        }
        return new Located(scalars.construct((ScalarNode) node), location);
    }

    private static Location location(String file, Mark mark) {
        return mark == null ? new Location(file, 0, 0) : new Location(file, mark.getLine() + 1, mark.getColumn() + 1);
    }

    private static String reason(IOException e) {
        String name = e.getClass().getSimpleName().replace("Exception", "");
        return e.getMessage() == null ? name : name + " " + e.getMessage();
    }

    /** SnakeYAML's safe scalar construction (YAML 1.1 types), exposed for single nodes. */
    private static final class Scalars extends SafeConstructor {
        Scalars(LoaderOptions options) {
            super(options);
        }

        Object construct(ScalarNode node) {
            Object value = constructObject(node);
            if (value instanceof java.util.Date date) {
                return node.getValue();
            }
            if (value instanceof byte[]) {
                return node.getValue();
            }
            return value;
        }
    }
}
