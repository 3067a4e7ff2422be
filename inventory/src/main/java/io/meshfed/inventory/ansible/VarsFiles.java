package io.meshfed.inventory.ansible;

import io.meshfed.inventory.InventoryException;
import io.meshfed.inventory.Warnings;
import io.meshfed.inventory.yaml.Located;
import io.meshfed.inventory.yaml.YamlReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code group_vars/<name>} and {@code host_vars/<name>} as Ansible's host_group_vars plugin finds
 * them: the first of {@code name}, {@code name.yml}, {@code name.yaml}, {@code name.json} that exists;
 * a folder is read recursively, files sorted by name, hidden and backup files skipped. Each file is
 * read once.
 */
final class VarsFiles {

    private static final List<String> EXTENSIONS = List.of("", ".yml", ".yaml", ".json");

    private final Path baseDir;
    private final String displayBase;
    private final Map<String, Map<String, Located>> cache = new HashMap<>();
    private final Warnings warnings;

    private final List<Vault.Secret> secrets;

    /** Every text a vault-encrypted variables file held: secrets, masked wherever meshfed prints. */
    final java.util.Set<String> revealed = java.util.concurrent.ConcurrentHashMap.newKeySet();

    VarsFiles(Path baseDir, String displayBase, Warnings warnings, List<Vault.Secret> secrets) {
        this.secrets = secrets;
        this.baseDir = baseDir;
        this.displayBase = displayBase;
        this.warnings = warnings;
    }

    Map<String, Located> load(String folder, String name) {
        return cache.computeIfAbsent(folder + "/" + name, k -> read(folder, name));
    }

    private Map<String, Located> read(String folder, String name) {
        Map<String, Located> vars = new LinkedHashMap<>();
        for (String ext : EXTENSIONS) {
            Path candidate = baseDir.resolve(folder).resolve(name + ext);
            if (Files.isDirectory(candidate)) {
                for (Path file : filesIn(candidate)) {
                    vars.putAll(readVarsFile(file));
                }
                break;
            } else if (Files.exists(candidate)) {
                vars.putAll(readVarsFile(candidate));
                break;
            }
        }
        return vars;
    }

    private List<Path> filesIn(Path dir) {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path entry : entries.sorted().toList()) {
                String file = entry.getFileName().toString();
                if (file.startsWith(".") || file.endsWith("~")) {
                    continue;
                }
                String ext = file.contains(".") ? file.substring(file.lastIndexOf('.')) : "";
                if (Files.isDirectory(entry) && ext.isEmpty()) {
                    found.addAll(filesIn(entry));
                } else if (Files.isRegularFile(entry) && EXTENSIONS.contains(ext)) {
                    found.add(entry);
                }
            }
        } catch (IOException e) {
            throw new InventoryException(new io.meshfed.model.inventory.Location(display(dir), 0, 0),
                    "cannot list folder: " + e.getMessage());
        }
        return found;
    }

    private Map<String, Located> readVarsFile(Path file) {
        Located doc = readMaybeVaulted(file);
        if (falsy(doc.value())) {
            return Map.of();   // Ansible: a file holding nothing, [], false, 0 or "" sets no variables
        }
        if (!doc.isMap()) {
            throw new InventoryException(doc.location(), "a variables file must hold a mapping, not " + doc.typeName());
        }
        return doc.asMap();
    }

    /** A variables file, or one ansible-vault encrypted whole ({@code ansible-vault encrypt}): decrypted first. */
    private Located readMaybeVaulted(Path file) {
        String text = io.meshfed.inventory.yaml.Utf8.read(file, display(file));
        if (!Vault.isVaulted(text)) {
            return YamlReader.readFile(file, display(file), warnings.duplicates());
        }
        String plain;
        try {
            plain = new String(Vault.decrypt(text, secrets), java.nio.charset.StandardCharsets.UTF_8);
        } catch (Vault.VaultException e) {
            throw new InventoryException(new io.meshfed.model.inventory.Location(display(file), 1, 1),
                    "cannot decrypt this vault-encrypted variables file: " + e.getMessage());
        }
        List<Located> docs = YamlReader.readAll(new java.io.StringReader(plain), display(file), warnings.duplicates());
        docs.forEach(this::reveal);
        return docs.isEmpty() ? new Located(null, new io.meshfed.model.inventory.Location(display(file), 1, 1)) : docs.get(0);
    }

    private void reveal(Located value) {
        if (value.isMap()) {
            value.asMap().values().forEach(this::reveal);
        } else if (value.isList()) {
            value.asList().forEach(this::reveal);
        } else if (value.value() instanceof String text) {
            revealed.add(text);   // texts only: a true or a port number is no secret, and masking it would mask the output
        }
    }

    /** Python's falsiness, which Ansible's vars loader tests before it requires a mapping. */
    private static boolean falsy(Object value) {
        return value == null || Boolean.FALSE.equals(value) || value instanceof Number n && n.doubleValue() == 0
                || value instanceof String s && s.isEmpty() || value instanceof List<?> l && l.isEmpty()
                || value instanceof Map<?, ?> m && m.isEmpty();
    }

    private String display(Path file) {
        return displayBase + baseDir.relativize(file.toAbsolutePath());
    }
}
