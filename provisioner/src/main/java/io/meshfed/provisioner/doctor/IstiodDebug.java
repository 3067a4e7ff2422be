package io.meshfed.provisioner.doctor;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.meshfed.model.doctor.IstiodView;
import io.meshfed.model.resource.Tree;
import io.meshfed.provisioner.apply.ApiException;
import io.meshfed.provisioner.apply.ClusterClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Asks each Running istiod Pod ({@code app=istiod}) of a control-plane namespace which clusters it reads, as
 * {@code istioctl remote-clusters} does: {@code GET /debug/clusterz} on its monitoring port (the container port
 * named {@code http-monitoring}, else 15014), here through the API server's pod proxy ({@code get pods/proxy}
 * in that namespace: deploy/doctor-rbac.yaml grants it) rather than a port-forward. A Pod that cannot be asked
 * says why (403, unreachable); nothing is sent but that GET.
 */
final class IstiodDebug {

    private static final int MONITORING = 15014;

    private IstiodDebug() {
    }

    static List<IstiodView> clusterz(ClusterClient client, String namespace) {
        List<IstiodView> views = new ArrayList<>();
        List<Map<String, Object>> pods;
        try {
            pods = client.listIn(namespace, "v1", "Pod", "app=istiod");
        } catch (ApiException e) {
            return List.of(new IstiodView("(app=istiod)", List.of(), "cannot list Pods in " + namespace + ": " + e.getMessage()));
        }
        for (Map<String, Object> pod : pods) {
            if (!"Running".equals(Tree.get(pod, "status", "phase")) || Tree.get(pod, "metadata", "deletionTimestamp") != null) {
                continue;
            }
            String name = (String) Tree.get(pod, "metadata", "name");
            try {
                String answer = client.podProxyGet(namespace, name, monitoringPort(pod), "/debug/clusterz");
                if (answer != null) {
                    views.add(new IstiodView(name, parse(answer), null));
                }
            } catch (ApiException e) {
                views.add(new IstiodView(name, List.of(), e.getMessage()));
            } catch (RuntimeException e) {
                views.add(new IstiodView(name, List.of(), "its answer is not /debug/clusterz's JSON: " + e.getMessage()));
            }
        }
        return views;
    }

    /** istioctl's FindIstiodMonitoringPort: the discovery container's port named http-monitoring. */
    static int monitoringPort(Map<String, Object> pod) {
        if (Tree.get(pod, "spec", "containers") instanceof List<?> containers) {
            for (Object c : containers) {
                if (c instanceof Map<?, ?> container && container.get("ports") instanceof List<?> ports) {
                    for (Object p : ports) {
                        if (p instanceof Map<?, ?> port && "http-monitoring".equals(port.get("name"))
                                && port.get("containerPort") instanceof Number n) {
                            return n.intValue();
                        }
                    }
                }
            }
        }
        return MONITORING;
    }

    static List<IstiodView.Cluster> parse(String json) {
        List<IstiodView.Cluster> clusters = new ArrayList<>();
        for (Object o : Serialization.unmarshal(json, List.class)) {
            if (o instanceof Map<?, ?> m) {
                clusters.add(new IstiodView.Cluster(Objects.toString(m.get("id"), ""), Objects.toString(m.get("secretName"), ""),
                        Objects.toString(m.get("syncStatus"), "")));
            }
        }
        return clusters;
    }
}
