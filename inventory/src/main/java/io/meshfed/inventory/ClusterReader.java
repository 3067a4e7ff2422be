package io.meshfed.inventory;

import io.meshfed.inventory.yaml.Located;
import io.meshfed.model.inventory.ClusterSpec;
import io.meshfed.model.inventory.Connection;
import io.meshfed.model.inventory.IstioSpec;
import io.meshfed.model.inventory.LoadBalancerSpec;
import io.meshfed.model.inventory.Location;
import io.meshfed.model.inventory.MeshSpec;
import io.meshfed.model.inventory.OperatorRole;
import io.meshfed.model.inventory.OperatorSpec;
import io.meshfed.model.text.Quoted;
import io.meshfed.model.text.Suggestions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static io.meshfed.inventory.HostKeys.*;

/**
 * Reads one host's merged variables into a {@link ClusterSpec}: checks meshfed's keys and types and
 * fills in the seed's defaults (mesh {@code <host>-mesh} in {@code <mesh>-system}, trust domain
 * {@code <mesh>.local}, MetalLB, the four operators from redhat-operators).
 */
final class ClusterReader {

    static final String DEFAULT_VERSION = "v2.3";
    static final String GENERATION_2 = "ossm2";
    static final String GENERATION_3 = "ossm3";
    /** OpenShift Service Mesh 3's operator (the Sail operator), in redhat-operators. */
    static final String OSSM3_PACKAGE = "servicemeshoperator3";
    private static final Pattern VERSION = Pattern.compile("v2\\.(\\d+)");
    private static final Pattern TRUST_DOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
    private static final List<String> OPERATOR_KEYS = List.of("package", "channel", "source", "source_namespace",
            "namespace", "approval", "starting_csv", "approve", "enabled");
    /** Leaves room for the gateway prefix in a 63-character Service name. */
    private static final int MAX_MESH_NAME = 63 - "ingress-".length();

    private ClusterReader() {
    }

    static ClusterSpec read(String host, Map<String, Located> vars, Location hostLocation, ManifestReader manifests,
                            Problems problems) {
        HostKeys.check(host, vars, problems);
        Fields f = new Fields("host '" + host + "'", vars, hostLocation, problems);

        Connection connection = new Connection(f.string(KUBE_CONTEXT, null), f.string(KUBECONFIG, null),
                f.bool(KUBE_IN_CLUSTER, false));
        if (connection.inCluster() && (connection.context() != null || connection.kubeconfig() != null)) {
            problems.add(f.locationOf(KUBE_IN_CLUSTER), f.owner() + ": kube_in_cluster cannot go with kube_context or kubeconfig");
        }

        String generation = f.string(MESH_GENERATION, GENERATION_2);
        if (generation != null && !GENERATION_2.equals(generation) && !GENERATION_3.equals(generation)) {
            problems.add(f.locationOf(MESH_GENERATION), f.owner() + ": mesh_generation must be ossm2 (OpenShift Service "
                    + "Mesh 2: federation) or ossm3 (OpenShift Service Mesh 3: one multi-cluster mesh), not "
                    + Quoted.of(generation));
        }
        boolean ossm3 = GENERATION_3.equals(generation);
        if (ossm3) {
            return multiCluster(host, f, connection, manifests, problems);
        }
        String meshName = f.name(MESH_NAME, host + "-mesh", false);
        if (!f.has(MESH_NAME) && !Fields.isDnsLabel(meshName)) {
            problems.add(hostLocation, f.owner() + ": the default mesh name '" + meshName + "' is not a Kubernetes name; "
                    + "set mesh_name");
        }
        if (meshName != null && Fields.isDnsLabel(meshName) && meshName.length() > MAX_MESH_NAME) {
            problems.add(f.locationOf(MESH_NAME), f.owner() + ": mesh_name " + Quoted.of(meshName) + " is longer than "
                    + MAX_MESH_NAME + " characters, so its gateway Services' names would pass 63");
        }
        String namespace = f.name(MESH_NAMESPACE, meshName + "-system", false);
        String trustDomain = f.string(MESH_TRUST_DOMAIN, meshName + ".local");
        if (f.has(MESH_TRUST_DOMAIN) && trustDomain != null && !TRUST_DOMAIN.matcher(trustDomain).matches()) {
            problems.add(f.locationOf(MESH_TRUST_DOMAIN), f.owner() + ": mesh_trust_domain '" + trustDomain
                    + "' is not a domain name (lower-case letters, digits, '-' and '.')");
        }
        String version = f.string(MESH_VERSION, DEFAULT_VERSION);
        if (version != null) {
            var m = VERSION.matcher(version);
            if (!m.matches()) {
                problems.add(f.locationOf(MESH_VERSION), f.owner() + ": mesh_version must look like v2.3, not '" + version + "'");
            } else if (Integer.parseInt(m.group(1)) < 1) {
                problems.add(f.locationOf(MESH_VERSION), f.owner() + ": mesh_version " + version
                        + " has no federation; it needs v2.1 or later");
            }
        }
        MeshSpec mesh = new MeshSpec(meshName, namespace, trustDomain, version, f.plainMap(MESH_SMCP_OVERRIDES));
        return cluster(host, f, connection, mesh, null, manifests, problems);
    }

