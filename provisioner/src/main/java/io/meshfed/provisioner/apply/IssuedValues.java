package io.meshfed.provisioner.apply;

import io.meshfed.model.resource.IssuedCa;
import io.meshfed.model.resource.Tree;

import java.util.Map;
import java.util.function.BiFunction;

/** Fills an object's {@link IssuedCa} leaves (a cacerts Secret's values) from its live copy or a new issue. */
final class IssuedValues {

    private IssuedValues() {
    }

    /**
     * @param data by the cluster an intermediate is for and the live object: the values by key, or null where
     *             none are known (a plan that would issue)
     * @return {@code desired} with each IssuedCa leaf replaced by its value, or by its description where unknown
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> fill(Map<String, Object> desired, BiFunction<String, Map<String, Object>, Map<String, String>> data,
                                    Map<String, Object> live) {
        IssuedCa[] first = {null};
        Tree.forEachLeaf(desired, v -> {
            if (first[0] == null && v instanceof IssuedCa ca) {
                first[0] = ca;
            }
        });
        if (first[0] == null) {
            return desired;
        }
        Map<String, String> values = data.apply(first[0].cluster(), live);
        return (Map<String, Object>) Tree.mapLeaves(desired, v -> v instanceof IssuedCa ca
                ? values == null || values.get(ca.key()) == null ? ca.toString() : values.get(ca.key()) : v);
    }
}
