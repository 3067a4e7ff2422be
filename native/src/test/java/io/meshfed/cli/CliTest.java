package io.meshfed.cli;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line, end to end: written once with {@code @QuarkusMainTest} and run again against the
 * packaged application by {@link CliIT} ({@code @QuarkusMainIntegrationTest}; against the native
 * binary when built with -Pnative).
 */
@QuarkusMainTest
class CliTest {

    static Path repo() {
        String root = System.getProperty("meshfed.repo.root");
        return (root != null ? Path.of(root) : Path.of("..")).toAbsolutePath().normalize();
    }

    static String example(String name) {
        return repo().resolve("inventory").resolve(name).toString();
    }

    @Test
    @DisplayName("render prints every managed object as YAML, with live values shown as references")
    void renderYaml(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("render", "-i", example("blue-green"));

        assertThat(result.exitCode()).isZero();
        List<Map<String, Object>> docs = yamlDocuments(result.getOutput());
        assertThat(docs).hasSizeGreaterThan(40);
        assertThat(docs).extracting(d -> d.get("kind")).contains("ServiceMeshControlPlane", "ServiceMeshPeer",
                "ExportedServiceSet", "ImportedServiceSet", "VirtualService", "Subscription", "IPAddressPool");
        assertThat(result.getOutput()).contains(
                "(known after apply: green/Service/green-mesh-system/ingress-blue-mesh {.status.loadBalancer.ingress[0]['ip','hostname']})",
                "(known after apply: blue/ConfigMap/blue-mesh-system/istio-ca-root-cert {.data.root-cert\\\\.pem})",
                "# cluster: blue", "# cluster: green");
        // output used as GitOps input would carry the placeholders: stderr says which objects, stdout stays YAML
        assertThat(result.getErrorOutput()).contains("warning: 4 objects hold values only known after apply",
                "blue/ServiceMeshPeer/blue-mesh-system/green-mesh", "green/ConfigMap/green-mesh-system/blue-mesh-ca-root-cert");
    }

    @Test
    @DisplayName("pki root: a root CA (RSA 4096, CA, key readable by its owner only) that an OSSM 3 inventory's mesh_trust names; never overwritten")
    void pkiRoot(QuarkusMainLauncher launcher, @TempDir Path tmp) throws Exception {
        Path pki = tmp.resolve("inventory/pki");
        LaunchResult made = launcher.launch("pki", "root", "--out", pki.toString(), "--days", "30");
        assertThat(made.exitCode()).as(made.getErrorOutput()).isZero();
        assertThat(made.getOutput()).contains("mesh_trust:", "root_cert: " + pki.resolve("root-cert.pem"))
                .doesNotContain("PRIVATE KEY");
        assertThat(java.nio.file.Files.getPosixFilePermissions(pki.resolve("root-key.pem")))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        var root = (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(java.nio.file.Files.newInputStream(pki.resolve("root-cert.pem")));
        assertThat(root.getBasicConstraints()).isNotNegative();
        assertThat(root.getSubjectX500Principal().getName()).isEqualTo("CN=Root CA,O=Istio");
        assertThat(((java.security.interfaces.RSAPublicKey) root.getPublicKey()).getModulus().bitLength()).isEqualTo(4096);
        assertThat(root.getNotAfter().toInstant()).isBetween(java.time.Instant.now().plus(java.time.Duration.ofDays(29)),
                java.time.Instant.now().plus(java.time.Duration.ofDays(31)));

        LaunchResult again = launcher.launch("pki", "root", "--out", pki.toString());
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.getErrorOutput()).contains("root-cert.pem exists: a root is never overwritten");

        // an OSSM 3 inventory naming it renders; the intermediates and remote secrets are known after apply
        java.nio.file.Files.writeString(tmp.resolve("inventory/hosts.yaml"), """
                all:
                  vars:
                    meshfed_inventory_name: pki
                    mesh_generation: ossm3
                    mesh_trust: {root_cert: pki/root-cert.pem, root_key: pki/root-key.pem}
                  hosts:
                    east: {kube_context: east, load_balancer: cloud}
                    west: {kube_context: west, load_balancer: cloud}
                """);
        LaunchResult rendered = launcher.launch("render", "-i", tmp.resolve("inventory").toString());
        assertThat(rendered.exitCode()).as(rendered.getErrorOutput()).isZero();
        assertThat(rendered.getOutput()).contains("kind: Istio", "name: istio-remote-secret-west",
                "ca-key.pem: \"(known after apply: ca-key.pem of east's intermediate CA, issued from the inventory's root)\"",
                "certificate-authority-data: (known after apply: west/ConfigMap/istio-system/kube-root-ca.crt {.data.ca\\.crt} | base64)",
                "token: (known after apply: a token of ServiceAccount istio-system/meshfed-reader-east on west, issued at apply)")
                .doesNotContain("PRIVATE KEY");
        assertThat(rendered.getErrorOutput()).contains("east/Secret/istio-system/cacerts", "east/Secret/istio-system/istio-remote-secret-west");
    }

