package io.meshfed.provisioner.apply;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.utils.Utils;
import io.meshfed.model.inventory.Connection;
import io.meshfed.model.inventory.Inventory;

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
            Kubeconfig.Loaded loaded;
            String problem = null;
            try {
                loaded = simulated != null ? impersonating(simulated.apply(name), settings.impersonation())
                        : config(connection, settings.impersonation());
            } catch (IllegalArgumentException e) {
                // never used: the start-of-run check reports the problem
                loaded = new Kubeconfig.Loaded(Config.empty(), Impersonation.NONE);
                problem = e.getMessage();
            }
            Config tuned = settings.applyTo(new ConfigBuilder(loaded.config())).withRequestRetryBackoffLimit(0)
                    .withUserAgent(ClusterClient.USER_AGENT).build();
            Kubeconfig.Loaded completing = loaded;
            ClusterClient client = new ClusterClient(name, settings.clientBuilder()
                    .withHttpClientBuilderConsumer(http -> completing.completeClient(http, tuned))
                    .withConfig(tuned).build(), forks, overall, retry);
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

    /** A configuration that has no impersonation of its own (a pod's, a simulated cluster's), with the command line's. */
    private static Kubeconfig.Loaded impersonating(Config config, Impersonation impersonate) {
        Impersonation effective = Impersonation.NONE.overriddenBy(impersonate);
        effective.applyTo(config);
        return new Kubeconfig.Loaded(config, effective);
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
     * The client configuration of a host, as kubectl makes it ({@link Kubeconfig}); an
     * IllegalArgumentException says why there is none (a kubeconfig that cannot be read, a context it
     * does not have, an exec plugin that fails), naming files but no credentials.
     */
    static Kubeconfig.Loaded config(Connection c, Impersonation impersonate) {
        if (c.inCluster()) {
            return impersonating(inCluster(), impersonate);
        }
        if (c.kubeconfig() != null) {
            Path path = Path.of(c.kubeconfig().replaceFirst("^~", System.getProperty("user.home")));
            return Kubeconfig.load(List.of(path), c.context(), "kubeconfig " + path, impersonate);
        }
        String files = System.getenv("KUBECONFIG");
        if (files == null || files.isBlank()) {
            Path home = Path.of(System.getProperty("user.home"), ".kube", "config");
            if (!Files.exists(home)) {
                throw new IllegalArgumentException("no kubeconfig: ~/.kube/config does not exist (set KUBECONFIG, or "
                        + "kubeconfig in the inventory)");
            }
            return Kubeconfig.load(List.of(home), c.context(), "~/.kube/config", impersonate);
        }
        List<String> named = java.util.Arrays.stream(files.split(java.io.File.pathSeparator)).filter(f -> !f.isBlank()).toList();
        // as kubectl: files of KUBECONFIG that do not exist are passed over, unless none does
        List<Path> present = named.stream().map(Path::of).filter(Files::exists).toList();
        if (present.isEmpty()) {
            throw new IllegalArgumentException("no kubeconfig: " + String.join(", ", named) + " does not exist (KUBECONFIG)");
        }
        return Kubeconfig.load(present, c.context(), "the kubeconfig files of KUBECONFIG (" + files + ")", impersonate);
    }
}
