package io.meshfed.it;

import io.meshfed.inventory.InventoryLoader;
import io.meshfed.model.render.FederationRenderer;
import io.meshfed.model.resource.DesiredObject;
import io.meshfed.model.resource.Readiness;
import io.meshfed.model.resource.Tree;
import io.meshfed.provisioner.crd.CrdCatalog;
import io.meshfed.provisioner.doctor.SnapshotReader;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The manifests for running meshfed in a cluster (deploy/): the ClusterRole grants exactly what the
 * example inventories need — read, watch and write verbs on every kind meshfed renders, get, list and
 * watch on every kind it only reads — and nothing more; the Job and CronJob probe the health endpoints; the example inventory
 * ConfigMap, laid out as the pod sees it, is a valid inventory.
 */
class DeployManifestsTest {

    /** Managed kinds: read, write, delete, and watch (waiting for readiness, and for deletion on destroy). */
    private static final Set<String> WRITE = Set.of("get", "list", "watch", "create", "patch", "delete");
    /** Kinds meshfed only reads: read, and list and watch while it waits for them (one informer per kind and namespace). */
    private static final Set<String> READ = Set.of("get", "list", "watch");
    /** The plurals of the kinds without a CRD of ours: built-in ones, and OpenShift's Infrastructure. */
    private static final Map<String, String> PLURALS = Map.ofEntries(Map.entry("Namespace", "namespaces"),
            Map.entry("ConfigMap", "configmaps"), Map.entry("Service", "services"), Map.entry("Deployment", "deployments"),
            Map.entry("Secret", "secrets"), Map.entry("ServiceAccount", "serviceaccounts"), Map.entry("Role", "roles"),
            Map.entry("RoleBinding", "rolebindings"), Map.entry("ClusterRole", "clusterroles"),
            Map.entry("ClusterRoleBinding", "clusterrolebindings"), Map.entry("Infrastructure", "infrastructures"));

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> documents(String file) throws IOException {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object d : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(
                Files.readString(Repo.root().resolve("deploy").resolve(file)))) {
            if (d != null) {
                docs.add((Map<String, Object>) d);
            }
        }
        return docs;
    }

    @Test
    @SuppressWarnings("unchecked")
    @DisplayName("the ClusterRole covers every kind the examples render or read, with exact verbs, and nothing more")
    void leastPrivilege() throws IOException {
        Map<String, Set<String>> needed = new TreeMap<>();
        CrdCatalog crds = CrdCatalog.load();
        List<DesiredObject> rendered = new ArrayList<>();
        for (String example : Repo.EXAMPLES) {
            var inventory = InventoryLoader.load(Repo.example(example));
            rendered.addAll(FederationRenderer.render(inventory));
            try {
                // meshfed migrate: the last phase holds every object the migration adds
                rendered.addAll(FederationRenderer.render(io.meshfed.provisioner.migrate.Migration.at(inventory,
                        io.meshfed.model.inventory.MigrationPhase.OSSM3)));
            } catch (io.meshfed.model.render.RenderException e) {
                // an example whose imports cannot be discovered by hand (a wildcard) does not migrate
            }
        }
        {
            for (DesiredObject o : rendered) {
                String plural = crds.find(o.ref().apiVersion(), o.ref().kind()).map(c -> c.plural())
                        .orElseGet(() -> PLURALS.get(o.ref().kind()));
                assertThat(plural).as("plural of %s", o.ref().kind()).isNotNull();
                Set<String> verbs = needed.computeIfAbsent(o.ref().group() + "/" + plural, k -> new TreeSet<>());
                verbs.addAll(o.managed() ? WRITE : READ);
                if (o.readiness() == Readiness.CSV_SUCCEEDED) {
                    needed.computeIfAbsent("operators.coreos.com/clusterserviceversions", k -> new TreeSet<>()).addAll(READ);
                }
                // a remote secret's token, issued by the reader account's API server (TokenRequest)
                Tree.forEachLeaf(o.content(), leaf -> {
                    if (leaf instanceof io.meshfed.model.resource.LiveText text
                            && text.parts().stream().anyMatch(p -> p instanceof io.meshfed.model.resource.IssuedToken)) {
                        needed.put("/serviceaccounts/token", new TreeSet<>(Set.of("create")));
                    }
                });
            }
        }
        // approving an InstallPlan where an operator's `approve` asks for it (ReadinessWait)
        needed.put("operators.coreos.com/installplans", new TreeSet<>(Set.of("get", "patch")));
        // the run lock (RunLock): read, take and renew a Lease
        needed.put("coordination.k8s.io/leases", new TreeSet<>(Set.of("get", "create", "update")));
        // OSSM 3's reader role grants the peers' istiods more than meshfed holds: it may write it and bind it, no other
        needed.put("rbac.authorization.k8s.io/clusterroles/meshfed-istio-reader", new TreeSet<>(Set.of("escalate", "bind")));
        // the IstioRevisionTag meshfed adds under mesh_update_strategy: RevisionBased (the example updates in place)
        needed.put("sailoperator.io/istiorevisiontags", new TreeSet<>(WRITE));
        // meshfed migrate moves the member namespaces' workloads to the new revision: their Pods read, the workloads
        // restarted (a JSON patch of the pod template)
        needed.put("/pods", new TreeSet<>(Set.of("list")));
        needed.get("apps/deployments").addAll(Set.of("list", "patch"));
        needed.put("apps/statefulsets", new TreeSet<>(Set.of("list", "patch")));
        needed.put("apps/daemonsets", new TreeSet<>(Set.of("list", "patch")));
        Map<String, Set<String>> granted = granted("rbac.yaml");
        assertThat(granted).isEqualTo(needed);
        // the namespace check before a namespace meshfed created is deleted: list of everything, and nothing else
        Map<String, Object> contents = documents("rbac.yaml").stream().filter(d -> "ClusterRole".equals(d.get("kind"))
                && "meshfed-namespace-contents".equals(((Map<String, Object>) d.get("metadata")).get("name"))).findFirst()
                .orElseThrow();
        assertThat((List<Map<String, Object>>) contents.get("rules")).singleElement()
                .satisfies(rule -> assertThat(rule.get("verbs")).isEqualTo(List.of("list")));
        assertThat(documents("rbac.yaml")).filteredOn(d -> "ClusterRoleBinding".equals(d.get("kind")))
                .extracting(d -> ((Map<String, Object>) d.get("roleRef")).get("name"))
                .containsExactlyInAnyOrder("meshfed", "meshfed-namespace-contents");
    }

    /**
     * The ClusterRole of a file of deploy/, as group/resource → verbs (a rule for named objects only as
     * group/resource/name); no wildcards, non-resource URLs only for discovery.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Set<String>> granted(String file) throws IOException {
        Map<String, Object> role = documents(file).stream().filter(d -> "ClusterRole".equals(d.get("kind")))
                .findFirst().orElseThrow();
        Map<String, Set<String>> granted = new TreeMap<>();
        for (Map<String, Object> rule : (List<Map<String, Object>>) role.get("rules")) {
            if (rule.containsKey("nonResourceURLs")) {
                assertThat((List<String>) rule.get("verbs")).containsExactly("get");
                continue;
            }
            for (String group : (List<String>) rule.get("apiGroups")) {
                for (String resource : (List<String>) rule.get("resources")) {
                    assertThat(resource).isNotEqualTo("*");
                    for (String name : (List<String>) rule.getOrDefault("resourceNames", java.util.Collections.singletonList(null))) {
                        granted.computeIfAbsent(group + "/" + resource + (name == null ? "" : "/" + name), k -> new TreeSet<>())
                                .addAll((List<String>) rule.get("verbs"));
                    }
                }
            }
        }
        return granted;
    }

    @Test
    @DisplayName("the doctor's ClusterRole lists exactly the kinds the doctor reads, and gets the operator's CSV: no write verb")
    void doctorReadsOnly() throws IOException {
        CrdCatalog crds = CrdCatalog.load();
        Map<String, String> plurals = Map.of("Service", "services", "ConfigMap", "configmaps",
                "BGPAdvertisement", "bgpadvertisements");
        Map<String, Set<String>> needed = new TreeMap<>();
        for (String[] kind : SnapshotReader.CLUSTER_WIDE) {
            String group = kind[0].contains("/") ? kind[0].substring(0, kind[0].indexOf('/')) : "";
            String plural = crds.find(kind[0], kind[1]).map(c -> c.plural()).orElseGet(() -> plurals.get(kind[1]));
            assertThat(plural).as("plural of %s", kind[1]).isNotNull();
            needed.put(group + "/" + plural, Set.of("list"));
        }
        needed.put("/configmaps", Set.of("list"));   // of the control planes' namespaces
        needed.put("/serviceaccounts", Set.of("list"));   // the gateways' (a peer's clientID names one)
        needed.put("operators.coreos.com/clusterserviceversions", Set.of("get"));
        needed.put("/namespaces", Set.of("get", "list"));   // OSSM 3: the network label, the mesh's namespaces
        needed.put("/secrets", Set.of("get"));   // by name: cacerts, istio-remote-secret-<cluster>
        needed.put("/pods", Set.of("list"));   // OSSM 3: the istiod Pods (app=istiod) of the control plane's namespace
        needed.put("/pods/proxy", Set.of("get"));   // their /debug/clusterz, as istioctl remote-clusters reads it
        assertThat(granted("doctor-rbac.yaml")).isEqualTo(needed);
    }

    @Test
    @SuppressWarnings("unchecked")
    @DisplayName("the Job and the CronJob run apply and probe /q/health/live and /q/health/ready with the server on")
    void jobsProbeHealth() throws IOException {
        for (Object[] file : new Object[][] {{"job.yaml", List.of("spec", "template", "spec")},
                {"cronjob.yaml", List.of("spec", "jobTemplate", "spec", "template", "spec")}}) {
            Map<String, Object> pod = (Map<String, Object>) Tree.get(documents((String) file[0]).get(0),
                    ((List<String>) file[1]).toArray(String[]::new));
            Map<String, Object> container = ((List<Map<String, Object>>) pod.get("containers")).get(0);
            assertThat((List<String>) container.get("args")).startsWith("apply", "-i", "/etc/meshfed/inventory");
            assertThat(Tree.get(container, "livenessProbe", "httpGet", "path")).isEqualTo("/q/health/live");
            assertThat(Tree.get(container, "readinessProbe", "httpGet", "path")).isEqualTo("/q/health/ready");
            assertThat(container.get("env").toString()).contains("QUARKUS_HTTP_HOST_ENABLED", "value=true");
            assertThat(pod.get("serviceAccountName")).isEqualTo("meshfed");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    @DisplayName("the inventory ConfigMap, mapped to paths as the Job mounts it, is a valid inventory")
    void inventoryConfigMapLoads(@TempDir Path tmp) throws IOException {
        mountInventory(tmp);
        var inventory = InventoryLoader.load(tmp);
        assertThat(inventory.requireCluster("blue").connection().inCluster()).isTrue();
        assertThat(inventory.requireCluster("green").connection().kubeconfig()).isEqualTo("/etc/meshfed/kubeconfigs/green");
    }

    /** The pod a Job's or CronJob's template makes, as a Pod manifest for a server dry run in the namespace meshfed. */
    @SuppressWarnings("unchecked")
    private static String podOf(Map<String, Object> template, boolean withSecurityContexts) {
        Map<String, Object> spec = new java.util.LinkedHashMap<>((Map<String, Object>) template.get("spec"));
        if (!withSecurityContexts) {
            spec.remove("securityContext");
            spec.put("containers", ((List<Map<String, Object>>) spec.get("containers")).stream().map(c -> {
                Map<String, Object> copy = new java.util.LinkedHashMap<>(c);
                copy.remove("securityContext");
                return copy;
            }).toList());
        }
        Map<String, Object> pod = new java.util.LinkedHashMap<>();
        pod.put("apiVersion", "v1");
        pod.put("kind", "Pod");
        pod.put("metadata", Map.of("name", "meshfed-template-check", "namespace", "meshfed"));
        pod.put("spec", spec);
        return io.fabric8.kubernetes.client.utils.Serialization.asYaml(pod);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> template(List<Map<String, Object>> docs, String kind) {
        Map<String, Object> workload = docs.stream().filter(d -> kind.equals(d.get("kind"))).findFirst().orElseThrow();
        return (Map<String, Object>) ("CronJob".equals(kind) ? Tree.get(workload, "spec", "jobTemplate", "spec", "template")
                : Tree.get(workload, "spec", "template"));
    }

    private static List<Map<String, Object>> parseAll(String yaml) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object d : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
            if (d != null) {
                @SuppressWarnings("unchecked")
                Map<String, Object> doc = (Map<String, Object>) d;
                docs.add(doc);
            }
        }
        return docs;
    }

    @Test
    @DisplayName("deploy/ applies as shipped (kubectl apply -k, twice: unchanged) on a real API server; its namespace enforces PodSecurity restricted, which the pods of the CronJob, the Job and the git-sync component pass (and fail without their security contexts)")
    void appliesAsShippedOnRestricted(@TempDir Path tmp) throws Exception {
        Path inventoryDir = tmp.resolve("inventory");
        mountInventory(inventoryDir);
        var inventory = InventoryLoader.load(inventoryDir);
        try (var simulation = io.meshfed.provisioner.simulate.SimulatedInventory.start(inventory,
                io.meshfed.provisioner.simulate.SimulationTiming.INSTANT)) {
            Path kubeconfig = Files.writeString(tmp.resolve("kubeconfig"), io.meshfed.provisioner.simulate.SimulatedInventory
                    .kubeconfig(inventory, simulation));
            Kubectl kubectl = new Kubectl(kubeconfig, tmp);
            String applied = kubectl.ok("--context", "blue", "apply", "-k", Repo.root().resolve("deploy").toString());
            assertThat(applied).contains("namespace/meshfed created", "cronjob.batch/meshfed-converge created",
                    "configmap/meshfed-inventory created", "clusterrole.rbac.authorization.k8s.io/meshfed created")
                    .doesNotContain("Warning");
            assertThat(kubectl.ok("--context", "blue", "apply", "-k", Repo.root().resolve("deploy").toString()).lines()
                    .filter(l -> !l.isBlank())).allMatch(l -> l.endsWith(" unchanged"));
            assertThat(kubectl.ok("--context", "blue", "get", "namespace", "meshfed", "-o",
                    "jsonpath={.metadata.labels.pod-security\\.kubernetes\\.io/enforce}")).isEqualTo("restricted");
            assertThat(kubectl.ok("--context", "blue", "apply", "-f", Repo.root().resolve("deploy/job.yaml").toString()))
                    .contains("job.batch/meshfed-apply created").doesNotContain("Warning");

            Path component = tmp.resolve("deploy-with-git-sync");
            Repo.copyTree(Repo.root().resolve("deploy"), component);
            Files.writeString(component.resolve("kustomization.yaml"), "components: [git-sync]\n", java.nio.file.StandardOpenOption.APPEND);
            List<Map<String, Object>> gitSync = parseAll(kubectl.ok("kustomize", component.toString()));
            assertThat(gitSync).noneMatch(d -> "ConfigMap".equals(d.get("kind")));

            Map<String, Map<String, Object>> templates = Map.of(
                    "CronJob", template(parseAll(kubectl.ok("kustomize", Repo.root().resolve("deploy").toString())), "CronJob"),
                    "Job", template(documents("job.yaml"), "Job"),
                    "CronJob with git-sync", template(gitSync, "CronJob"));
            for (var entry : templates.entrySet()) {
                Path pod = Files.writeString(tmp.resolve("pod.yaml"), podOf(entry.getValue(), true));
                assertThat(kubectl.ok("--context", "blue", "create", "--dry-run=server", "-f", pod.toString()))
                        .as(entry.getKey()).contains("pod/meshfed-template-check created (server dry run)").doesNotContain("Warning");
                Files.writeString(pod, podOf(entry.getValue(), false));
                Kubectl.Result refused = kubectl.run("--context", "blue", "create", "--dry-run=server", "-f", pod.toString());
                assertThat(refused.exit()).as(entry.getKey() + " without its security contexts").isNotZero();
                assertThat(refused.out()).contains("violates PodSecurity \"restricted:latest\"");
            }

            // the CronJob's command line, as its pod runs it: blue in-cluster with the meshfed ServiceAccount's token,
            // green through the kubeconfig of the Secret (a token of green's meshfed ServiceAccount), no other right
            kubectl.ok("--context", "green", "apply", "-k", Repo.root().resolve("deploy").toString());
            // the team's application on blue, which the ConfigMap's inventory exports (it has no manifests of its own)
            kubectl.ok("--context", "blue", "create", "namespace", "nfs-app-istio");
            kubectl.ok("--context", "blue", "-n", "nfs-app-istio", "create", "service", "clusterip", "dokuwiki", "--tcp=80:8080");
            Path secret = tmp.resolve("kubeconfigs");
            Files.createDirectories(secret);
            Files.writeString(secret.resolve("green"), Accounts.kubeconfig(simulation.require("green"), "green",
                    Accounts.token(simulation, "green", "meshfed")));
            Files.writeString(inventoryDir.resolve("hosts.yaml"), Files.readString(inventoryDir.resolve("hosts.yaml"))
                    .replace("/etc/meshfed/kubeconfigs/green", secret.resolve("green").toString()));
            Path token = Files.writeString(tmp.resolve("token"), Accounts.token(simulation, "blue", "meshfed"));
            @SuppressWarnings("unchecked")
            List<String> args = (List<String>) ((List<Map<String, Object>>) Tree.get(templates.get("CronJob"), "spec",
                    "containers")).get(0).get("args");
            List<String> command = args.stream().map(a -> a.equals("/etc/meshfed/inventory") ? inventoryDir.toString()
                    : a.equals("/tmp/report.json") ? tmp.resolve("report.json").toString() : a).toList();
            Map<String, String> pod = Map.of("KUBERNETES_SERVICE_HOST", "127.0.0.1",
                    "KUBERNETES_SERVICE_PORT", String.valueOf(simulation.require("blue").port()),
                    "KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN", token.toString(),
                    "KUBERNETES_TRUST_CERTIFICATES", "true",   // a pod trusts the service account's ca.crt instead
                    "QUARKUS_HTTP_HOST_ENABLED", "true", "QUARKUS_HTTP_PORT", "0", "HOME", tmp.toString());
            long started = System.nanoTime();
            for (String expected : List.of("changed=", "changed=0")) {
                Path out = tmp.resolve("run.out");
                Process run = AppProcess.start(out, pod, List.of(), command.toArray(String[]::new));
                if (!run.waitFor(180, java.util.concurrent.TimeUnit.SECONDS)) {
                    run.destroyForcibly();
                    throw new AssertionError("the Job's command line did not end: " + Files.readString(out));
                }
                String output = Files.readString(out);
                assertThat(run.exitValue()).as(output).isZero();
                assertThat(output).contains("PLAY RECAP", expected).doesNotContain("refused", "forbidden");
                assertThat(tmp.resolve("report.json")).exists();
            }
            assertThat(simulation.require("blue").requests().entries()).as("requests as the ServiceAccount, none refused")
                    .filteredOn(e -> !e.controller() && e.nanos() > started).isNotEmpty().noneMatch(e -> e.status() == 403 || e.status() == 401);
        }
    }

    /** The inventory ConfigMap's keys written where the Job mounts them. */
    @SuppressWarnings("unchecked")
    private static void mountInventory(Path dir) throws IOException {
        Map<String, Object> data = (Map<String, Object>) documents("inventory-configmap.yaml").get(0).get("data");
        List<Map<String, Object>> volumes = (List<Map<String, Object>>) Tree.get(documents("cronjob.yaml").get(0),
                "spec", "jobTemplate", "spec", "template", "spec", "volumes");
        Map<String, Object> inventoryVolume = volumes.stream().filter(v -> "inventory".equals(v.get("name"))).findFirst()
                .orElseThrow();
        for (Map<String, Object> item : (List<Map<String, Object>>) Tree.get(inventoryVolume, "configMap", "items")) {
            Path target = dir.resolve((String) item.get("path"));
            Files.createDirectories(target.getParent());
            Files.writeString(target, (String) data.get(item.get("key")));
        }
    }
}
