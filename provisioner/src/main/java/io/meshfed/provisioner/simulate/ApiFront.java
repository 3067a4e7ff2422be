package io.meshfed.provisioner.simulate;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What stands in front of fabric8's CRUD mock to make it behave more like a real API server:
 * <ul>
 *   <li>API discovery ({@code /api}, {@code /apis}, {@code /apis/G/V}) for core v1, the built-in groups
 *       and every installed CRD, so that kubectl, Ansible and fabric8's generic client work;</li>
 *   <li>404 for a custom resource whose CRD is not installed (except to the simulated operators, whose
 *       informers list and watch their kinds from the start);</li>
 *   <li>injected latency and errors ({@link Faults}), the store staying live;</li>
 *   <li>a {@link RequestLog}.</li>
 * </ul>
 */
final class ApiFront extends Dispatcher {

    static final String CONTROLLER_AGENT = "meshfed-simulated-controller";
    private static final String CRD_PATH = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

    private final KubernetesCrudDispatcher crud;
    private final RequestLog log = new RequestLog();
    /** Installed CRDs by name, kept from the CRD writes themselves (no re-listing of megabytes of schemas). */
    private final Map<String, GenericKubernetesResource> crds = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicBoolean crdsChanged = new AtomicBoolean(false);
    private volatile Discovery discovery = Discovery.of(List.of());
    private volatile Faults faults = Faults.NONE;
    private volatile Faults.Decider decider = new Faults.Decider(Faults.NONE);
    private volatile java.util.function.BiConsumer<String, String> onClientRequest = (method, path) -> { };

    ApiFront(KubernetesCrudDispatcher crud) {
        this.crud = crud;
    }

    RequestLog log() {
        return log;
    }

    /** Told of every request of a client other than the controllers, once it was served (before its answer leaves). */
    void onClientRequest(java.util.function.BiConsumer<String, String> listener) {
        this.onClientRequest = listener;
    }

    void faults(Faults faults) {
        this.faults = faults;
        this.decider = new Faults.Decider(faults);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        long arrived = System.nanoTime();
        String method = request.getMethod();
        String path = request.getPath();
        String plainPath = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        boolean controller = CONTROLLER_AGENT.equals(request.getHeader("User-Agent"));
        boolean watch = path.contains("watch=true");

        byte[] crdBody = plainPath.startsWith(CRD_PATH) && (method.equals("POST") || method.equals("PUT"))
                ? request.getBody().getBytes().clone() : null;
        MockResponse response;
        int injected = controller || watch ? 0 : decider.decide(method, plainPath);
        boolean servedAnyway = false;
        if (injected != 0) {
            if (faults.lost()) {
                servedAnyway = serve(method, plainPath, request, false).code() < 300;
            }
            response = status(injected, switch (injected) {
                case 429 -> "TooManyRequests";
                case 403 -> "Forbidden";
                case 409 -> "Conflict";
                default -> injected >= 500 ? "InternalError" : "BadRequest";
            }, "injected fault: " + injected);
            if ((injected == 429 || injected == 503) && faults.retryAfter() > 0) {
                response.setHeader("Retry-After", faults.retryAfter());
            }
        } else {
            response = serve(method, plainPath, request, controller);
        }
        if (!controller && !watch && !faults.latency().isZero()) {
            response.setBodyDelay(faults.latency().toNanos(), TimeUnit.NANOSECONDS);
        }
        log.add(new RequestLog.Entry(arrived, method, plainPath, response.code(), controller, watch));
        if (!controller && !watch) {
            onClientRequest.accept(method, plainPath);
        }
        if (!method.equals("GET") && (response.code() < 300 || servedAnyway) && plainPath.startsWith(CRD_PATH)) {
            rememberCrd(method, plainPath, crdBody);
        }
        return response;
    }

    private MockResponse serve(String method, String path, RecordedRequest request, boolean controller) {
        Discovery current = discovery();
        if (method.equals("GET")) {
            String document = current.document(path);
            if (document != null) {
                return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
                        .setBody(document);
            }
        }
        if (!controller && path.startsWith("/apis/") && !current.serves(path)) {
            return status(404, "NotFound", "the server could not find the requested resource");
        }
        return crud.dispatch(request);
    }

    private void rememberCrd(String method, String path, byte[] body) {
        if (method.equals("DELETE")) {
            crds.remove(path.substring(path.lastIndexOf('/') + 1));
        } else if (body != null && body.length > 0) {
            GenericKubernetesResource crd = Serialization.unmarshal(new String(body, java.nio.charset.StandardCharsets.UTF_8),
                    GenericKubernetesResource.class);
            crds.put(crd.getMetadata().getName(), crd);
        } else {
            // a patch: read the stored object back
            String name = path.substring(path.lastIndexOf('/') + 1);
            MockResponse stored = crud.handleGet(CRD_PATH + "/" + name);
            if (stored.code() == 200) {
                crds.put(name, Serialization.unmarshal(stored.getBody().readUtf8(), GenericKubernetesResource.class));
            }
        }
        crdsChanged.set(true);
    }

    /** The discovery documents, rebuilt after a CRD changed. */
    Discovery discovery() {
        if (crdsChanged.getAndSet(false)) {
            discovery = Discovery.of(List.copyOf(crds.values()));
        }
        return discovery;
    }

    static MockResponse status(int code, String reason, String message) {
        String body = Serialization.asJson(Map.of("kind", "Status", "apiVersion", "v1", "metadata", Map.of(),
                "status", "Failure", "message", message, "reason", reason, "code", code));
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
    }
}