    @Test
    @DisplayName("an OSSM 3 mesh_api_server on loopback is refused at its line when meshfed reaches the cluster elsewhere, before any cluster is reached; on loopback (a cluster on this machine) it is allowed")
    void loopbackApiServerRefused(QuarkusMainLauncher launcher, @TempDir Path tmp) throws IOException {
        Path pki = repo().resolve("inventory/ossm3-multi-primary/pki");
        for (String server : List.of("https://api.east.example.invalid:6443", "https://127.0.0.1:1")) {
            Path inventory = Files.createDirectories(tmp.resolve(server.contains("127") ? "local" : "remote"));
            Files.writeString(inventory.resolve("kubeconfig"), """
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - {name: east, cluster: {server: "%s"}}
                    users:
                    - {name: east, user: {token: abc}}
                    contexts:
                    - {name: east, context: {cluster: east, user: east}}
                    current-context: east
                    """.formatted(server));
            Files.writeString(inventory.resolve("hosts.yaml"), """
                    all:
                      vars:
                        meshfed_inventory_name: loopback
                        mesh_generation: ossm3
                        mesh_trust: {root_cert: %s, root_key: %s}
                      hosts:
                        east:
                          kubeconfig: %s
                          load_balancer: cloud
                          mesh_api_server: https://127.0.0.1:6443
                    """.formatted(pki.resolve("root-cert.pem"), pki.resolve("root-key.pem"), inventory.resolve("kubeconfig")));
            LaunchResult plan = launcher.launch("plan", "-i", inventory.toString());
            if (server.contains("127")) {
                assertThat(plan.exitCode()).as("reached on loopback itself: allowed, then unreachable").isEqualTo(ExitCodes.UNREACHABLE);
                assertThat(plan.getErrorOutput()).doesNotContain("loopback address");
            } else {
                assertThat(plan.exitCode()).as(plan.getErrorOutput()).isEqualTo(ExitCodes.BAD_INPUT);
                assertThat(plan.getErrorOutput()).contains("hosts.yaml:10:24: host 'east': mesh_api_server https://127.0.0.1:6443 "
                        + "is a loopback address: the other clusters' istiods would reach their own pod, not east (meshfed "
                        + "reaches it at https://api.east.example.invalid:6443/)").doesNotContain("cannot reach");
            }
        }
    }

    @Test
    @DisplayName("render masks a Secret's values (stringData is sent as data) unless --show-secrets")
    void renderMasksSecrets(QuarkusMainLauncher launcher, @TempDir Path tmp) throws IOException {
        Files.createDirectories(tmp.resolve("apps"));
        Files.writeString(tmp.resolve("hosts.yaml"), """
                all:
                  vars: {meshfed_inventory_name: secrets, federation: {peering: none}}
                  hosts:
                    solo: {kube_context: solo, metallb_addresses: [10.0.0.1-10.0.0.9], mesh_manifests: [apps]}
                """);
        Files.writeString(tmp.resolve("apps/secret.yaml"), """
                apiVersion: v1
                kind: Secret
                metadata: {name: credentials, namespace: default}
                stringData: {password: s3cr3t-value}
                """);
        LaunchResult masked = launcher.launch("render", "-i", tmp.toString());
        assertThat(masked.exitCode()).isZero();
        assertThat(masked.getOutput()).contains("password: '***'").doesNotContain("s3cr3t-value")
                .doesNotContain(java.util.Base64.getEncoder().encodeToString("s3cr3t-value".getBytes()));
        LaunchResult shown = launcher.launch("render", "-i", tmp.toString(), "--show-secrets");
        assertThat(shown.getOutput()).contains("password: " + java.util.Base64.getEncoder().encodeToString("s3cr3t-value".getBytes()));
    }

