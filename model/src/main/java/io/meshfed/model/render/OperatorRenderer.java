package io.meshfed.model.render;

import io.meshfed.model.inventory.ClusterSpec;
import io.meshfed.model.inventory.OperatorSpec;
import io.meshfed.model.readiness.InstallPlanApproval;
import io.meshfed.model.resource.ObjectRef;
import io.meshfed.model.resource.Readiness;
import io.meshfed.model.resource.Tree;

import java.util.List;
import java.util.Map;

/**
 * OLM Subscriptions for the operators the seed installs in order (Elasticsearch, Jaeger, Kiali,
 * Service Mesh) and MetalLB, with a Namespace and an OperatorGroup where the target namespace is not
 * OpenShift's {@code openshift-operators} (which has its global OperatorGroup already).
 */
final class OperatorRenderer {

    static final String OLM_SUBSCRIPTION = "operators.coreos.com/v1alpha1";
    static final String OLM_GROUP = "operators.coreos.com/v1";

    private OperatorRenderer() {
    }

    /** @param without26 the migration removed OSSM 2.6: no Subscription for its operator */
    static void render(ClusterSpec cluster, boolean without26, Rendering out) {
        for (OperatorSpec operator : cluster.operators()) {
            if (without26 && operator.role() == io.meshfed.model.inventory.OperatorRole.SERVICEMESH) {
                continue;
            }
            if (operator.needsOwnOperatorGroup()) {
                out.namespace(cluster.name(), operator.namespace());
                ObjectRef group = new ObjectRef(cluster.name(), OLM_GROUP, "OperatorGroup", operator.namespace(),
                        operator.namespace());
                if (!out.contains(group)) {
                    out.managed(cluster.name(), OLM_GROUP, "OperatorGroup", operator.namespace(), operator.namespace(),
                            Map.of("spec", Map.of()), Readiness.EXISTS, "operators", Tags.OPERATOR_GROUP);
                }
            }
            String approval = InstallPlanApproval.tag(operator.approve());
            List<String> tags = approval == null ? List.of(Tags.OPERATOR, Tags.operator(operator.role().key()))
                    : List.of(Tags.OPERATOR, Tags.operator(operator.role().key()), approval);
            out.managed(cluster.name(), OLM_SUBSCRIPTION, "Subscription", operator.namespace(), operator.packageName(),
                    Tree.map("spec", Tree.map(
                            "channel", operator.channel(),
                            "installPlanApproval", operator.installPlanApproval(),
                            "name", operator.packageName(),
                            "source", operator.source(),
                            "sourceNamespace", operator.sourceNamespace(),
                            "startingCSV", operator.startingCsv())),
                    Readiness.CSV_SUCCEEDED, "operators", tags.toArray(String[]::new));
        }
    }

}
