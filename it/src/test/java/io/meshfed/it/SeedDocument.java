package io.meshfed.it;

import io.meshfed.model.resource.LiveValue;
import io.meshfed.model.resource.ObjectRef;
import io.meshfed.model.resource.Tree;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the objects of the seed (shared/seeds/000_*.txt) from its own text: every YAML block, every
 * {@code cat <<EOF | oc -n NS apply -f -} heredoc, every {@code oc create namespace}. A placeholder
 * {@code <OUTPUT FROM STEP k>} becomes the {@link LiveValue} that step's {@code oc get ... -o
 * jsonpath} reads, with {@code clusterOfNamespace} naming the cluster ({@code [*]} is read as the
 * first element).
 */
final class SeedDocument {

    /** One object the seed creates, and the line where its text starts. */
    record SeedObject(Map<String, Object> object, int line) {
        String kind() {
            return (String) object.get("kind");
        }

        String namespace() {
            return (String) Tree.get(object, "metadata", "namespace");
        }

        String name() {
            return (String) Tree.get(object, "metadata", "name");
        }
    }

    private static final Pattern FENCE = Pattern.compile("^\\s*~~~(\\w*)\\s*$");
    private static final Pattern STEP = Pattern.compile("^(\\d+)\\.\\s");
    private static final Pattern HEREDOC = Pattern.compile("cat\\s*<<\\s*EOF\\s*\\|\\s*oc\\s+-n\\s+\\S+\\s+apply\\s+-f\\s+-");
    private static final Pattern CREATE_NS = Pattern.compile("^\\s*oc create (?:namespace|ns) (\\S+)\\s*$");
    private static final Pattern OC_GET = Pattern.compile(
            "oc -n (\\S+) get (\\S+) (\\S+) -o jsonpath='\\{([^}]*)}'");
    private static final Pattern PLACEHOLDER = Pattern.compile("<OUTPUT FROM STEP (\\d+)>");
    private static final Map<String, String> KINDS = Map.of("cm", "ConfigMap", "svc", "Service");

    private SeedDocument() {
    }

    static List<SeedObject> objects(String text, Function<String, String> clusterOfNamespace) {
        List<String> lines = text.lines().toList();
        List<SeedObject> objects = new ArrayList<>();
        Map<Integer, LiveValue> steps = new HashMap<>();
        int step = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher stepMatch = STEP.matcher(line);
            if (stepMatch.find()) {
                step = Integer.parseInt(stepMatch.group(1));
                if (step == 1) {
                    steps.clear();
                }
                continue;
            }
            Matcher fence = FENCE.matcher(line);
            if (!fence.matches()) {
                continue;
            }
            String lang = fence.group(1);
            int start = i + 1;
            int end = start;
            while (end < lines.size() && !FENCE.matcher(lines.get(end)).matches()) {
                end++;
            }
            List<String> block = lines.subList(start, end);
            i = end;
            if (lang.equals("yaml")) {
                objects.addAll(parse(String.join("\n", block), start + 1, steps));
                continue;
            }
            for (int j = 0; j < block.size(); j++) {
                String command = block.get(j);
                Matcher get = OC_GET.matcher(command);
                Matcher ns = CREATE_NS.matcher(command);
                if (get.find()) {
                    String namespace = get.group(1);
                    steps.put(step, new LiveValue(new ObjectRef(clusterOfNamespace.apply(namespace), "v1",
                            KINDS.getOrDefault(get.group(2), get.group(2)), namespace, get.group(3)), jsonPath(get.group(4))));
                } else if (ns.find()) {
                    objects.add(new SeedObject(Tree.map("apiVersion", "v1", "kind", "Namespace",
                            "metadata", Tree.map("name", ns.group(1))), start + j + 1));
                } else if (HEREDOC.matcher(command).find()) {
                    int docEnd = j + 1;
                    while (docEnd < block.size() && !block.get(docEnd).trim().equals("EOF")) {
                        docEnd++;
                    }
                    objects.addAll(parse(String.join("\n", block.subList(j + 1, docEnd)), start + j + 2, steps));
                    j = docEnd;
                }
            }
        }
        return objects;
    }

    @SuppressWarnings("unchecked")
    private static List<SeedObject> parse(String yamlText, int line, Map<Integer, LiveValue> steps) {
        List<SeedObject> out = new ArrayList<>();
        for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(stripIndent(yamlText))) {
            if (doc instanceof Map<?, ?> map) {
                Object resolved = Tree.mapLeaves(map, leaf -> {
                    if (leaf instanceof String s) {
                        Matcher m = PLACEHOLDER.matcher(s.trim());
                        if (m.matches()) {
                            LiveValue value = steps.get(Integer.parseInt(m.group(1)));
                            if (value == null) {
                                throw new IllegalStateException("seed line " + line + ": no command for " + s);
                            }
                            return value;
                        }
                    }
                    return leaf;
                });
                out.add(new SeedObject((Map<String, Object>) resolved, line));
            }
        }
        return out;
    }

    private static String stripIndent(String text) {
        int indent = text.lines().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder sb = new StringBuilder();
        text.lines().forEach(l -> sb.append(l.length() >= indent ? l.substring(indent) : l.strip()).append('\n'));
        return sb.toString();
    }

    /** {@code .data.root-cert\.pem} → [data, root-cert.pem]; {@code ingress[*]} → ingress, 0. */
    static List<Object> jsonPath(String path) {
        List<Object> segments = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        String p = path.startsWith(".") ? path.substring(1) : path;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '\\' && i + 1 < p.length()) {
                current.append(p.charAt(++i));
            } else if (c == '.') {
                segments.add(current.toString());
                current.setLength(0);
            } else if (c == '[') {
                int close = p.indexOf(']', i);
                segments.add(current.toString());
                current.setLength(0);
                String index = p.substring(i + 1, close);
                segments.add(index.equals("*") ? 0 : Integer.parseInt(index));
                i = close;
                if (i + 1 < p.length() && p.charAt(i + 1) == '.') {
                    i++;
                }
            } else {
                current.append(c);
            }
        }
        if (!current.isEmpty()) {
            segments.add(current.toString());
        }
        // the seed reads a MetalLB address ({...ingress[*].ip}); meshfed reads a load balancer's IP or, where a cloud
        // gives one (AWS), its hostname: the same value on the seed's clusters
        int n = segments.size();
        if (n >= 3 && "ingress".equals(segments.get(n - 3)) && "ip".equals(segments.get(n - 1))) {
            segments.set(n - 1, new io.meshfed.model.resource.LiveValue.OneOf(List.of("ip", "hostname")));
        }
        return segments;
    }
}