    @Test
    @DisplayName("destroy --limit is an Ansible host pattern over the inventory: a term naming nothing, or a pattern leaving no "
            + "cluster, is bad input before any cluster is reached")
    void destroyLimitIsChecked(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("destroy", "-i", example("blue-green"), "--limit", "purple");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(result.getErrorOutput()).contains("--limit purple: 'purple' matches no group and no host");
        LaunchResult none = launcher.launch("destroy", "-i", example("blue-green"), "--limit", "meshes:!bl*:!green");
        assertThat(none.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(none.getErrorOutput()).contains("--limit meshes:!bl*:!green names no cluster of inventory 'blue-green' "
                + "(its clusters: blue, green)");
    }

    @Test
    @DisplayName("render --cluster -o json prints one cluster's objects as JSON")
    void renderJsonOneCluster(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("render", "-i", example("triangle"), "-o", "json", "--cluster", "green");

        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutput()).startsWith("{").contains("\"green\"")
                .doesNotContain("\"red-mesh-system\" : {");
        assertThat(result.getOutput()).doesNotContain("namespace\" : \"red-mesh-system\"");
    }

    @Test
    @DisplayName("render -o json prints one JSON document, the objects by cluster")
    void renderJsonOneDocument(QuarkusMainLauncher launcher) throws IOException {
        LaunchResult result = launcher.launch("render", "-i", example("triangle"), "-o", "json");
        assertThat(result.exitCode()).isZero();
        var clusters = new com.fasterxml.jackson.databind.ObjectMapper().readTree(result.getOutput()).get("clusters");
        assertThat(clusters.fieldNames()).toIterable().containsExactlyInAnyOrder("red", "green", "blue");
        assertThat(clusters.get("green").get(0).get("kind")).isNotNull();
    }

