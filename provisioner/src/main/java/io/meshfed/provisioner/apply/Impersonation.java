package io.meshfed.provisioner.apply;

import io.fabric8.kubernetes.client.Config;

import java.util.List;
import java.util.Map;

/**
 * Whom a client acts as, as kubectl's {@code --as}, {@code --as-group}, {@code --as-uid} and a kubeconfig
 * user's {@code as}, {@code as-groups}, {@code as-uid}, {@code as-user-extra} say: the API server checks
 * the credentials' right to impersonate, then decides every request as the impersonated user.
 *
 * @param user   null: no impersonation (then nothing else may be set)
 * @param groups empty: the user's own groups (the API server adds {@code system:authenticated})
 */
public record Impersonation(String user, List<String> groups, String uid, Map<String, List<String>> extra) {

    public static final Impersonation NONE = new Impersonation(null, List.of(), null, Map.of());

    public Impersonation {
        groups = groups == null ? List.of() : List.copyOf(groups);
        extra = extra == null ? Map.of() : Map.copyOf(extra);
        if (user == null && (!groups.isEmpty() || uid != null || !extra.isEmpty())) {
            // client-go refuses this too: the API server would take the groups for the caller's own
            throw new IllegalArgumentException("impersonating groups, a uid or user extras needs a user to impersonate "
                    + "(as / --as)");
        }
    }

    public boolean none() {
        return user == null;
    }

    /** {@code override} where it names something (command-line flags win over the kubeconfig, field by field, as in kubectl). */
    Impersonation overriddenBy(Impersonation override) {
        if (override == null || override.none()) {
            return this;
        }
        return new Impersonation(override.user() != null ? override.user() : user,
                override.groups().isEmpty() ? groups : override.groups(),
                override.uid() != null ? override.uid() : uid, extra);
    }

    /** User, groups and extras as fabric8 sends them; the uid, which fabric8 does not know, goes by {@link #uidHeader}. */
    void applyTo(Config config) {
        if (none()) {
            return;
        }
        config.setImpersonateUsername(user);
        config.setImpersonateGroups(groups.toArray(String[]::new));
        config.setImpersonateExtras(extra);
    }

    /** Adds {@code Impersonate-Uid} to every request, where a uid is impersonated. */
    io.fabric8.kubernetes.client.http.Interceptor uidHeader() {
        return new io.fabric8.kubernetes.client.http.Interceptor() {
            @Override
            public void before(io.fabric8.kubernetes.client.http.BasicBuilder builder,
                               io.fabric8.kubernetes.client.http.HttpRequest request,
                               io.fabric8.kubernetes.client.http.Interceptor.RequestTags tags) {
                if (uid != null) {
                    builder.setHeader("Impersonate-Uid", uid);
                }
            }
        };
    }

    @Override
    public String toString() {
        return none() ? "no impersonation" : "as " + user + (groups.isEmpty() ? "" : " in " + String.join(", ", groups));
    }
}
