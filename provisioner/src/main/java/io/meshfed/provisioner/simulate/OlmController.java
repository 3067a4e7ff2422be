package io.meshfed.provisioner.simulate;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;

import java.time.Duration;
import java.util.Set;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * OLM, simulated. A Subscription to a package of the catalog, in a namespace with an OperatorGroup,
 * whose required operators are installed, gets a ClusterServiceVersion in phase Installing, then
 * Succeeded {@link SimulationTiming#operatorInstall()} after the install started, which first creates
 * the operator's CRDs.
 * Otherwise the Subscription stays pending with a ResolutionFailed condition that says why. The
 * ClusterServiceVersion comes from an InstallPlan, which waits for approval under
 * {@code installPlanApproval: Manual}.
 */
final class OlmController implements Controller {

    private final ClusterApi api;
    private final SimulationTiming timing;
    private final Map<String, Instant> installStarted = new HashMap<>();

    OlmController(ClusterApi api, SimulationTiming timing) {
        this.api = api;
        this.timing = timing;
    }

    @Override
    public String name() {
        return "olm";
    }

    @Override
    public Set<String> watches() {
        return Set.of("subscriptions", "clusterserviceversions", "operatorgroups", "installplans");
    }

    @Override
    public Duration reconcile() {
        List<GenericKubernetesResource> csvs = api.list(Kinds.CSV);
        Duration next = null;
        for (GenericKubernetesResource sub : api.list(Kinds.SUBSCRIPTION)) {
            subscribe(sub, csvs);
        }
        for (GenericKubernetesResource csv : csvs) {
            Duration wait = install(csv);
            if (wait != null && (next == null || wait.compareTo(next) < 0)) {
                next = wait;
            }
        }
        return next;
    }

    private void subscribe(GenericKubernetesResource sub, List<GenericKubernetesResource> csvs) {
        String ns = sub.getMetadata().getNamespace();
        String packageName = (String) ClusterApi.map(sub, "spec").get("name");
        Optional<OperatorCatalog.OperatorPackage> pkg = OperatorCatalog.find(packageName == null ? "" : packageName);
        String problem = null;
        if (pkg.isEmpty()) {
            problem = "no operator '" + packageName + "' in catalog " + OperatorCatalog.CATALOG_SOURCE;
        } else if (api.list(Kinds.OPERATOR_GROUP, ns).isEmpty()) {
            problem = "no OperatorGroup in namespace " + ns + ": OLM installs nothing there";
        } else {
            List<String> missing = new ArrayList<>();
            for (String required : pkg.get().requires()) {
                if (!succeeded(csvs, required)) {
                    missing.add(required);
                }
            }
            if (!missing.isEmpty()) {
                problem = "constraints not satisfiable: " + packageName + " requires " + String.join(", ", missing)
                        + ", which is not installed";
            }
        }
        if (problem != null) {
            setSubscriptionStatus(sub, Map.of("state", "UpgradePending", "conditions", List.of(Map.of(
                    "type", "ResolutionFailed", "status", "True", "reason", "ConstraintsNotSatisfiable", "message", problem))));
            return;
        }
        // OLM installs the startingCSV first (the simulation offers every version of a package, and upgrades none)
        Object starting = ClusterApi.map(sub, "spec").get("startingCSV");
        String csvName = starting instanceof String s && s.startsWith(pkg.get().name() + ".v") ? s : pkg.get().csvName();
        String version = csvName.substring(pkg.get().name().length() + 2);
        GenericKubernetesResource plan = installPlan(sub, csvName);
        if (!Boolean.TRUE.equals(ClusterApi.map(plan, "spec").get("approved"))) {
            setSubscriptionStatus(sub, Map.of("state", "UpgradePending", "currentCSV", csvName,
                    "installPlanRef", planRef(plan), "installplan", legacyPlanRef(plan), "conditions", List.of(Map.of(
                            "type", "InstallPlanPending", "status", "True", "reason", "RequiresApproval",
                            "message", "install plan " + plan.getMetadata().getName() + " waits for approval"))));
            return;
        }
        boolean exists = csvs.stream().anyMatch(c -> c.getMetadata().getName().equals(csvName)
                && c.getMetadata().getNamespace().equals(ns));
        if (!exists) {
            GenericKubernetesResource csv = new GenericKubernetesResourceBuilder()
                    .withApiVersion("operators.coreos.com/v1alpha1").withKind("ClusterServiceVersion")
                    .withNewMetadata().withName(csvName).withNamespace(ns).endMetadata()
                    .addToAdditionalProperties("spec", Map.of("displayName", pkg.get().name(), "version", version,
                            "install", Map.of("strategy", "deployment", "spec", Map.of("deployments", List.of()))))
                    .build();
            ClusterApi.createIfAbsent(() -> {
                GenericKubernetesResource created = api.client().genericKubernetesResources(Kinds.CSV).inNamespace(ns)
                        .resource(csv).create();
                api.setStatus(Kinds.CSV, created, Map.of("phase", "Installing", "reason", "InstallWaiting",
                        "message", "installing " + pkg.get().name()));
            });
        }
        api.setStatus(Kinds.INSTALL_PLAN, plan, Map.of("phase", "Complete", "conditions", List.of(Map.of(
                "type", "Installed", "status", "True"))));
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("state", "AtLatestKnown");
        status.put("currentCSV", csvName);
        status.put("installedCSV", csvName);
        status.put("installPlanRef", planRef(plan));
        status.put("installplan", legacyPlanRef(plan));
        status.put("conditions", List.of(Map.of("type", "CatalogSourcesUnhealthy", "status", "False")));
        setSubscriptionStatus(sub, status);
    }

    /**
     * The Subscription's InstallPlan for {@code csvName}, made when missing: approved at once under
     * {@code installPlanApproval: Automatic} (the default), left for a person (or a pipeline) to
     * approve under {@code Manual}, as OLM does.
     */
    private GenericKubernetesResource installPlan(GenericKubernetesResource sub, String csvName) {
        String ns = sub.getMetadata().getNamespace();
        for (GenericKubernetesResource plan : api.list(Kinds.INSTALL_PLAN, ns)) {
            Object names = ClusterApi.map(plan, "spec").get("clusterServiceVersionNames");
            if (names instanceof List<?> l && l.contains(csvName)) {
                return plan;
            }
        }
        boolean manual = "Manual".equals(ClusterApi.map(sub, "spec").get("installPlanApproval"));
        String name = "install-" + Integer.toString(Math.floorMod((ns + "/" + csvName).hashCode(), 36 * 36 * 36 * 36 * 36), 36);
        GenericKubernetesResource plan = new GenericKubernetesResourceBuilder()
                .withApiVersion("operators.coreos.com/v1alpha1").withKind("InstallPlan")
                .withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .addToAdditionalProperties("spec", Map.of("approval", manual ? "Manual" : "Automatic", "approved", !manual,
                        "clusterServiceVersionNames", List.of(csvName), "generation", 1))
                .build();
        try {
            GenericKubernetesResource created = api.client().genericKubernetesResources(Kinds.INSTALL_PLAN).inNamespace(ns)
                    .resource(plan).create();
            if (manual) {
                api.setStatus(Kinds.INSTALL_PLAN, created, Map.of("phase", "RequiresApproval"));
            }
            return created;
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            return api.client().genericKubernetesResources(Kinds.INSTALL_PLAN).inNamespace(ns).withName(name).get();
        }
    }

    private static Map<String, Object> planRef(GenericKubernetesResource plan) {
        return Map.of("apiVersion", "operators.coreos.com/v1alpha1", "kind", "InstallPlan",
                "name", plan.getMetadata().getName(), "namespace", plan.getMetadata().getNamespace(),
                "uid", plan.getMetadata().getUid());
    }

    /** The older reference OLM still writes beside installPlanRef (its schema requires a uuid). */
    private static Map<String, Object> legacyPlanRef(GenericKubernetesResource plan) {
        return Map.of("apiVersion", "operators.coreos.com/v1alpha1", "kind", "InstallPlan",
                "name", plan.getMetadata().getName(), "uuid", plan.getMetadata().getUid());
    }

    /** A Subscription's status, with the {@code lastUpdated} its schema requires (not compared: see ClusterApi#setStatus). */
    private void setSubscriptionStatus(GenericKubernetesResource sub, Map<String, Object> status) {
        Map<String, Object> wanted = new LinkedHashMap<>(status);
        wanted.put("lastUpdated", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        api.setStatus(Kinds.SUBSCRIPTION, sub, wanted);
    }

    private static boolean succeeded(List<GenericKubernetesResource> csvs, String packageName) {
        return csvs.stream().anyMatch(c -> c.getMetadata().getName().startsWith(packageName + ".v")
                && "Succeeded".equals(ClusterApi.map(c, "status").get("phase")));
    }

    /** Moves an Installing CSV on once its time is up; returns how long it still waits, or null. */
    private Duration install(GenericKubernetesResource csv) {
        if (!"Installing".equals(ClusterApi.map(csv, "status").get("phase"))) {
            return null;
        }
        String key = csv.getMetadata().getNamespace() + "/" + csv.getMetadata().getName();
        Instant started = installStarted.get(key);
        if (started == null) {
            // the operator's CRDs first, while its deployment starts; the install time counts from here
            started = Instant.now();
            installStarted.put(key, started);
            String packageName = csv.getMetadata().getName().substring(0, csv.getMetadata().getName().lastIndexOf(".v"));
            api.installCrds(OperatorCatalog.find(packageName).map(p -> p.crds().get()).orElse(List.of()));
        }
        Duration left = timing.operatorInstall().minus(Duration.between(started, Instant.now()));
        if (!left.isNegative() && !left.isZero()) {
            return left;
        }
        api.setStatus(Kinds.CSV, csv, Map.of("phase", "Succeeded", "reason", "InstallSucceeded",
                "message", "install strategy completed with no errors"));
        installStarted.remove(key);
        return null;
    }
}
