package io.meshfed.model.inventory;

/**
 * A service one cluster imports from a peer: a Maistra import rule (NameSelector only).
 *
 * @param into          the importing cluster
 * @param from          the exporting peer
 * @param namespace     the exported namespace (after the exporter's alias)
 * @param name          the exported name (after the exporter's alias)
 * @param alias         how the importing mesh names it
 * @param importAsLocal merge the imported endpoints into a local service of the same name
 * @param locality      where the exporter's endpoints are (ImportedServiceSet {@code spec.locality}), or null
 * @param serviceAccount the exporter's workloads' service account (their SPIFFE identity once clients reach them
 *                      directly, migrating to OSSM 3); Kubernetes' {@code default} where the inventory names none
 * @param location      where the rule was written
 */
public record ImportRule(String into, String from, String namespace, String name, ServiceAlias alias,
                         boolean importAsLocal, Locality locality, String serviceAccount, Location location) {

    public ImportRule {
        serviceAccount = serviceAccount == null ? "default" : serviceAccount;
    }

    /** The namespace the service appears in for the importing mesh. */
    public String localNamespace() {
        return alias == null || alias.namespace() == null || "*".equals(alias.namespace()) ? namespace : alias.namespace();
    }

    /** The name the service has for the importing mesh. */
    public String localName() {
        return alias == null || alias.name() == null || "*".equals(alias.name()) ? name : alias.name();
    }
}
