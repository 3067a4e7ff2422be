package io.meshfed.provisioner.apply;

/**
 * A request failed for good: a permanent answer (400, 403, 404 of a known kind, 422) or a transient
 * one that kept failing past the retry budget. The message is the server's, never a credential.
 */
public class ApiException extends RuntimeException {

    private final int code;

    public ApiException(int code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The HTTP status, or 0 when no answer came (connection refused, reset, timeout). */
    public int code() {
        return code;
    }
}
