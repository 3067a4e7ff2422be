package io.meshfed.inventory.ansible;

import io.meshfed.inventory.InventoryException;
import io.meshfed.inventory.Warnings;
import io.meshfed.inventory.yaml.Located;
import io.meshfed.inventory.yaml.Utf8;
import io.meshfed.inventory.yaml.YamlReader;
import io.meshfed.model.inventory.Location;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;

/**
 * Which of Ansible's inventory formats a file is, as Ansible's plugins decide in turn: {@code .yaml},
 * {@code .yml} and {@code .json} are YAML, {@code .ini} is INI; a file with another or no extension
 * ({@code hosts}) is YAML when it reads as a mapping, else INI.
 */
final class InventoryFormat {

    private InventoryFormat() {
    }

    /** The inventory file as a YAML-shaped tree. */
    static Located read(Path file, String displayName, Warnings warnings) {
        String name = file.getFileName().toString();
        String extension = name.contains(".") ? name.substring(name.lastIndexOf('.')) : "";
        String text = Utf8.read(file, displayName);
        if (extension.equals(".ini")) {
            return IniInventory.read(text, displayName);
        }
        if (List.of(".yaml", ".yml", ".json").contains(extension)) {
            return yaml(text, displayName, warnings);
        }
        Warnings yamlWarnings = new Warnings();
        try {
            Located yaml = yaml(text, displayName, yamlWarnings);
            if (yaml.isMap()) {
                yamlWarnings.list().forEach(w -> warnings.add(w.location(), w.message()));
                return yaml;
            }
        } catch (InventoryException notYaml) {
            // Ansible's YAML plugin declines it; its INI plugin tries next
        }
        return IniInventory.read(text, displayName);
    }

    private static Located yaml(String text, String displayName, Warnings warnings) {
        List<Located> docs = YamlReader.readAll(new StringReader(text), displayName, warnings.duplicates());
        return docs.isEmpty() ? new Located(null, new Location(displayName, 1, 1)) : docs.get(0);
    }
}
