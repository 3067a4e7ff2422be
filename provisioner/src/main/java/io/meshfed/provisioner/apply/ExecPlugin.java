package io.meshfed.provisioner.apply;

import io.fabric8.kubernetes.api.model.ExecConfig;
import io.fabric8.kubernetes.client.OAuthTokenProvider;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A kubeconfig user's exec credential plugin ({@code oc}, {@code kubelogin}, {@code aws eks get-token},
 * {@code gke-gcloud-auth-plugin}...), run as client-go runs it: the command found on PATH, or relative
 * to the kubeconfig's folder when it names a path; {@code KUBERNETES_EXEC_INFO} with the ExecCredential
 * request (and the cluster where {@code provideClusterInfo} asks for it); standard input given only in
 * interactive mode ({@code interactiveMode}: Never, IfAvailable — the default of v1beta1 — or Always, which
 * fails without a terminal, as kubectl does in a pipeline); standard error passed through; the answer's
 * token kept until its {@code expirationTimestamp} and the plugin run again then (without one, until the
 * server refuses it: see {@link #refused}). A token is never printed.
 */
final class ExecPlugin implements OAuthTokenProvider {

    static final List<String> VERSIONS = List.of("client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1");
    private static final long TIMEOUT_SECONDS = 120;

    /** What the plugin answered: a token, or a client certificate and key (PEM). */
    record Credential(String token, String clientCertificateData, String clientKeyData, Instant expires) {
        boolean expired() {
            return expires != null && !Instant.now().isBefore(expires);
        }
    }

    private final ExecConfig exec;
    private final Path kubeconfigFolder;
    private final Map<String, Object> cluster;
    private final boolean terminal;
    private Credential current;

    /**
     * @param cluster  the cluster as {@code KUBERNETES_EXEC_INFO}'s spec.cluster gives it (server, CA data...)
     * @param terminal whether this process has a terminal to lend the plugin (interactive mode)
     */
    ExecPlugin(ExecConfig exec, Path kubeconfigFolder, Map<String, Object> cluster, boolean terminal) {
        this.exec = exec;
        this.kubeconfigFolder = kubeconfigFolder;
        this.cluster = cluster;
        this.terminal = terminal;
        if (exec.getCommand() == null || exec.getCommand().isBlank()) {
            throw new IllegalArgumentException("exec plugin: no command");
        }
        if (!VERSIONS.contains(exec.getApiVersion())) {
            throw new IllegalArgumentException("exec plugin " + exec.getCommand() + ": apiVersion " + exec.getApiVersion()
                    + " is not supported (one of " + String.join(", ", VERSIONS) + ")");
        }
        if (exec.getApiVersion().endsWith("/v1") && exec.getInteractiveMode() == null) {
            throw new IllegalArgumentException("exec plugin " + exec.getCommand() + ": interactiveMode must be set for "
                    + exec.getApiVersion() + " (Never, IfAvailable or Always)");
        }
    }

    /** The current credential: the plugin's last answer while it has not expired, else a new one. */
    synchronized Credential credential() {
        if (current == null || current.expired()) {
            current = run();
        }
        return current;
    }

    /**
     * The server refused {@code token} (401): if it is still the current credential, the plugin runs again
     * for the next request, as client-go does (a token revoked, or expired before its stated time). A token
     * already replaced is left: another request found it refused first.
     */
    synchronized void refused(String token) {
        if (current != null && token != null && token.equals(current.token())) {
            current = null;
        }
    }

    @Override
    public String getToken() {
        Credential c = credential();
        return c.token();
    }

    private boolean interactive() {
        String mode = exec.getInteractiveMode() == null ? "IfAvailable" : exec.getInteractiveMode();
        return switch (mode) {
            case "Never" -> false;
            case "IfAvailable" -> terminal;
            case "Always" -> {
                if (!terminal) {
                    throw new IllegalArgumentException("exec plugin " + exec.getCommand() + " cannot run: it needs a "
                            + "terminal (interactiveMode: Always) and standard input is not one");
                }
                yield true;
            }
            default -> throw new IllegalArgumentException("exec plugin " + exec.getCommand() + ": interactiveMode "
                    + mode + " is not one of Never, IfAvailable, Always");
        };
    }

    private Credential run() {
        boolean interactive = interactive();
        List<String> command = new ArrayList<>();
        command.add(executable());
        if (exec.getArgs() != null) {
            command.addAll(exec.getArgs());
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("interactive", interactive);
        if (Boolean.TRUE.equals(exec.getProvideClusterInfo())) {
            spec.put("cluster", cluster);
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .redirectInput(interactive ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.from(nullDevice()));
        if (exec.getEnv() != null) {
            exec.getEnv().forEach(e -> builder.environment().put(e.getName(), e.getValue()));
        }
        builder.environment().put("KUBERNETES_EXEC_INFO", Serialization.asJson(Map.of("apiVersion", exec.getApiVersion(),
                "kind", "ExecCredential", "spec", spec)));
        String output;
        try {
            Process process = builder.start();
            byte[] out;
            try (InputStream in = process.getInputStream()) {
                out = in.readAllBytes();
            }
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalArgumentException("exec plugin " + exec.getCommand() + " did not end within "
                        + TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalArgumentException("exec plugin " + exec.getCommand() + " failed with exit code "
                        + process.exitValue());
            }
            output = new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("exec plugin " + exec.getCommand() + " could not be run: " + e.getMessage()
                    + hint(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalArgumentException("exec plugin " + exec.getCommand() + ": interrupted", e);
        }
        return parse(output);
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    /** A command naming a path is taken relative to the kubeconfig's folder; a bare name is looked up on PATH. */
    private String executable() {
        String command = exec.getCommand();
        if (command.contains("/") && !Path.of(command).isAbsolute() && kubeconfigFolder != null) {
            return kubeconfigFolder.resolve(command).normalize().toString();
        }
        if (!command.contains("/")) {
            String path = System.getenv("PATH");
            boolean found = path != null && java.util.Arrays.stream(path.split(java.io.File.pathSeparator))
                    .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, command)));
            if (!found) {
                throw new IllegalArgumentException("exec plugin: executable " + command + " not found on PATH" + hint());
            }
        }
        return command;
    }

    private String hint() {
        return exec.getInstallHint() == null || exec.getInstallHint().isBlank() ? ""
                : " (" + exec.getInstallHint().strip().replace('\n', ' ') + ")";
    }

    @SuppressWarnings("unchecked")
    private Credential parse(String output) {
        Map<String, Object> answer;
        try {
            answer = Serialization.unmarshal(output, Map.class);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("exec plugin " + exec.getCommand() + " did not answer with an ExecCredential "
                    + "(its output is not JSON)");
        }
        if (answer == null || !"ExecCredential".equals(answer.get("kind")) || !exec.getApiVersion().equals(answer.get("apiVersion"))) {
            throw new IllegalArgumentException("exec plugin " + exec.getCommand() + " answered "
                    + (answer == null ? "nothing" : "kind " + answer.get("kind") + " " + answer.get("apiVersion"))
                    + ", not an ExecCredential of " + exec.getApiVersion());
        }
        Map<String, Object> status = answer.get("status") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        String token = (String) status.get("token");
        String cert = (String) status.get("clientCertificateData");
        String key = (String) status.get("clientKeyData");
        if ((token == null || token.isEmpty()) && (cert == null || key == null)) {
            throw new IllegalArgumentException("exec plugin " + exec.getCommand() + " answered neither a token nor a "
                    + "client certificate and key");
        }
        Instant expires = null;
        if (status.get("expirationTimestamp") instanceof String t) {
            try {
                expires = Instant.parse(t);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("exec plugin " + exec.getCommand() + ": expirationTimestamp " + t
                        + " is not an RFC 3339 time");
            }
        }
        return new Credential(token == null || token.isEmpty() ? null : token, cert, key, expires);
    }
}
