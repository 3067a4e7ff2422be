package io.meshfed.model.readiness;

/** Whether a readiness condition is met, and in words why not (or what was seen). */
public record ConditionResult(boolean met, String reason) {

    public static ConditionResult met(String reason) {
        return new ConditionResult(true, reason);
    }

    public static ConditionResult notMet(String reason) {
        return new ConditionResult(false, reason);
    }
}
