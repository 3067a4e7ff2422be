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

    /**
     * OpenShift Service Mesh 3's: what the Sail operator installs (its own kinds, and Istio's networking kinds
     * at its Istio version, serving networking.istio.io/v1). Sources in crds/SOURCES.md.
     */
    public static final List<String> OSSM3_FILES = List.of(
            "ossm3/networking.istio.io_gateways.yaml",
            "ossm3/sailoperator.io_istiocnis.yaml",
            "ossm3/sailoperator.io_istiorevisions.yaml",
            "ossm3/sailoperator.io_istiorevisiontags.yaml",
            "ossm3/sailoperator.io_istios.yaml");

    /** What OpenShift and OLM serve besides (InstallPlans, Routes): installed by the simulated clusters, never rendered. */
    public static final List<String> PLATFORM_FILES = List.of(
            "platform/operators.coreos.com_installplans.yaml",
            "platform/route.openshift.io_routes.yaml",
            "platform/config.openshift.io_infrastructures.yaml");

    private final Map<String, Crd> byGroupKind;
    /** OSSM 3's, where a kind is also OSSM 2's (networking.istio.io's Gateway at a later Istio): looked up second. */
    private final Map<String, Crd> ossm3;

    private CrdCatalog(Map<String, Crd> byGroupKind, Map<String, Crd> ossm3) {
        this.byGroupKind = byGroupKind;
        this.ossm3 = ossm3;
    }

    /** Reads every CRD from the class path. */
    public static CrdCatalog load() {
        return new CrdCatalog(byGroupKind(FILES), byGroupKind(OSSM3_FILES));
    }

    private static Map<String, Crd> byGroupKind(List<String> files) {
        Map<String, Crd> crds = new LinkedHashMap<>();
        for (String file : files) {
            Crd crd = Crd.of(read("crds/" + file));
            crds.put(crd.group() + "/" + crd.kind(), crd);
        }
        return crds;
    }

    /** The CRDs OpenShift Service Mesh 3's operator installs. */
    public List<Crd> ossm3() {
        return List.copyOf(ossm3.values());
    }

    /** The CRDs of {@link #PLATFORM_FILES}. */
    public static List<Crd> platform() {
        return PLATFORM_FILES.stream().map(f -> Crd.of(read("crds/" + f))).toList();
    }

    /** OSSM 2's CRDs and the platform's (what {@link #FILES} lists). */
    public List<Crd> all() {
        return List.copyOf(byGroupKind.values());
    }

    /** The CRD serving {@code apiVersion}'s group and {@code kind}, if it is one of ours (OSSM 2's first). */
    public Optional<Crd> find(String apiVersion, String kind) {
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = apiVersion.substring(slash + 1);
        Crd crd = byGroupKind.get(group + "/" + kind);
        if (crd != null && crd.versions().containsKey(version)) {
            return Optional.of(crd);
        }
        Crd later = ossm3.get(group + "/" + kind);
        return Optional.ofNullable(later != null && later.versions().containsKey(version) ? later : crd);
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
