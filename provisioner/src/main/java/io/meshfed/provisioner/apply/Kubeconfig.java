package io.meshfed.provisioner.apply;

import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import io.fabric8.kubernetes.client.internal.SSLUtils;
import io.fabric8.kubernetes.client.utils.TokenRefreshInterceptor;
import io.meshfed.model.text.Suggestions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A host's client configuration from kubeconfig files, as kubectl makes it: the files merged (the
 * first to name a context, cluster or user wins), the context's cluster and user. fabric8 reads the
 * files (paths relative to each file, proxies, certificates); what it leaves out is completed here, so
 * that meshfed acts with exactly the rights its kubeconfig grants: impersonation ({@code as},
 * {@code as-groups}, {@code as-uid}, {@code as-user-extra}, and the command line's {@code --as}...),
 * {@code tokenFile} (read again for every request, as a projected token rotates), exec credential
 * plugins run as client-go runs them ({@link ExecPlugin}: fabric8 would run them without their
 * interactive mode, expiry or cluster information, and not again when the server refuses the token),
 * and {@code tls-server-name} ({@link ServerNameTrust}).
 */
final class Kubeconfig {

    private Kubeconfig() {
    }

    /**
     * @param files       the kubeconfig files, in precedence order
     * @param context     the context to use; null: the first file's current-context
     * @param where       the files, for messages
     * @param impersonate the command line's impersonation, over the kubeconfig's
     */
    static Loaded load(List<Path> files, String context, String where, Impersonation impersonate) {
        io.fabric8.kubernetes.api.model.Config[] parsed = files.stream().map(Kubeconfig::parse)
                .toArray(io.fabric8.kubernetes.api.model.Config[]::new);
        NamedContext named = context(files, parsed, context, where);
        Found<NamedAuthInfo> user = first(files, parsed, c -> c.getUsers(), NamedAuthInfo::getName, named.getContext().getUser());
        Found<NamedCluster> cluster = first(files, parsed, c -> c.getClusters(), NamedCluster::getName,
                named.getContext().getCluster());
        AuthInfo auth = user == null || user.entry().getUser() == null ? new AuthInfo() : user.entry().getUser();
        Path userFile = user == null ? null : user.file();

        Config config = Config.empty();
        ExecPlugin plugin = auth.getExec() == null || auth.getAuthProvider() != null || notBlank(auth.getToken()) ? null
                : new ExecPlugin(auth.getExec(), folder(userFile), clusterInfo(cluster), System.console() != null);
        if (plugin != null) {
            // set before fabric8 merges the user: it then leaves the exec plugin to us
            config.setOauthTokenProvider(plugin);
        } else if (!notBlank(auth.getToken()) && notBlank(auth.getTokenFile())) {
            Path tokenFile = resolve(userFile, auth.getTokenFile());
            try {
                readToken(tokenFile);   // a token file that cannot be read is said now, as the cluster's problem
            } catch (UncheckedIOException e) {
                throw new IllegalArgumentException("user " + named.getContext().getUser() + ": cannot read its tokenFile "
                        + tokenFile, e);
            }
            config.setOauthTokenProvider(() -> readToken(tokenFile));
        }
        KubeConfigUtils.merge(config, named.getName(), parsed);
        Config.configFromSysPropsOrEnvVars(config);   // KUBERNETES_* settings, as fabric8's own loading applies them
        if (plugin != null) {
            ExecPlugin.Credential credential = plugin.credential();   // its failure is the cluster's connection problem
            if (credential.token() == null) {
                config.setClientCertData(credential.clientCertificateData());
                config.setClientKeyData(credential.clientKeyData());
                config.setClientCertFile(null);
                config.setClientKeyFile(null);
            }
        }
        if (auth.getAs() == null && (nonEmpty(auth.getAsGroups()) || auth.getAsUid() != null
                || auth.getAsUserExtra() != null && !auth.getAsUserExtra().isEmpty())) {
            throw new IllegalArgumentException("user " + named.getContext().getUser() + " of " + where
                    + " impersonates groups, a uid or user extras without a user to impersonate (as)");
        }
        Impersonation fromKubeconfig = auth.getAs() == null ? Impersonation.NONE
                : new Impersonation(auth.getAs(), auth.getAsGroups(), auth.getAsUid(), auth.getAsUserExtra());
        Impersonation effective = fromKubeconfig.overriddenBy(impersonate);
        effective.applyTo(config);
        String serverName = cluster == null || cluster.entry().getCluster() == null ? null
                : cluster.entry().getCluster().getTlsServerName();
        return new Loaded(config, effective, plugin, notBlank(serverName) ? serverName : null);
    }

    /**
     * A client configuration and what fabric8's Config has no place for: the impersonated uid, the exec
     * plugin (run again when the server refuses its token) and the cluster's {@code tls-server-name}.
     */
    record Loaded(Config config, Impersonation impersonation, ExecPlugin plugin, String tlsServerName) {

        Loaded(Config config, Impersonation impersonation) {
            this(config, impersonation, null, null);
        }

        /** Completes the HTTP client that fabric8 made from {@code used} (this configuration, tuned) as kubectl's. */
        void completeClient(HttpClient.Builder http, Config used) {
            http.addOrReplaceInterceptor("meshfed-impersonate-uid", impersonation.uidHeader());
            if (plugin != null) {
                // fabric8's own refresh on 401, with the plugin's refused token forgotten first
                http.addOrReplaceInterceptor(TokenRefreshInterceptor.NAME, new TokenRefreshInterceptor(used, Instant.now(),
                        ignored -> CompletableFuture.completedFuture(null)) {
                    @Override
                    public CompletableFuture<Boolean> afterFailure(BasicBuilder builder, HttpResponse<?> response,
                                                                   RequestTags tags) {
                        if (response.code() == HttpURLConnection.HTTP_UNAUTHORIZED) {
                            String authorization = response.request().header(TokenRefreshInterceptor.AUTHORIZATION);
                            plugin.refused(authorization == null ? null : authorization.replaceFirst("^Bearer ", ""));
                        }
                        return super.afterFailure(builder, response, tags);
                    }
                });
            }
            if (tlsServerName != null && !used.isTrustCerts()) {
                try {
                    http.sslContext(SSLUtils.keyManagers(used), ServerNameTrust.wrap(SSLUtils.trustManagers(used), tlsServerName));
                } catch (java.security.GeneralSecurityException | IOException e) {
                    throw new IllegalArgumentException("cannot set up TLS for " + used.getMasterUrl() + ": " + e.getMessage(), e);
                }
            }
        }
    }

    private static io.fabric8.kubernetes.api.model.Config parse(Path file) {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("kubeconfig " + file + (Files.exists(file) ? " cannot be read" : " does not exist"));
        }
        try {
            return KubeConfigUtils.parseConfig(file.toFile());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("kubeconfig " + file + " is not a kubeconfig: " + e.getMessage(), e);
        }
    }

    private record Found<T>(T entry, Path file) {
    }

    private static NamedContext context(List<Path> files, io.fabric8.kubernetes.api.model.Config[] parsed, String context,
                                        String where) {
        String wanted = context;
        if (wanted == null) {
            wanted = Arrays.stream(parsed).map(io.fabric8.kubernetes.api.model.Config::getCurrentContext)
                    .filter(Kubeconfig::notBlank).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(where + " names no current-context"));
        }
        String name = wanted;
        Found<NamedContext> found = first(files, parsed, io.fabric8.kubernetes.api.model.Config::getContexts,
                NamedContext::getName, name);
        if (found == null || found.entry().getContext() == null) {
            List<String> contexts = Arrays.stream(parsed).filter(c -> c.getContexts() != null)
                    .flatMap(c -> c.getContexts().stream()).map(NamedContext::getName).distinct().toList();
            throw new IllegalArgumentException("context " + name + " is not in " + where + Suggestions.didYouMean(name, contexts));
        }
        return found.entry();
    }

    /** The first file's entry of that name (kubectl's merge: the first file to set a value wins). */
    private static <T> Found<T> first(List<Path> files, io.fabric8.kubernetes.api.model.Config[] parsed,
                                      java.util.function.Function<io.fabric8.kubernetes.api.model.Config, List<T>> entries,
                                      java.util.function.Function<T, String> name, String wanted) {
        for (int i = 0; i < parsed.length; i++) {
            List<T> list = entries.apply(parsed[i]);
            if (list != null) {
                for (T entry : list) {
                    if (Objects.equals(name.apply(entry), wanted)) {
                        return new Found<>(entry, files.get(i));
                    }
                }
            }
        }
        return null;
    }

    /** The cluster as KUBERNETES_EXEC_INFO's spec.cluster describes it to a plugin that asks (provideClusterInfo). */
    private static Map<String, Object> clusterInfo(Found<NamedCluster> found) {
        Map<String, Object> info = new LinkedHashMap<>();
        NamedCluster cluster = found == null ? null : found.entry();
        if (cluster != null && cluster.getCluster() != null) {
            info.put("server", cluster.getCluster().getServer());
            if (cluster.getCluster().getTlsServerName() != null) {
                info.put("tls-server-name", cluster.getCluster().getTlsServerName());
            }
            if (Boolean.TRUE.equals(cluster.getCluster().getInsecureSkipTlsVerify())) {
                info.put("insecure-skip-tls-verify", true);
            }
            String ca = cluster.getCluster().getCertificateAuthorityData();
            if (ca == null && cluster.getCluster().getCertificateAuthority() != null) {
                try {
                    Path caFile = resolve(found.file(), cluster.getCluster().getCertificateAuthority());
                    ca = java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(caFile));
                } catch (IOException e) {
                    ca = null;   // the connection itself says it
                }
            }
            if (ca != null) {
                info.put("certificate-authority-data", ca);
            }
            if (cluster.getCluster().getProxyUrl() != null) {
                info.put("proxy-url", cluster.getCluster().getProxyUrl());
            }
        }
        return info;
    }

    private static Path folder(Path file) {
        return file == null ? null : file.toAbsolutePath().getParent();
    }

    private static Path resolve(Path file, String path) {
        Path p = Path.of(path.replaceFirst("^~", System.getProperty("user.home")));
        return p.isAbsolute() || file == null ? p : folder(file).resolve(p);
    }

    private static String readToken(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the token file " + file, e);
        }
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    private static boolean nonEmpty(List<?> l) {
        return l != null && !l.isEmpty();
    }
}
