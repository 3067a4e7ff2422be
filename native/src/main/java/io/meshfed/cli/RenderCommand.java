package io.meshfed.cli;

import io.meshfed.model.inventory.Inventory;
import io.meshfed.model.render.FederationRenderer;
import io.meshfed.model.resource.DesiredObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code meshfed render}: every object meshfed would write, per cluster. */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = {"Prints every object meshfed manages, per cluster, without touching any cluster.",
                "Values read from live clusters (a peer's CA, a load-balancer address) show as '(known after apply: ...)'."})
public class RenderCommand implements Callable<Integer> {

    enum Format { yaml, json }

    @Mixin
    InventoryOption inventory;

    @Option(names = {"-o", "--output"}, defaultValue = "yaml", paramLabel = "FORMAT",
            description = "yaml (default) or json.")
    Format format;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Write one file per cluster (DIR/<cluster>.yaml or .json) instead of printing.")
    Path outDir;

    @Option(names = "--cluster", paramLabel = "NAME", description = "Only this cluster's objects.")
    String cluster;

    @Option(names = "--show-secrets", description = "Print Secret values and the inventory's decrypted Ansible Vault values "
            + "as they are (by default a Secret's show as '***', vaulted ones as '(vaulted)').")
    boolean showSecrets;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Inventory inv = inventory.load();
        if (showSecrets) {
            inventory.showSecrets();
        }
        if (cluster != null && inv.cluster(cluster).isEmpty()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--cluster: no cluster '" + cluster
                    + "' in the inventory");
        }
        Map<String, List<Object>> byCluster = new LinkedHashMap<>();
        // what cannot be applied is not rendered either: the graph is validated (a cycle is exit 2), in dependency order
        for (DesiredObject o : FederationRenderer.graph(inv).nodes()) {
            if (o.managed() && (cluster == null || cluster.equals(o.ref().cluster()))) {
                byCluster.computeIfAbsent(o.ref().cluster(), k -> new ArrayList<>())
                        .add(showSecrets ? o.content() : masked(o.content()));
            }
        }
        warnAboutUnknownValues(byCluster);
        if (outDir != null) {
            write(byCluster);
        } else if (format == Format.json) {
            // one JSON document: the objects by cluster
            spec.commandLine().getOut().print(Output.json(Map.of("clusters", byCluster)));
            spec.commandLine().getOut().flush();
        } else {
            StringBuilder sb = new StringBuilder();
            byCluster.forEach((name, objects) -> sb.append(text(name, objects)));
            spec.commandLine().getOut().print(sb);
            spec.commandLine().getOut().flush();
        }
        return ExitCodes.OK;
    }

    /**
     * On stderr: which objects hold values only a live cluster has. An API server accepts the placeholder
     * as a peer's address or CA certificate, so output used as GitOps input would federate nothing.
     */
    private void warnAboutUnknownValues(Map<String, List<Object>> byCluster) {
        List<String> objects = new ArrayList<>();
        byCluster.forEach((name, list) -> list.forEach(o -> {
            if (Output.json(o).contains(io.meshfed.model.resource.LiveValue.UNKNOWN_PREFIX)) {
                @SuppressWarnings("unchecked")
                Map<String, Object> object = (Map<String, Object>) o;
                Object metadata = object.get("metadata");
                String id = metadata instanceof Map<?, ?> m ? m.get("namespace") + "/" + m.get("name") : "?";
                objects.add(name + "/" + object.get("kind") + "/" + id);
            }
        }));
        if (!objects.isEmpty()) {
            var err = spec.commandLine().getErr();
            err.println("warning: " + objects.size() + " objects hold values only known after apply (a peer's CA certificate, "
                    + "a peer's load-balancer address or API server token, an intermediate CA), rendered as '(known after apply: ...)': this output is not ready to "
                    + "apply as it is (an API server would accept the placeholders); converge with meshfed apply. "
                    + "Objects: " + String.join(", ", objects));
            err.flush();
        }
    }

    /**
     * A Secret with its values masked, as kubectl diff and plan show them (a value known only after apply shows
     * where it will come from); any other object as it is.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> masked(Map<String, Object> object) {
        if (!"Secret".equals(object.get("kind"))) {
            return object;
        }
        Map<String, Object> copy = io.meshfed.model.resource.Tree.copy(object);
        for (String key : List.of("data", "stringData")) {
            if (copy.get(key) instanceof Map<?, ?> values) {
                // a value known only after apply is no secret yet: its placeholder says where it will come from
                ((Map<String, Object>) values).replaceAll((k, v) -> v instanceof io.meshfed.model.resource.Live
                        || v instanceof io.meshfed.model.resource.IssuedCa ? v : "***");
            }
        }
        return copy;
    }

    private String text(String clusterName, List<Object> objects) {
        if (format == Format.json) {
            return Output.json(Map.of("cluster", clusterName, "objects", objects));
        }
        StringBuilder sb = new StringBuilder();
        for (Object o : objects) {
            sb.append("---\n# cluster: ").append(clusterName).append('\n').append(Output.yaml(o));
        }
        return sb.toString();
    }

    private void write(Map<String, List<Object>> byCluster) {
        try {
            Files.createDirectories(outDir);
            for (Map.Entry<String, List<Object>> e : byCluster.entrySet()) {
                Path file = outDir.resolve(e.getKey() + "." + format.name());
                Files.writeString(file, VaultMask.mask(text(e.getKey(), e.getValue()), inventory.revealed()));
                spec.commandLine().getOut().println("wrote " + file + " (" + e.getValue().size() + " objects)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + outDir + ": " + reason(e), e);
        }
    }

    /** Why a file operation failed, in words (Java's messages of these are only the path). */
    static String reason(IOException e) {
        if (e instanceof java.nio.file.FileAlreadyExistsException f) {
            return f.getFile() + " exists and is not a folder";
        }
        if (e instanceof java.nio.file.AccessDeniedException a) {
            return "permission denied: " + a.getFile();
        }
        if (e instanceof java.nio.file.NoSuchFileException n) {
            return "no such file or folder: " + n.getFile();
        }
        if (e instanceof java.nio.file.NotDirectoryException n) {
            return n.getFile() + " is not a folder";
        }
        return e.getMessage();
    }
}
