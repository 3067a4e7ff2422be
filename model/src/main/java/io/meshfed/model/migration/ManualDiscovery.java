package io.meshfed.model.migration;

import io.meshfed.model.inventory.ClusterSpec;
import io.meshfed.model.inventory.ExportRule;
import io.meshfed.model.inventory.ImportRule;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.model.inventory.ServiceAlias;
import io.meshfed.model.render.FederationNames;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The migration guide's manual service discovery ("Export services", "Import services"), derived from the
 * federation as the inventory has it: for every service a cluster imports, the host its clients already use (the
 * federation's {@code <name>.<ns>.svc.<peer>-imports.local}, or the local name of an importAsLocal service), and
 * the exporter's own Service behind it (the exporter's alias undone). Each side's objects are named from these.
 * Pure.
 */
public final class ManualDiscovery {

    /**
     * One service one cluster imports from another.
     *
     * @param rule             the inventory's import rule
     * @param importer         the cluster whose clients call it
     * @param exporter         the cluster whose workloads serve it
     * @param host             the name the importer's clients use
     * @param serviceNamespace the exporter's Service's namespace
     * @param serviceName      the exporter's Service's name
     */
    public record Imported(ImportRule rule, ClusterSpec importer, ClusterSpec exporter, String host,
                           String serviceNamespace, String serviceName) {

        /** The name of each side's ServiceEntry and of the importer's WorkloadEntry: the host, dots as dashes. */
        public String objectName() {
            return host.replace('.', '-');
        }

        /** The label joining the importer's ServiceEntry to its WorkloadEntry: a label value, 63 characters at most. */
        public String selectorValue() {
            return labelValue(objectName());
        }

        /** Whether the exporter's own Service answers to the host (an importAsLocal service of the same name). */
        public boolean servedAsIs() {
            return host.equals(FederationNames.localHost(serviceName, serviceNamespace));
        }

        /** The identity the importer's clients expect of the exporter's workloads. */
        public String spiffeId() {
            return "spiffe://" + exporter.mesh().trustDomain() + "/ns/" + serviceNamespace + "/sa/" + rule.serviceAccount();
        }
    }

    private ManualDiscovery() {
    }

    /** Every imported service of the inventory's OSSM 2 federation, in the inventory's order of imports. */
    public static List<Imported> of(Inventory inventory) {
        List<Imported> imported = new ArrayList<>();
        for (ImportRule rule : inventory.topology().imports()) {
            ClusterSpec importer = inventory.requireCluster(rule.into());
            ClusterSpec exporter = inventory.requireCluster(rule.from());
            String host = rule.importAsLocal()
                    ? FederationNames.localHost(rule.localName(), rule.localNamespace())
                    : FederationNames.importedHost(rule.localName(), rule.localNamespace(), exporter.mesh().name());
            String[] service = exportedBy(inventory, rule);
            imported.add(new Imported(rule, importer, exporter, host, service[0], service[1]));
        }
        return imported;
    }

    /**
     * The exporter's Service an import names: its export rules to the importer undone (an alias renames
     * {@code namespace/name}; a {@code *} keeps what the import says). An import no rule exports stays as named.
     */
    private static String[] exportedBy(Inventory inventory, ImportRule rule) {
        for (ExportRule export : inventory.topology().exports()) {
            if (!export.from().equals(rule.from()) || !export.to().contains(rule.into())) {
                continue;
            }
            String[] found = switch (export.selector()) {
                case ExportRule.NameSelector n -> undo(n.namespace(), n.name(), n.alias(), rule);
                case ExportRule.LabelSelector l -> {
                    for (ExportRule.LabelAlias a : l.aliases()) {
                        String[] aliased = undo(a.namespace(), a.name(), a.alias(), rule);
                        if (aliased != null) {
                            yield aliased;
                        }
                    }
                    yield wildcard(l.namespace()) || l.namespace().equals(rule.namespace())
                            ? new String[] {rule.namespace(), rule.name()} : null;
                }
            };
            if (found != null) {
                return found;
            }
        }
        return new String[] {rule.namespace(), rule.name()};
    }

    /** The Service {@code namespace/name}, renamed by {@code alias}, where that is what the import names; else null. */
    private static String[] undo(String namespace, String name, ServiceAlias alias, ImportRule rule) {
        String exportedNamespace = alias != null && !wildcard(alias.namespace()) ? alias.namespace() : namespace;
        String exportedName = alias != null && !wildcard(alias.name()) ? alias.name() : name;
        if (!(wildcard(exportedNamespace) || exportedNamespace.equals(rule.namespace()))
                || !(wildcard(exportedName) || exportedName.equals(rule.name()))) {
            return null;
        }
        return new String[] {wildcard(namespace) ? rule.namespace() : namespace, wildcard(name) ? rule.name() : name};
    }

    private static boolean wildcard(String value) {
        return value == null || value.isEmpty() || "*".equals(value);
    }

    /** {@code text} where it fits a label value; else its first 52 characters and 10 of its SHA-256, so that it stays unique. */
    static String labelValue(String text) {
        if (text.length() <= 63) {
            return text;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return text.substring(0, 52).replaceAll("[-.]+$", "") + "-" + HexFormat.of().formatHex(digest).substring(0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
