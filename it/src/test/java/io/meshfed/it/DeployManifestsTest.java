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
    private static final Map<String, String> CORE_PLURALS = Map.of("Namespace", "namespaces", "ConfigMap", "configmaps",
            "Service", "services", "Deployment", "deployments");

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
        for (String example : Repo.EXAMPLES) {
            for (DesiredObject o : FederationRenderer.render(InventoryLoader.load(Repo.example(example)))) {
                String plural = crds.find(o.ref().apiVersion(), o.ref().kind()).map(c -> c.plural())
                        .orElseGet(() -> CORE_PLURALS.get(o.ref().kind()));
                assertThat(plural).as("plural of %s", o.ref().kind()).isNotNull();
                Set<String> verbs = needed.computeIfAbsent(o.ref().group() + "/" + plural, k -> new TreeSet<>());
                verbs.addAll(o.managed() ? WRITE : READ);
                if (o.readiness() == Readiness.CSV_SUCCEEDED) {
                    needed.computeIfAbsent("operators.coreos.com/clusterserviceversions", k -> new TreeSet<>()).addAll(READ);
                }
            }
        }
        // approving an InstallPlan where an operator's `approve` asks for it (ReadinessWait)
        needed.put("operators.coreos.com/installplans", new TreeSet<>(Set.of("get", "patch")));
        // the run lock (RunLock): read, take and renew a Lease
        needed.put("coordination.k8s.io/leases", new TreeSet<>(Set.of("get", "create", "update")));
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

    /** The ClusterRole of a file of deploy/, as group/resource → verbs; no wildcards, non-resource URLs only for discovery. */
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
                    granted.computeIfAbsent(group + "/" + resource, k -> new TreeSet<>())
                            .addAll((List<String>) rule.get("verbs"));
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
        Map<String, Object> data = (Map<String, Object>) documents("inventory-configmap.yaml").get(0).get("data");
        Map<String, Object> job = documents("job.yaml").get(0);
        List<Map<String, Object>> volumes = (List<Map<String, Object>>) Tree.get(job, "spec", "template", "spec", "volumes");
        Map<String, Object> inventoryVolume = volumes.stream().filter(v -> "inventory".equals(v.get("name"))).findFirst()
                .orElseThrow();
        for (Map<String, Object> item : (List<Map<String, Object>>) Tree.get(inventoryVolume, "configMap", "items")) {
            Path target = tmp.resolve((String) item.get("path"));
            Files.createDirectories(target.getParent());
            Files.writeString(target, (String) data.get(item.get("key")));
        }
        var inventory = InventoryLoader.load(tmp);
        assertThat(inventory.requireCluster("blue").connection().inCluster()).isTrue();
        assertThat(inventory.requireCluster("green").connection().kubeconfig()).isEqualTo("/etc/meshfed/kubeconfigs/green");
    }
}