    /** A host of the inventory's OSSM 3 multi-cluster mesh: its control plane in istio-system by default. */
    private static ClusterSpec multiCluster(String host, Fields f, Connection connection, ManifestReader manifests,
                                            Problems problems) {
        IstioSpec istio = IstioReader.read(f, host);
        String namespace = f.name(MESH_NAMESPACE, "istio-system", false);
        MeshSpec mesh = new MeshSpec(istio.clusterName(), namespace, "cluster.local", istio.version(), Map.of());
        return cluster(host, f, connection, mesh, istio, manifests, problems);
    }

    /** What both generations read alike: members, load balancer, operators, manifests. */
    private static ClusterSpec cluster(String host, Fields f, Connection connection, MeshSpec mesh, IstioSpec istio,
                                       ManifestReader manifests, Problems problems) {
        List<String> members = f.strings(MESH_MEMBERS, List.of());
        for (String member : members) {
            if (!Fields.isDnsLabel(member)) {
                problems.add(f.locationOf(MESH_MEMBERS), f.owner() + ": member namespace '" + member
                        + "' is not a Kubernetes name");
            }
        }
        LoadBalancerSpec lb = loadBalancer(f, problems);
        List<OperatorSpec> operators = operators(f, lb, istio != null, problems);
        List<String> manifestPaths = f.strings(MESH_MANIFESTS, List.of());
        String manifestNamespace = f.string(MESH_MANIFESTS_NAMESPACE, "default");
        if (!Fields.isDnsLabel(manifestNamespace)) {
            problems.add(f.locationOf(MESH_MANIFESTS_NAMESPACE), f.owner() + ": " + MESH_MANIFESTS_NAMESPACE + " '"
                    + manifestNamespace + "' is not a Kubernetes name");
        }
        return new ClusterSpec(host, connection, mesh, lb, operators, members,
                manifests.read(manifestPaths, manifestNamespace, f.locationOf(MESH_MANIFESTS), problems), istio);
    }

    private static LoadBalancerSpec loadBalancer(Fields f, Problems problems) {
        String type = f.string(LOAD_BALANCER, "metallb");
        LoadBalancerSpec.Type lbType = LoadBalancerSpec.Type.METALLB;
        if ("cloud".equals(type)) {
            lbType = LoadBalancerSpec.Type.CLOUD;
        } else if (!"metallb".equals(type)) {
            problems.add(f.locationOf(LOAD_BALANCER), f.owner() + ": load_balancer must be 'metallb' or 'cloud', not '"
                    + type + "'");
        }
        List<String> addresses = f.strings(METALLB_ADDRESSES, List.of());
        if (lbType == LoadBalancerSpec.Type.METALLB && addresses.isEmpty()) {
            problems.add(f.locationOf(METALLB_ADDRESSES), f.owner() + ": metallb_addresses is required with "
                    + "load_balancer: metallb (the default); set the address range, or load_balancer: cloud");
        }
        for (String address : addresses) {
            String problem = Addresses.problem(address);
            if (problem != null) {
                problems.add(f.locationOf(METALLB_ADDRESSES), f.owner() + ": metallb_addresses entry '" + address + "' " + problem);
            }
        }
        return new LoadBalancerSpec(lbType, addresses, f.name(METALLB_NAMESPACE, "metallb-system", false),
                f.name(METALLB_POOL_NAME, "l2-pool", false), f.stringMap(LOAD_BALANCER_ANNOTATIONS));
    }

