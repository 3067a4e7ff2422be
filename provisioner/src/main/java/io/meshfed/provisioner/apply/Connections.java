package io.meshfed.provisioner.apply;

import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.utils.Utils;
import io.meshfed.model.inventory.Connection;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.model.text.Suggestions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A client per inventory host: from its kubeconfig file and context, from its context in the default
 * kubeconfig ({@code KUBECONFIG}, as kubectl reads it, or ~/.kube/config), or from the pod's service
 * account; or, with {@code --simulate}, the simulated cluster's. The fabric8 client's own retries are
 * turned off: {@link RetryPolicy} decides, and counts.
 */
public final class Connections {

    private Connections() {
    }

    /** A cluster that could not be reached: which, through what, and why (never a credential). */
    public record Unreachable(String cluster, String via, String reason) {
        @Override
        public String toString() {
            return "cluster " + cluster + " (" + via + "): " + reason;
        }
    }

    /**
     * @param simulated for --simulate: the client configuration of each simulated cluster, else null
     */
    public static Map<String, ClusterClient> open(Inventory inventory, int forks, RetryPolicy retry,
                                                  Function<String, Config> simulated) {
        return open(inventory, forks, Integer.MAX_VALUE, retry, simulated);
    }

    /**
     * @param forks       requests in flight at once per cluster
     * @param maxRequests requests in flight at once over all clusters
     */
    public static Map<String, ClusterClient> open(Inventory inventory, int forks, int maxRequests, RetryPolicy retry,
                                                  Function<String, Config> simulated) {
        return open(inventory, forks, maxRequests, retry, ClientSettings.NONE, simulated);
    }

    /**
     * @param settings what every cluster's client takes whatever its own configuration says (proxies, timeouts)
     */
    public static Map<String, ClusterClient> open(Inventory inventory, int forks, int maxRequests, RetryPolicy retry,
                                                  ClientSettings settings, Function<String, Config> simulated) {
        return open(of(inventory), forks, maxRequests, retry, settings, simulated);
    }

    /** Each host's connection, by cluster name, in the inventory's order. */
    public static Map<String, Connection> of(Inventory inventory) {
        Map<String, Connection> clusters = new LinkedHashMap<>();
        inventory.clusters().forEach(c -> clusters.put(c.name(), c.connection()));
        return clusters;
    }