    @Test
    @DisplayName("render --out writes one file per cluster")
    void renderOut(QuarkusMainLauncher launcher, @TempDir Path out) throws IOException {
        LaunchResult result = launcher.launch("render", "-i", example("hub-spoke"), "--out", out.toString());

        assertThat(result.exitCode()).isZero();
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly("hub.yaml", "spoke1.yaml", "spoke2.yaml", "spoke3.yaml", "spoke4.yaml");
        }
        LaunchResult onAFile = launcher.launch("render", "-i", example("hub-spoke"), "--out", out.resolve("hub.yaml").toString());
        assertThat(onAFile.exitCode()).isNotZero();
        assertThat(onAFile.getErrorOutput()).contains("hub.yaml exists and is not a folder");
        assertThat(yamlDocuments(Files.readString(out.resolve("spoke3.yaml"))))
                .anySatisfy(d -> assertThat(d.get("kind")).isEqualTo("ImportedServiceSet"));
    }

    @Test
    @DisplayName("graph prints DOT (the overview, or --full), Mermaid, JSON and text")
    void graphFormats(QuarkusMainLauncher launcher) {
        String overview = launcher.launch("graph", "-i", example("blue-green")).getOutput();
        assertThat(overview).startsWith("digraph meshfed {").contains("subgraph cluster_legend", "label=\"root-cert.pem\"")
                .doesNotContain("namespace-first");
        assertThat(launcher.launch("graph", "-i", example("blue-green"), "--full").getOutput())
                .contains("digraph meshfed {", "[label=\"namespace-first\"]").doesNotContain("cluster_legend");
        assertThat(launcher.launch("graph", "-i", example("blue-green"), "-o", "mermaid").getOutput())
                .startsWith("flowchart LR");
        LaunchResult json = launcher.launch("graph", "-i", example("blue-green"), "-o", "json");
        assertThat(json.exitCode()).isZero();
        assertThat(json.getOutput()).contains("\"edges\"").contains("\"crossCluster\" : true");
        assertThat(launcher.launch("graph", "-i", example("blue-green"), "-o", "text").getOutput())
                .contains("blue/ServiceMeshPeer/blue-mesh-system/green-mesh\n  waits for ");
    }

    @Test
    @DisplayName("inventory --list and --host print Ansible's view")
    void inventoryList(QuarkusMainLauncher launcher) {
        LaunchResult list = launcher.launch("inventory", "-i", example("hub-spoke"), "--list");
        assertThat(list.exitCode()).isZero();
        assertThat(list.getOutput()).contains("\"_meta\"", "\"hostvars\"", "\"spokes\"");
        LaunchResult host = launcher.launch("inventory", "-i", example("hub-spoke"), "--host", "spoke4");
        assertThat(host.exitCode()).isZero();
        assertThat(host.getOutput()).contains("10.1.0.100-10.1.0.110").doesNotContain("10.0.0.100-10.0.0.110");
        LaunchResult plain = launcher.launch("inventory", "-i", example("hub-spoke"));
        assertThat(plain.exitCode()).as("--list is the default").isZero();
        assertThat(plain.getOutput()).isEqualTo(list.getOutput());
    }

    @Test
    @DisplayName("inventory lists a site inventory not written for meshfed (bastions, VMs, an Ansible template no one evaluates) "
            + "and graphs it as ansible-inventory does; --check runs meshfed's checks on it")
    void inventorySite(QuarkusMainLauncher launcher) {
        String site = repo().resolve("it/src/test/resources/ansible/site/hosts").toString();
        LaunchResult list = launcher.launch("inventory", "-i", site, "--list");
        assertThat(list.exitCode()).as(list.getErrorOutput()).isZero();
        assertThat(list.getOutput()).contains("\"ansible_python_interpreter\" : \"{{ ansible_playbook_python }}\"",
                "\"http_port\" : 8080");
        LaunchResult host = launcher.launch("inventory", "-i", site, "--host", "db1");
        assertThat(host.exitCode()).isZero();
        assertThat(host.getOutput()).contains("\"ansible_host\" : \"10.0.0.21\"");
        LaunchResult graph = launcher.launch("inventory", "-i", site, "--graph", "datacenter");
        assertThat(graph.exitCode()).isZero();
        assertThat(graph.getOutput()).isEqualTo("""
                @datacenter:
                  |--@bastions:
                  |  |--jump.example.com
                  |  |--bastion2
                  |--@vms:
                  |  |--db1
                  |  |--db2
                  |--@meshes:
                  |  |--east
                  |  |--west""");
        LaunchResult withVars = launcher.launch("inventory", "-i", site, "--graph", "vms", "--vars");
        assertThat(withVars.exitCode()).isZero();
        assertThat(withVars.getOutput()).startsWith("""
                @vms:
                  |--db1
                  |  |--{ansible_host = 10.0.0.21}
                  |  |--{ansible_python_interpreter = {{ ansible_playbook_python }}}
                  |  |--{ntp_server = ntp.example.com}
                """);
        assertThat(launcher.launch("inventory", "-i", site, "--vars").getErrorOutput()).contains("--vars goes with --graph");
        LaunchResult none = launcher.launch("inventory", "-i", site, "--graph", "nosuch");
        assertThat(none.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(none.getErrorOutput()).contains("--graph: no group 'nosuch' in the inventory");
        LaunchResult check = launcher.launch("inventory", "-i", site, "--check");
        assertThat(check.exitCode()).as("meshfed's checks: every host is a cluster today").isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(launcher.launch("inventory", "-i", example("hub-spoke"), "--check").getOutput())
                .isEqualTo("ok: 5 clusters, inventory hub-spoke");
    }

    @Test
    @DisplayName("a key given twice is a warning on stderr naming both places, before the output or the errors; Jinja in "
            + "variables is rendered (Jinjava under Quarkus); an INI inventory renders as its YAML twin does")
    void warningsAndIni(QuarkusMainLauncher launcher, @TempDir Path tmp) throws IOException {
        Files.writeString(tmp.resolve("hosts.yaml"), """
                all:
                  vars:
                    meshfed_inventory_name: dup
                    federation: {peering: none}
                  hosts:
                    blue: {metallb_addresses: [10.0.0.1-10.0.0.9], mesh_version: v2.3, mesh_version: v2.4}
                """);
        LaunchResult warned = launcher.launch("render", "-i", tmp.toString());
        assertThat(warned.exitCode()).isZero();
        assertThat(warned.getErrorOutput()).contains("warning: ", "hosts.yaml:6:72: duplicate key 'mesh_version' (also at "
                + "6:52): the last value is used, as Ansible does");
        assertThat(warned.getOutput()).contains("version: v2.4");
        Files.writeString(tmp.resolve("hosts.yaml"), Files.readString(tmp.resolve("hosts.yaml")).replace("peering: none",
                "peering: nonee"));
        LaunchResult failed = launcher.launch("render", "-i", tmp.toString());
        assertThat(failed.exitCode()).isEqualTo(2);
        assertThat(failed.getErrorOutput()).contains("warning: ").contains("duplicate key 'mesh_version'").contains("error: ");

        Path jinja = Files.createDirectories(tmp.resolve("jinja"));
        Files.writeString(jinja.resolve("hosts.yaml"), """
                all:
                  vars:
                    meshfed_inventory_name: jinja
                    federation: {peering: none}
                  hosts:
                    blue: {metallb_addresses: [10.0.0.1-10.0.0.9], mesh_name: "{{ inventory_hostname | upper | lower }}-eu"}
                """);
        LaunchResult templated = launcher.launch("render", "-i", jinja.toString());
        assertThat(templated.exitCode()).as(templated.getErrorOutput()).isZero();
        assertThat(templated.getOutput()).contains("name: blue-eu\n", "namespace: blue-eu-system");

        LaunchResult ini = launcher.launch("render", "-i", example("blue-green") + "/hosts.ini");
        assertThat(ini.exitCode()).as(ini.getErrorOutput()).isZero();
        assertThat(ini.getOutput()).isEqualTo(launcher.launch("render", "-i", example("blue-green")).getOutput());
    }

    @Test
    @DisplayName("doctor on clusters with no control plane: each named as a failing check with its fix, exit 6; as JSON, "
            + "and in --report-json and --junit files")
    void doctorOnEmptyClusters(QuarkusMainLauncher launcher, @TempDir Path tmp) throws IOException {
        // clusters meshfed never ran on (doctor --simulate applies the inventory first): started here, and reached
        // through a kubeconfig the inventory's hosts name
        var inventory = io.meshfed.inventory.InventoryLoader.load(Path.of(example("blue-green")));
        try (var simulation = io.meshfed.provisioner.simulate.SimulatedInventory.start(inventory,
                io.meshfed.provisioner.simulate.SimulationTiming.INSTANT)) {
            Path kubeconfig = Files.writeString(tmp.resolve("kubeconfig"),
                    io.meshfed.provisioner.simulate.SimulatedInventory.kubeconfig(inventory, simulation));
            Path copy = tmp.resolve("blue-green");
            try (var files = Files.walk(Path.of(example("blue-green")))) {
                for (Path p : files.toList()) {
                    Path target = copy.resolve(Path.of(example("blue-green")).relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target);
                    }
                }
            }
            Path hosts = copy.resolve("hosts.yaml");
            Files.writeString(hosts, Files.readString(hosts).replaceAll("(kube_context: \\w+\\n)",
                    "$1          kubeconfig: " + kubeconfig + "\n"));
            doctorOnEmptyClusters(launcher, tmp, copy.toString());
        }
    }

    private static void doctorOnEmptyClusters(QuarkusMainLauncher launcher, Path tmp, String inventory) throws IOException {
        LaunchResult text = launcher.launch("doctor", "-i", inventory);
        assertThat(text.exitCode()).as(text.getErrorOutput()).isEqualTo(6);
        assertThat(text.getOutput()).contains("blue\n  FAIL    inventory       not applied yet: 25 of 25 objects the inventory "
                        + "renders are missing (Namespace openshift-operators-redhat, ",
                "\n  FAIL    control plane   no ServiceMeshControlPlane on blue\n",
                "fix: install the Service Mesh operator", "summary: 0 ok, 4 FAIL, 0 WARN, 2 unknown");
        Path junit = tmp.resolve("doctor.xml");
        Path report = tmp.resolve("doctor.json");
        LaunchResult json = launcher.launch("doctor", "-i", inventory, "-o", "json",
                "--junit", junit.toString(), "--report-json", report.toString());
        assertThat(json.exitCode()).isEqualTo(6);
        assertThat(Files.readString(junit)).contains("<testsuite name=\"blue\" tests=\"3\" failures=\"2\" skipped=\"1\">",
                "<testcase classname=\"blue\" name=\"control plane\"><failure message=\"no ServiceMeshControlPlane on blue\">");
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(Files.readString(report)).get("summary")
                .get("fail").asInt()).isEqualTo(4);
        String output = json.getOutput();
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(output.substring(output.indexOf("{\n")));
        assertThat(tree.get("summary").get("fail").asInt()).isEqualTo(4);
        assertThat(tree.get("findings").get(1).get("status").asText()).isEqualTo("fail");
        assertThat(tree.get("findings").get(1).get("check").asText()).isEqualTo("control plane");
    }

    @Test
    @DisplayName("doctor needs an inventory or kubeconfig contexts, not both; --simulate only with an inventory")
    void doctorTargets(QuarkusMainLauncher launcher) {
        LaunchResult none = launcher.launch("doctor");
        assertThat(none.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(none.getErrorOutput()).contains("error: Missing required argument (specify one of these)", "-i=PATH", "--context=CONTEXT");
        LaunchResult both = launcher.launch("doctor", "-i", example("blue-green"), "--context", "blue");
        assertThat(both.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(both.getErrorOutput()).contains("mutually exclusive");
        LaunchResult simulated = launcher.launch("doctor", "--context", "blue", "--simulate");
        assertThat(simulated.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(simulated.getErrorOutput()).contains("--simulate needs an inventory (-i)");
        LaunchResult missing = launcher.launch("doctor", "--context", "blue", "--kubeconfig", "/nonexistent/kubeconfig");
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(missing.getErrorOutput()).contains("cannot reach cluster blue (context blue of /nonexistent/kubeconfig): "
                + "kubeconfig /nonexistent/kubeconfig does not exist");
    }

    @Test
    @DisplayName("every malformed inventory of the corpus: exit code 2, the expected messages, no stack trace")
    void badInventories(QuarkusMainLauncher launcher) throws IOException {
        Path corpus = repo().resolve("inventory/src/test/resources/malformed");
        List<Path> cases;
        try (Stream<Path> dirs = Files.list(corpus)) {
            cases = dirs.filter(Files::isDirectory).sorted().toList();
        }
        assertThat(cases).hasSizeGreaterThanOrEqualTo(25);
        for (Path dir : malformedCases(cases)) {
            LaunchResult result = launcher.launch("render", "-i", dir.toString());
            String err = result.getErrorOutput();
            assertThat(result.exitCode()).as(dir.getFileName().toString()).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(err).as(dir.getFileName().toString()).doesNotContain("Exception").doesNotContain("\tat ");
            for (String expected : Files.readAllLines(dir.resolve("expected.txt"), StandardCharsets.UTF_8)) {
                assertThat(err).as(dir.getFileName().toString()).contains(expected);
            }
            assertThat(result.getOutput()).as("nothing on stdout for " + dir.getFileName()).isBlank();
        }
    }

    /** Which of the malformed corpus' cases {@link #badInventories} runs: here all of them (in-process, fast). */
    /** The commands whose --help is run (all of them here). */
    List<String> helpCommands(List<String> all) {
        return all;
    }

    List<Path> malformedCases(List<Path> all) {
        return all;
    }

    @Test
    @DisplayName("command-line mistakes: exit code 2 with a hint")
    void usageErrors(QuarkusMainLauncher launcher) {
        LaunchResult typo = launcher.launch("aply", "-i", example("blue-green"));
        assertThat(typo.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(typo.getErrorOutput()).contains("'aply'", "Did you mean", "apply");
        LaunchResult missing = launcher.launch("render");
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(missing.getErrorOutput()).contains("Missing required option: '--inventory=PATH'")
                .contains("Try 'meshfed render --help'");
        LaunchResult badFormat = launcher.launch("graph", "-i", example("blue-green"), "-o", "png");
        assertThat(badFormat.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(badFormat.getErrorOutput()).contains("png");
        LaunchResult unknownCluster = launcher.launch("render", "-i", example("blue-green"), "--cluster", "purple");
        assertThat(unknownCluster.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(unknownCluster.getErrorOutput()).contains("no cluster 'purple'");
    }

    @Test
    @DisplayName("bad run options (-f 0, --timeout 5x, a report in a folder that does not exist) are exit code 2 before any "
            + "cluster is started or reached")
    void runOptionsCheckedFirst(QuarkusMainLauncher launcher) {
        for (String[] args : new String[][] {{"apply", "-f", "0"}, {"plan", "--timeout", "5x"}, {"destroy", "--max-requests", "0"},
                {"apply", "--report-json", "/nonexistent/dir/r.json"}, {"destroy", "--junit", "/nonexistent/j.xml"}}) {
            java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(args));
            command.addAll(java.util.List.of("-i", example("blue-green"), "--simulate"));
            LaunchResult result = launcher.launch(command.toArray(String[]::new));
            assertThat(result.exitCode()).as(String.join(" ", args)).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(result.getErrorOutput()).contains(args[1].equals("--timeout") ? "--timeout"
                    : args[1].startsWith("--report") || args[1].equals("--junit") ? args[1] + " " + args[2] + ": its folder "
                    : "must be at least 1");
            assertThat(result.getOutput() + result.getErrorOutput()).as("no simulated cluster was started")
                    .doesNotContain("simulated clusters:");
        }
    }

    @Test
    @DisplayName("simulate up starts a cluster per host, writes a kubeconfig with their contexts, and stops")
    void simulateUp(QuarkusMainLauncher launcher, @TempDir Path tmp) throws IOException {
        Path kubeconfig = tmp.resolve("sim/kubeconfig");
        LaunchResult result = launcher.launch("simulate", "up", "-i", example("triangle"), "--kubeconfig-out",
                kubeconfig.toString(), "--for", "1s");

        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutput()).contains("red ", "green ", "blue ", "https://127.0.0.1:", "stopped");
        Map<String, Object> config = yamlDocuments(Files.readString(kubeconfig)).get(0);
        assertThat(config.get("contexts").toString()).contains("name=red", "name=green", "name=blue");
        assertThat(config.get("clusters").toString()).contains("server=https://127.0.0.1:");
    }

    @Test
    @DisplayName("an unreachable cluster: exit code 3, the cluster and its context named, no token printed, nothing written")
    void unreachableCluster(QuarkusMainLauncher launcher, @TempDir Path tmp) throws IOException {
        Files.writeString(tmp.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: far
                  cluster: {server: "http://127.0.0.1:9"}
                users:
                - name: admin
                  user: {token: s3cr3t-token-value}
                contexts:
                - name: far-admin
                  context: {cluster: far, user: admin}
                current-context: far-admin
                """);
        Files.writeString(tmp.resolve("hosts.yaml"), """
                all:
                  vars:
                    meshfed_inventory_name: far
                  hosts:
                    far:
                      kubeconfig: %s
                      kube_context: far-admin
                      load_balancer: cloud
                """.formatted(tmp.resolve("kubeconfig")));

        LaunchResult result = launcher.launch("apply", "-i", tmp.toString(), "--timeout", "1m");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(result.getErrorOutput()).contains("cannot reach cluster far (context far-admin of ")
                .contains("nothing was written").doesNotContain("s3cr3t-token-value").doesNotContain("\tat ");
    }

    @Test
    @DisplayName("apply --simulate converges blue-green and says so; plan --simulate shows creates and writes nothing")
    void applySimulated(QuarkusMainLauncher launcher, @TempDir Path tmp) throws Exception {
        LaunchResult apply = launcher.launch("apply", "-i", example("blue-green"), "--simulate", "--diff",
                "--report-json", tmp.resolve("report.json").toString(), "--junit", tmp.resolve("junit.xml").toString());
        assertThat(apply.exitCode()).as(apply.getErrorOutput()).isZero();
        assertThat(apply.getOutput()).as("--diff: what was written, as the server stored it")
                .contains("+++ planned/green/ServiceMeshPeer/green-mesh-system/blue-mesh", "+kind: ServiceMeshPeer");
        assertThat(apply.getOutput()).contains("PLAY RECAP", "blue ", "green ", "failed=0", "changed=25",
                "changed: [green] ImportedServiceSet green-mesh-system/blue-mesh");
        var report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(tmp.resolve("report.json").toFile());
        assertThat(report.get("succeeded").asBoolean()).isTrue();
        assertThat(report.get("nodes")).hasSize(54);
        assertThat(report.get("recap").get("green").get("changed").asInt()).isEqualTo(25);
        assertThat(report.get("nodes").get(0).get("result").asText()).isEqualTo("changed");
        var junit = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(tmp.resolve("junit.xml").toFile());
        assertThat(junit.getElementsByTagName("testsuite").getLength()).isEqualTo(2);
        assertThat(junit.getElementsByTagName("testcase").getLength()).isEqualTo(54);
        assertThat(junit.getElementsByTagName("failure").getLength()).isZero();
        LaunchResult plan = launcher.launch("plan", "-i", example("blue-green"), "--simulate", "--no-diff",
                "--report-json", tmp.resolve("plan.json").toString(), "--junit", tmp.resolve("plan.xml").toString());
        assertThat(plan.exitCode()).isZero();
        var planned = new com.fasterxml.jackson.databind.ObjectMapper().readTree(tmp.resolve("plan.json").toFile());
        assertThat(planned.get("changes").asInt()).isEqualTo(50);
        assertThat(planned.get("objects")).hasSize(54);
        assertThat(java.nio.file.Files.readString(tmp.resolve("plan.xml"))).contains("name=\"ServiceMeshPeer blue-mesh-system/green-mesh\"", "value=\"create\"");
        assertThat(plan.getOutput()).contains("create:   [blue] ServiceMeshPeer blue-mesh-system/green-mesh",
                "Plan: 50 to create, 0 to adopt, 0 to update, 0 unchanged (4 read only). Nothing was written.",
                // a kind no CRD serves yet: its operator, in the same plan, brings it
                "create:   [blue] ServiceMeshControlPlane blue-mesh-system/blue-mesh: shown as rendered: the cluster cannot "
                        + "dry-run it yet (does it serve ServiceMeshControlPlane maistra.io/v2? an operator of the graph may bring it");
        LaunchResult drift = launcher.launch("plan", "-i", example("blue-green"), "--simulate", "--no-diff", "--exit-code");
        assertThat(drift.exitCode()).as("plan --exit-code with changes to make").isEqualTo(ExitCodes.CHANGES);
    }

    @Test
    @DisplayName("a run that cannot converge in time: exit code 1, the recap and what each stuck object waited for")
    void failedRun(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("apply", "-i", example("blue-green"), "--simulate", "--timeout", "1s");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.getOutput()).contains("PLAY RECAP", "failed: ", "the run timed out after 1s while waiting: ");
    }

    @Test
    @DisplayName("serve converges again every interval: the second run on the same clusters changes nothing")
    void serve(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("serve", "-i", example("blue-green"), "--simulate", "--interval", "1s",
                "--runs", "2");
        assertThat(result.exitCode()).isZero();
        String out = result.getOutput();
        assertThat(out).contains("run 1 at ", "run 2 at ", "stopped");
        assertThat(out).containsPattern("run 2 at \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d");
        assertThat(out.substring(out.indexOf("run 2"))).contains("0 changed in", "nothing to do: already converged");
        assertThat(out.substring(0, out.indexOf("run 2"))).contains("50 changed in");
    }

    @Test
    @DisplayName("every command has --help")
    void help(QuarkusMainLauncher launcher) {
        for (String command : helpCommands(List.of("apply", "plan", "destroy", "serve", "render", "graph", "doctor", "migrate",
                "inventory", "rename", "simulate"))) {
            LaunchResult result = launcher.launch(command, "--help");
            assertThat(result.exitCode()).as(command).isZero();
            assertThat(result.getOutput()).as(command).contains("Usage: meshfed " + command);
        }
        // a description is one paragraph, wrapped at the help's width, not its source lines each broken again
        assertThat(launcher.launch("apply", "--help").getOutput()).contains("whole graph, all clusters at once, writing only what")
                .doesNotContain("whole graph,\n");
        LaunchResult top = launcher.launch("--help");
        assertThat(top.exitCode()).isZero();
        assertThat(top.getOutput()).contains("render", "graph", "doctor", "inventory", "Exit codes:", "  5  another run", "  6  doctor",
                "  8  apply: the clusters are in another migration phase", "130, 143");
        // every command's summary in the list is a whole sentence, not a description cut at its first line
        String commands = top.getOutput().substring(top.getOutput().indexOf("Commands:") + "Commands:".length(),
                top.getOutput().indexOf("Exit codes:")).strip();
        for (String summary : commands.split("\n  (?=\\w)")) {
            assertThat(summary.strip()).as(summary).endsWith(".");
        }
    }

    @Test
    @DisplayName("doctor with --simulate looks at clusters the inventory was applied to first (they start empty), and says so; "
            + "it passes (destroy --simulate goes the same way: Session.open's convergedFirst)")
    void simulateConvergesFirstForDoctor(QuarkusMainLauncher launcher) {
        LaunchResult doctor = launcher.launch("doctor", "-i", example("blue-green"), "--simulate");
        assertThat(doctor.exitCode()).as(doctor.getOutput() + doctor.getErrorOutput()).isZero();
        assertThat(doctor.getErrorOutput()).contains("simulated clusters start empty: the inventory was applied to them first "
                + "(54 objects, 0 failed");
        assertThat(doctor.getOutput()).contains("blue -> green", "connection", "summary: 26 ok, 0 FAIL");
    }

    @Test
    @DisplayName("--lock-timeout is an option of the commands that take the run lock only; plan and doctor, which take none, refuse it")
    void lockTimeoutWhereALockIsTaken(QuarkusMainLauncher launcher) {
        for (String command : List.of("apply", "destroy", "serve", "rename")) {
            assertThat(launcher.launch(command, "--help").getOutput()).as(command).contains("--lock-timeout");
        }
        for (String command : List.of("plan", "doctor")) {
            assertThat(launcher.launch(command, "--help").getOutput()).as(command).doesNotContain("--lock-timeout");
            LaunchResult refused = launcher.launch(command, "-i", example("blue-green"), "--lock-timeout", "0");
            assertThat(refused.exitCode()).as(command).isEqualTo(2);
            assertThat(refused.getErrorOutput()).as(command).contains("Unknown options: '--lock-timeout', '0'");
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> yamlDocuments(String text) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(text)) {
            if (doc != null) {
                docs.add((Map<String, Object>) doc);
            }
        }
        return docs;
    }
}
