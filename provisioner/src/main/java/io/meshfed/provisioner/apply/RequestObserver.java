package io.meshfed.provisioner.apply;

/** Told about every API request a run makes (for metrics): cluster, verb, HTTP status (0: no answer), duration. */
@FunctionalInterface
public interface RequestObserver {

    RequestObserver NONE = (cluster, verb, status, nanos) -> {
    };

    void observed(String cluster, String verb, int status, long nanos);
}
