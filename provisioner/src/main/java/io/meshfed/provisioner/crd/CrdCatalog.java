package io.meshfed.provisioner.crd;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The real CustomResourceDefinitions of the kinds meshfed renders (Maistra 2.3, federation, MetalLB,
 * OLM, Istio networking), shipped as resources under {@code crds/} (sources in crds/SOURCES.md). The
 * simulated clusters install them as the operators would; tests validate rendered objects against them.
 */
public final class CrdCatalog {

    /** Listed here rather than discovered, so that the native image needs no resource scanning. */
    public static final List<String> FILES = List.of(
            "federation.maistra.io_exportedservicesets.yaml",
            "federation.maistra.io_importedservicesets.yaml",
            "federation.maistra.io_servicemeshpeers.yaml",
            "maistra.io_servicemeshcontrolplanes.yaml",
            "maistra.io_servicemeshmemberrolls.yaml",
            "maistra.io_servicemeshmembers.yaml",
            "metallb.io_ipaddresspools.yaml",
            "metallb.io_l2advertisements.yaml",
            "metallb.io_metallbs.yaml",
            "networking.istio.io_destinationrules.yaml",
            "networking.istio.io_gateways.yaml",
            "networking.istio.io_serviceentries.yaml",
            "networking.istio.io_virtualservices.yaml",
            "operators.coreos.com_clusterserviceversions.yaml",
            "operators.coreos.com_operatorgroups.yaml",
            "operators.coreos.com_subscriptions.yaml");

    /** What OpenShift and OLM serve besides (InstallPlans, Routes): installed by the simulated clusters, never rendered. */
    public static final List<String> PLATFORM_FILES = List.of(
            "platform/operators.coreos.com_installplans.yaml",
            "platform/route.openshift.io_routes.yaml");

    private final Map<String, Crd> byGroupKind;

    private CrdCatalog(Map<String, Crd> byGroupKind) {
        this.byGroupKind = byGroupKind;
    }

    /** Reads every CRD from the class path. */
    public static CrdCatalog load() {
        Map<String, Crd> crds = new LinkedHashMap<>();
        for (String file : FILES) {
            Crd crd = Crd.of(read("crds/" + file));
            crds.put(crd.group() + "/" + crd.kind(), crd);
        }
        return new CrdCatalog(crds);
    }

    /** The CRDs of {@link #PLATFORM_FILES}. */
    public static List<Crd> platform() {
        return PLATFORM_FILES.stream().map(f -> Crd.of(read("crds/" + f))).toList();
    }

    public List<Crd> all() {
        return List.copyOf(byGroupKind.values());
    }

    /** The CRD serving {@code apiVersion}'s group and {@code kind}, if it is one of ours. */
    public Optional<Crd> find(String apiVersion, String kind) {
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        return Optional.ofNullable(byGroupKind.get(group + "/" + kind));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(String resource) {
        try (InputStream in = CrdCatalog.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            LoaderOptions options = new LoaderOptions();
            options.setCodePointLimit(8 * 1024 * 1024);
            return (Map<String, Object>) new Yaml(new SafeConstructor(options)).load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
