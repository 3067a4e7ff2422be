package io.meshfed.model.graph;

import java.util.List;

/**
 * The ordering rules of the seed's procedure, as data. Every rule relates objects of one cluster;
 * the edges between clusters come from the values one cluster reads from another ({@code LiveValue}).
 */
public final class DefaultOrderingRules {

    /** One rule a line: {@code name: <dependent terms> after <dependency terms>}. */
    static final String TEXT = """
            namespace-first: namespaced after kind:Namespace name:{namespace}
            operator-group-first: kind:Subscription after kind:OperatorGroup namespace:{namespace}
            operator-chain-jaeger: operator:jaeger after operator:elasticsearch
            operator-chain-kiali: operator:kiali after operator:jaeger
            operator-chain-servicemesh: operator:servicemesh after operator:kiali
            operator-serves-maistra: group:maistra.io after operator:servicemesh
            operator-serves-federation: group:federation.maistra.io after operator:servicemesh
            operator-serves-istio: group:networking.istio.io after operator:servicemesh
            operator-serves-metallb: group:metallb.io after operator:metallb
            metallb-operand-first: kind:IPAddressPool after kind:MetalLB
            pool-before-advertisement: kind:L2Advertisement after kind:IPAddressPool name:{name}
            address-needs-metallb: role:lb-address after role:lb-config
            address-needs-control-plane: role:lb-address after role:control-plane kind:ServiceMeshControlPlane
            ca-needs-control-plane: role:ca-root after role:control-plane kind:ServiceMeshControlPlane
            peer-ca-needs-control-plane: role:peer-ca after role:control-plane kind:ServiceMeshControlPlane
            peer-needs-control-plane: role:peer after role:control-plane kind:ServiceMeshControlPlane
            peer-needs-its-ca: role:peer after role:peer-ca name:{name}-ca-root-cert
            member-roll-needs-control-plane: role:member-roll after role:control-plane kind:ServiceMeshControlPlane
            apps-join-the-mesh-first: role:app namespaced after role:member-roll
            service-set-needs-peer: role:service-set after role:peer name:{name}
            exports-need-services: kind:ExportedServiceSet after role:app kind:Service
            route-needs-imports: role:route after kind:ImportedServiceSet
            route-needs-apps: role:route after role:app namespace:{namespace}
            operator-serves-sail: group:sailoperator.io after operator:servicemesh
            istio-needs-cacerts: kind:Istio after role:cacerts
            istio-needs-cni: kind:Istio after kind:IstioCNI
            mesh-workloads-need-istio: role:mesh-workload after kind:Istio
            apps-need-istio: role:app namespaced after kind:Istio
            discovery-needs-control-plane: role:discovery after role:control-plane kind:ServiceMeshControlPlane
            operator-serves-sail-beside-2: group:sailoperator.io after operator:servicemesh3
            ossm3-after-cut-over-control-plane: role:ossm3 after role:control-plane kind:ServiceMeshControlPlane
            members-move-to-a-ready-istio: role:ossm3-member after kind:Istio
            eastwest-address-needs-its-gateway: role:eastwest-address after role:eastwest-gateway namespace:{namespace}
            """;

    private DefaultOrderingRules() {
    }

    public static List<OrderingRule> rules() {
        return parse(TEXT);
    }

    public static List<OrderingRule> parse(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .map(OrderingRule::parse).toList();
    }
}
