package io.meshfed.provisioner.simulate;

import io.meshfed.provisioner.crd.Crd;
import io.meshfed.provisioner.crd.CrdCatalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The operators the simulated catalog offers (the versions the seed used), what each needs installed
 * first, and the CRDs each brings once its ClusterServiceVersion succeeds: Service Mesh brings
 * maistra.io, federation.maistra.io and networking.istio.io (and, standing for what OSSM 2.6 on OpenShift 4.19 serves
 * for the migration to OSSM 3, WorkloadEntry and Gateway API's kinds); Service Mesh 3 brings sailoperator.io and
 * networking.istio.io at its Istio version; MetalLB brings metallb.io (the real CRDs); Elasticsearch, Jaeger and Kiali bring theirs (minimal ones: meshfed never writes them).
 */
final class OperatorCatalog {

    /** One package of the catalog. */
    record OperatorPackage(String name, String version, List<String> requires, java.util.function.Supplier<List<Crd>> crds) {
        String csvName() {
            return name + ".v" + version;
        }
    }

    private static final CrdCatalog REAL = CrdCatalog.load();

    /** What a new OpenShift cluster serves before any operator is installed: OLM's kinds and Routes. */
    static final List<Crd> PLATFORM_CRDS = java.util.stream.Stream.concat(Stream.of(
            real("operators.coreos.com/v1alpha1", "Subscription"),
            real("operators.coreos.com/v1alpha1", "ClusterServiceVersion"),
            real("operators.coreos.com/v1", "OperatorGroup")), CrdCatalog.platform().stream()).toList();

    static final String CATALOG_SOURCE = "redhat-operators";

    private static final Map<String, OperatorPackage> PACKAGES = Map.of(
            "elasticsearch-operator", new OperatorPackage("elasticsearch-operator", "5.4.3", List.of(),
                    () -> List.of(minimal("logging.openshift.io", "Elasticsearch", "elasticsearches"))),
            "jaeger-product", new OperatorPackage("jaeger-product", "1.34.1-5", List.of(),
                    () -> List.of(minimal("jaegertracing.io", "Jaeger", "jaegers"))),
            "kiali-ossm", new OperatorPackage("kiali-ossm", "1.48.1", List.of(),
                    () -> List.of(minimal("kiali.io", "Kiali", "kialis"))),
            "servicemeshoperator", new OperatorPackage("servicemeshoperator", "2.3.11",
                    List.of("elasticsearch-operator", "jaeger-product", "kiali-ossm"), () -> Stream.concat(byGroups("maistra.io",
                    "federation.maistra.io", "networking.istio.io").stream(), REAL.migrationKinds().stream()).toList()),
            "metallb-operator", new OperatorPackage("metallb-operator", "4.11.0", List.of(), () -> byGroups("metallb.io")),
            "servicemeshoperator3", new OperatorPackage("servicemeshoperator3", "3.4.0", List.of(), REAL::ossm3));

    private OperatorCatalog() {
    }

    static Optional<OperatorPackage> find(String name) {
        return Optional.ofNullable(PACKAGES.get(name));
    }

    private static Crd real(String apiVersion, String kind) {
        return REAL.find(apiVersion, kind).orElseThrow();
    }

    private static List<Crd> byGroups(String... groups) {
        List<Crd> crds = new ArrayList<>();
        for (Crd crd : REAL.all()) {
            if (List.of(groups).contains(crd.group())) {
                crds.add(crd);
            }
        }
        return crds;
    }

    private static Crd minimal(String group, String kind, String plural) {
        Map<String, Object> version = Map.of("name", "v1", "served", true, "storage", true,
                "subresources", Map.of("status", Map.of()),
                "schema", Map.of("openAPIV3Schema", Map.of("type", "object", "x-kubernetes-preserve-unknown-fields", true)));
        Map<String, Object> definition = Map.of("apiVersion", "apiextensions.k8s.io/v1", "kind", "CustomResourceDefinition",
                "metadata", Map.of("name", plural + "." + group),
                "spec", Map.of("group", group, "scope", "Namespaced",
                        "names", Map.of("kind", kind, "plural", plural, "singular", kind.toLowerCase(),
                                "listKind", kind + "List"),
                        "versions", List.of(version)));
        return new Crd(group, kind, plural, true, Map.of("v1", new Crd.Version("v1", true, true, Map.of())), definition);
    }
}