    /** A client per cluster, named as given (inventory hosts, or kubeconfig contexts for a command without inventory). */
    public static Map<String, ClusterClient> open(Map<String, Connection> clusters, int forks, int maxRequests,
                                                  RetryPolicy retry, ClientSettings settings, Function<String, Config> simulated) {
        java.util.concurrent.Semaphore overall = new java.util.concurrent.Semaphore(maxRequests, true);
        // made concurrently: a client's TLS set-up (its key store, the CA) takes a good part of start-up
        Map<String, CompletableFuture<ClusterClient>> making = new LinkedHashMap<>();
        clusters.forEach((name, connection) -> making.put(name, CompletableFuture.supplyAsync(() -> {
            Config config;
            String problem = null;
            try {
                config = simulated != null ? simulated.apply(name) : config(connection);
            } catch (IllegalArgumentException e) {
                config = Config.empty();   // never used: the start-of-run check reports the problem
                problem = e.getMessage();
            }
            Config tuned = settings.applyTo(new ConfigBuilder(config)).withRequestRetryBackoffLimit(0)
                    .withUserAgent(ClusterClient.USER_AGENT).build();
            ClusterClient client = new ClusterClient(name, settings.clientBuilder().withConfig(tuned).build(),
                    forks, overall, retry);
            return problem == null ? client : client.misconfigured(problem);
        })));
        Map<String, ClusterClient> clients = new LinkedHashMap<>();
        making.forEach((name, client) -> {
            try {
                clients.put(name, client.join());
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        });
        return clients;
    }

    /** Checks every cluster at once; the ones that do not answer. */
    public static List<Unreachable> check(Inventory inventory, Map<String, ClusterClient> clients, boolean simulated) {
        return check(of(inventory), clients, simulated);
    }

    public static List<Unreachable> check(Map<String, Connection> clusters, Map<String, ClusterClient> clients,
                                          boolean simulated) {
        List<CompletableFuture<Unreachable>> checks = new ArrayList<>();
        clusters.forEach((name, connection) -> checks.add(CompletableFuture.supplyAsync(() -> {
            try {
                clients.get(name).ping();
                return null;
            } catch (RuntimeException e) {
                return new Unreachable(name, simulated ? "simulated" : via(connection), e.getMessage());
            }
        })));
        return checks.stream().map(CompletableFuture::join).filter(u -> u != null).toList();
    }

    static String via(Connection c) {
        if (c.inCluster()) {
            return "in-cluster service account";
        }
        return "context " + (c.context() == null ? "(current)" : c.context())
                + (c.kubeconfig() == null ? "" : " of " + c.kubeconfig());
    }

    private static final String SERVICE_ACCOUNT = "/var/run/secrets/kubernetes.io/serviceaccount/";

    /**
     * The pod's own cluster, from its service account only (never from a kubeconfig, which may name
     * another cluster): the API server from KUBERNETES_SERVICE_HOST/PORT over HTTPS, the token file
     * read again for every request (kubelet rotates bound tokens), the service account's CA. The
     * token file and certificate trust can be overridden as fabric8 allows
     * (KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN, KUBERNETES_TRUST_CERTIFICATES).
     */
    static Config inCluster() {
        String host = Utils.getSystemPropertyOrEnvVar("KUBERNETES_SERVICE_HOST");
        String port = Utils.getSystemPropertyOrEnvVar("KUBERNETES_SERVICE_PORT");
        if (host == null || port == null) {
            throw new IllegalArgumentException("not running in a pod: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT "
                    + "are not set");
        }
        Path token = Path.of(Utils.getSystemPropertyOrEnvVar("kubernetes.auth.serviceAccount.token", SERVICE_ACCOUNT + "token"));
        if (!Files.isReadable(token)) {
            throw new IllegalArgumentException("no service account token at " + token);
        }
        ConfigBuilder config = new ConfigBuilder(Config.empty())
                .withMasterUrl("https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port)
                .withOauthTokenProvider(() -> {
                    try {
                        return Files.readString(token).strip();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException("cannot read the service account token " + token, e);
                    }
                })
                .withTrustCerts(Utils.getSystemPropertyOrEnvVar("kubernetes.trust.certificates", Boolean.FALSE));
        if (Files.isReadable(Path.of(SERVICE_ACCOUNT + "ca.crt"))) {
            config.withCaCertFile(SERVICE_ACCOUNT + "ca.crt");
        }
        return config.build();
    }

    /**
     * The client configuration of a host; an IllegalArgumentException says why there is none (a
     * kubeconfig that cannot be read, a context it does not have), naming files but no credentials.
     */
    static Config config(Connection c) {
        if (c.inCluster()) {
            return inCluster();
        }
        Config config;
        String where;
        if (c.kubeconfig() != null) {
            Path path = Path.of(c.kubeconfig().replaceFirst("^~", System.getProperty("user.home")));
            where = "kubeconfig " + path;
            try {
                config = Config.fromKubeconfig(c.context(), Files.readString(path), path.toString());
            } catch (java.nio.file.NoSuchFileException e) {
                throw new IllegalArgumentException("kubeconfig " + path + " does not exist", e);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read kubeconfig " + path + ": " + e.getMessage(), e);
            }
        } else {
            String files = System.getenv("KUBECONFIG");
            where = files == null || files.isBlank() ? "~/.kube/config" : "the kubeconfig files of KUBECONFIG (" + files + ")";
            List<String> missing = files == null || files.isBlank()
                    ? (Files.exists(Path.of(System.getProperty("user.home"), ".kube", "config")) ? List.of() : List.of("~/.kube/config"))
                    : java.util.Arrays.stream(files.split(java.io.File.pathSeparator)).filter(f -> !f.isBlank())
                            .filter(f -> !Files.exists(Path.of(f))).toList();
            if (!missing.isEmpty() && (files == null || files.isBlank()
                    || missing.size() == files.split(java.io.File.pathSeparator).length)) {
                // no kubeconfig at all: say so, rather than "context X is not in ..."
                throw new IllegalArgumentException("no kubeconfig: " + String.join(", ", missing) + " does not exist"
                        + (files == null || files.isBlank() ? " (set KUBECONFIG, or kubeconfig in the inventory)" : " (KUBECONFIG)"));
            }
            config = Config.autoConfigure(c.context());
        }
        // fabric8 falls back to the current context when the named one is missing: that would be another cluster
        if (c.context() != null && (config.getCurrentContext() == null
                || !c.context().equals(config.getCurrentContext().getName()))) {
            List<String> contexts = config.getContexts() == null ? List.of()
                    : config.getContexts().stream().map(NamedContext::getName).toList();
            throw new IllegalArgumentException("context " + c.context() + " is not in " + where
                    + Suggestions.didYouMean(c.context(), contexts));
        }
        return config;
    }
}