    /**
     * @param ossm3 OpenShift Service Mesh 3: its own operator package, and none of the Elasticsearch, Jaeger
     *              and Kiali operators 2.x needed installed first (enabled: true still installs them)
     */
    private static List<OperatorSpec> operators(Fields f, LoadBalancerSpec lb, boolean ossm3, Problems problems) {
        Fields overrides = f.nested(OPERATORS, f.owner() + " operators");
        List<String> roles = Arrays.stream(OperatorRole.values()).map(OperatorRole::key).toList();
        if (overrides != null) {
            overrides.onlyKeys(roles);
        }
        String source = f.string(OPERATOR_SOURCE, "redhat-operators");
        String sourceNamespace = f.string(OPERATOR_SOURCE_NAMESPACE, "openshift-marketplace");
        List<OperatorSpec> operators = new ArrayList<>();
        for (OperatorRole role : OperatorRole.values()) {
            if (role == OperatorRole.METALLB && lb.type() != LoadBalancerSpec.Type.METALLB) {
                continue;
            }
            Fields o = overrides == null ? null : overrides.nested(role.key(), f.owner() + " operators." + role.key());
            if (o == null) {
                o = new Fields(f.owner() + " operators." + role.key(), Map.of(), f.location(), problems);
            }
            o.onlyKeys(OPERATOR_KEYS);
            boolean neededBy2Only = role == OperatorRole.ELASTICSEARCH || role == OperatorRole.JAEGER
                    || role == OperatorRole.KIALI;
            if (!o.bool("enabled", !(ossm3 && neededBy2Only))) {
                continue;
            }
            String defaultNamespace = role == OperatorRole.METALLB ? lb.namespace() : role.defaultNamespace();
            if (role == OperatorRole.METALLB && o.has("namespace")) {
                problems.add(o.locationOf("namespace"), o.owner() + ": MetalLB runs where its pools are; set "
                        + "metallb_namespace instead of operators.metallb.namespace");
            }
            String approval = o.string("approval", "Automatic");
            if (!"Automatic".equals(approval) && !"Manual".equals(approval)) {
                problems.add(o.locationOf("approval"), o.owner() + ": approval must be Automatic or Manual, not '" + approval + "'");
            }
            String startingCsv = o.string("starting_csv", null);
            String defaultPackage = ossm3 && role == OperatorRole.SERVICEMESH ? OSSM3_PACKAGE : role.defaultPackage();
            operators.add(new OperatorSpec(role, o.string("package", defaultPackage),
                    o.string("channel", role.defaultChannel()), o.string("source", source),
                    o.string("source_namespace", sourceNamespace), o.name("namespace", defaultNamespace, false), approval,
                    startingCsv, approve(o, approval, startingCsv, problems)));
        }
        return operators;
    }

    /** Which InstallPlans meshfed approves: only meaningful under Manual approval, and starting_csv needs one. */
    private static OperatorSpec.Approve approve(Fields o, String approval, String startingCsv, Problems problems) {
        String key = o.string("approve", OperatorSpec.Approve.NONE.key());
        List<String> keys = Arrays.stream(OperatorSpec.Approve.values()).map(OperatorSpec.Approve::key).toList();
        OperatorSpec.Approve approve = Arrays.stream(OperatorSpec.Approve.values()).filter(a -> a.key().equals(key))
                .findFirst().orElse(null);
        if (approve == null) {
            problems.add(o.locationOf("approve"), o.owner() + ": approve must be one of " + String.join(", ", keys) + ", not '"
                    + key + "'" + Suggestions.didYouMean(key, keys));
            return OperatorSpec.Approve.NONE;
        }
        if (approve != OperatorSpec.Approve.NONE && !"Manual".equals(approval)) {
            problems.add(o.locationOf("approve"), o.owner() + ": approve: " + key + " needs approval: Manual (under "
                    + "Automatic, OLM approves every InstallPlan itself)");
        }
        if (approve == OperatorSpec.Approve.STARTING_CSV && startingCsv == null) {
            problems.add(o.locationOf("approve"), o.owner() + ": approve: starting_csv needs starting_csv (the "
                    + "ClusterServiceVersion to install, like servicemeshoperator.v2.5.2)");
        }
        return approve;
    }
}
