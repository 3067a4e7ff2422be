package io.meshfed.provisioner.crd;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
     * OpenShift Service Mesh 3's: the Sail operator's own kinds (copies: no registry serves them; sources in
     * crds/SOURCES.md). Istio's and Gateway API's come from their Go modules ({@link #FETCHED_ISTIO}).
     */
    public static final List<String> OSSM3_FILES = List.of(
            "ossm3/sailoperator.io_istiocnis.yaml",
            "ossm3/sailoperator.io_istiorevisions.yaml",
            "ossm3/sailoperator.io_istiorevisiontags.yaml",
            "ossm3/sailoperator.io_istios.yaml");

    /** What OpenShift and OLM serve besides (InstallPlans, Routes): installed by the simulated clusters, never rendered. */
    public static final List<String> PLATFORM_FILES = List.of(
            "platform/operators.coreos.com_installplans.yaml",
            "platform/route.openshift.io_routes.yaml",
            "platform/config.openshift.io_infrastructures.yaml");

    /**
     * The Istio kinds OSSM 3's clusters serve beside the Sail operator's (at the Istio of OSSM 3.4, serving
     * networking.istio.io/v1), from istio.io/api's {@code kubernetes/customresourcedefinitions.gen.yaml}.
     */
    static final List<String> FETCHED_ISTIO = List.of("gateways.networking.istio.io", "serviceentries.networking.istio.io",
            "workloadentries.networking.istio.io", "destinationrules.networking.istio.io", "virtualservices.networking.istio.io");
    /** Gateway API's (OpenShift 4.19 and later serve them), from sigs.k8s.io/gateway-api's standard channel. */
    static final List<String> FETCHED_GATEWAY_API = List.of("gateway.networking.k8s.io_gatewayclasses.yaml",
            "gateway.networking.k8s.io_gateways.yaml");

    private final Map<String, Crd> byGroupKind;
    private final Path fetched;
    /** OSSM 3's, where a kind is also OSSM 2's (networking.istio.io's Gateway at a later Istio): looked up second; read when first needed. */
    private Map<String, Crd> ossm3;

    private CrdCatalog(Map<String, Crd> byGroupKind, Path fetched) {
        this.byGroupKind = byGroupKind;
        this.fetched = fetched;
    }

    /**
     * Reads OSSM 2's CRDs from the class path; OSSM 3's when first asked for, the Sail operator's from the class
     * path and Istio's and Gateway API's from where scripts/control-plane/build.sh fetched them from their Go
     * modules: {@code crds/ossm3} beside the simulated clusters' binaries.
     */
    public static CrdCatalog load() {
        return new CrdCatalog(byGroupKind(FILES), Path.of(io.meshfed.provisioner.simulate.ControlPlane.directory(), "crds", "ossm3"));
    }

    private static Map<String, Crd> byGroupKind(List<String> files) {
        Map<String, Crd> crds = new LinkedHashMap<>();
        for (String file : files) {
            Crd crd = Crd.of(read("crds/" + file));
            crds.put(crd.group() + "/" + crd.kind(), crd);
        }
        return crds;
    }

    /**
     * What an OSSM 2.6 cluster on OpenShift 4.19 serves besides OSSM 2.3's kinds, and the migration to OSSM 3 writes:
     * Istio's WorkloadEntry and Gateway API's GatewayClass and Gateway (fetched as for OSSM 3, {@link #ossm3()}).
     */
    public List<Crd> migrationKinds() {
        Map<String, Crd> kinds = ossm3Kinds();
        return List.of(kinds.get("networking.istio.io/WorkloadEntry"), kinds.get("gateway.networking.k8s.io/GatewayClass"),
                kinds.get("gateway.networking.k8s.io/Gateway"));
    }

    /** The CRDs OpenShift Service Mesh 3's clusters serve: the Sail operator's, Istio's and Gateway API's. */
    public List<Crd> ossm3() {
        return List.copyOf(ossm3Kinds().values());
    }

    private synchronized Map<String, Crd> ossm3Kinds() {
        if (ossm3 == null) {
            Map<String, Crd> kinds = byGroupKind(OSSM3_FILES);
            if (!Files.isRegularFile(fetched.resolve("SOURCE"))) {
                throw new IllegalStateException("OpenShift Service Mesh 3's simulated clusters serve Istio's and Gateway API's "
                        + "CRDs, fetched from their Go modules by scripts/control-plane/build.sh (needs Go 1.22 or newer) into "
                        + fetched + ", which has none: run it");
            }
            List<Map<String, Object>> istio = readAll(fetched.resolve("customresourcedefinitions.gen.yaml"));
            for (String name : FETCHED_ISTIO) {
                Map<String, Object> definition = istio.stream()
                        .filter(d -> d != null && name.equals(((Map<?, ?>) d.getOrDefault("metadata", Map.of())).get("name")))
                        .findFirst().orElseThrow(() -> new IllegalStateException(name + " is not in " + fetched));
                Crd crd = Crd.of(definition);
                kinds.put(crd.group() + "/" + crd.kind(), crd);
            }
            for (String file : FETCHED_GATEWAY_API) {
                Crd crd = Crd.of(readAll(fetched.resolve(file)).get(0));
                kinds.put(crd.group() + "/" + crd.kind(), crd);
            }
            ossm3 = kinds;
        }
        return ossm3;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> readAll(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            LoaderOptions options = new LoaderOptions();
            options.setCodePointLimit(16 * 1024 * 1024);
            List<Map<String, Object>> documents = new java.util.ArrayList<>();
            for (Object d : new Yaml(new SafeConstructor(options)).loadAll(in)) {
                if (d != null) {
                    documents.add((Map<String, Object>) d);
                }
            }
            return documents;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
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
        Crd later = ossm3Kinds().get(group + "/" + kind);
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
