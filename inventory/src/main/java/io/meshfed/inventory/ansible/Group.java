package io.meshfed.inventory.ansible;

import io.meshfed.inventory.yaml.Located;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** An Ansible group, as the YAML inventory plugin builds it. */
final class Group {

    final String name;
    final Map<String, Located> vars = new LinkedHashMap<>();
    final List<Group> children = new ArrayList<>();
    final List<Group> parents = new ArrayList<>();
    final List<String> hosts = new ArrayList<>();
    int depth;
    int priority = 1;

    Group(String name) {
        this.name = name;
    }

    void addChild(Group child) {
        if (!children.contains(child)) {
            children.add(child);
            child.parents.add(this);
            child.deepen(depth + 1);
        }
    }

    private void deepen(int atLeast) {
        if (atLeast > depth) {
            depth = atLeast;
            for (Group child : children) {
                child.deepen(depth + 1);
            }
        }
    }

    /** This group and every group above it. */
    Set<Group> withAncestors() {
        Set<Group> all = new LinkedHashSet<>();
        collect(this, all);
        return all;
    }

    private static void collect(Group group, Set<Group> into) {
        if (into.add(group)) {
            for (Group parent : group.parents) {
                collect(parent, into);
            }
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
