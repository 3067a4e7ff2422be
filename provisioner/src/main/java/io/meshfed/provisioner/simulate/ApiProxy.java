package io.meshfed.provisioner.simulate;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * What stands between the clients of a simulated cluster and its kube-apiserver, on loopback: an
 * HTTPS reverse proxy (Vert.x, with the API server's own certificate) that passes every request and
 * every watch through (chunked HTTP and WebSocket) and, for clients other than the simulated
 * controllers, adds latency and answers with injected errors ({@link Faults}: the request either not
 * served, or served and its answer lost). It keeps a {@link RequestLog}. Upstream it authenticates
 * with the control plane's admin certificate and acts as the caller ({@link CallerIdentity}): what a
 * client may do is what its own credentials allow, as on the API server itself.
 */
final class ApiProxy implements AutoCloseable {

    static final String CONTROLLER_AGENT = "meshfed-simulated-controller";

    /** Hop-by-hop headers (RFC 9110 7.6.1) and the client's own credentials: never forwarded (its identity is). */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authorization", "transfer-encoding", "te", "trailer", "upgrade", "host", "authorization");

    /** A watch event is one frame and carries a whole object: a CRD can be half a megabyte. */
    private static final int MAX_FRAME = 64 * 1024 * 1024;

    private final Vertx vertx;
    private final HttpClient upstream;
    private final HttpServer server;
    private final int upstreamPort;
    private final RequestLog log = new RequestLog();
    private final CallerIdentity callers;
    private volatile Faults faults = Faults.NONE;
    private volatile Faults.Decider decider = new Faults.Decider(Faults.NONE);
    private volatile BiConsumer<String, String> onClientRequest;
    private volatile PodNetwork podNetwork;

    /** {@code /api/v1/namespaces/N/pods/NAME[:PORT]/proxy[/PATH]}: the API server's pod proxy. */
    private static final java.util.regex.Pattern POD_PROXY =
            java.util.regex.Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/:]+)(?::(\\d+))?/proxy(/.*)?");

    private ApiProxy(Vertx vertx, HttpClient upstream, HttpServer server, int upstreamPort, CallerIdentity callers) {
        this.vertx = vertx;
        this.upstream = upstream;
        this.server = server;
        this.upstreamPort = upstreamPort;
        this.callers = callers;
    }

    /** Listens on a free port of 127.0.0.1 and forwards to the control plane's API server. */
    static ApiProxy start(Vertx vertx, ControlPlane controlPlane) {
        HttpClient upstream = vertx.createHttpClient(new HttpClientOptions()
                .setSsl(true)
                .setTrustOptions(new PemTrustOptions().addCertPath(controlPlane.caCertificate().toString()))
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(controlPlane.clientCertificate().toString())
                        .setKeyPath(controlPlane.clientKey().toString()))
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(controlPlane.port())
                .setMaxWebSockets(1_000)
                .setMaxWebSocketFrameSize(MAX_FRAME)
                .setMaxWebSocketMessageSize(MAX_FRAME),
                new PoolOptions().setHttp1MaxSize(1_000));   // every open watch holds a connection
        HttpServer server = vertx.createHttpServer(new HttpServerOptions()
                .setHost("127.0.0.1")
                .setPort(0)
                .setSsl(true)
                .setMaxWebSocketFrameSize(MAX_FRAME)
                .setMaxWebSocketMessageSize(MAX_FRAME)
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(controlPlane.serverCertificate().toString())
                        .setKeyPath(controlPlane.serverKey().toString()))
                // a client certificate is asked for, not required (tokens, anonymous), as the API server does
                .setClientAuth(io.vertx.core.http.ClientAuth.REQUEST)
                .setTrustOptions(new PemTrustOptions().addCertPath(controlPlane.clientCertificate().toString())));
        ApiProxy proxy = new ApiProxy(vertx, upstream, server, controlPlane.port(),
                new CallerIdentity(upstream, adminCertificate(controlPlane)));
        server.requestHandler(proxy::handle);
        // a connection reset (a client gone, the API server stopped under it: Ctrl-C on simulate up reaches the control
        // planes too) is the request's own failure, answered or dropped there; without a handler Vert.x logs it as ERROR
        server.connectionHandler(connection -> connection.exceptionHandler(e -> { }));
        upstream.connectionHandler(connection -> connection.exceptionHandler(e -> { }));
        server.listen().toCompletionStage().toCompletableFuture().join();
        return proxy;
    }

    private static java.security.cert.Certificate adminCertificate(ControlPlane controlPlane) {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(controlPlane.clientCertificate())) {
            return java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (java.io.IOException | java.security.cert.CertificateException e) {
            throw new IllegalStateException("cannot read the simulated clusters' admin certificate "
                    + controlPlane.clientCertificate(), e);
        }
    }

    int port() {
        return server.actualPort();
    }

    RequestLog log() {
        return log;
    }

    void faults(Faults faults) {
        this.faults = faults;
        this.decider = new Faults.Decider(faults);
    }

    /** What answers for the cluster's Pods behind the pod proxy (none: the API server's own answer). */
    void podNetwork(PodNetwork network) {
        this.podNetwork = network;
    }

    /** Told of every request of a client other than the controllers, once it was served (before its answer leaves). */
    void onClientRequest(BiConsumer<String, String> listener) {
        this.onClientRequest = listener;
    }

    private void handle(HttpServerRequest request) {
        long arrived = System.nanoTime();
        request.exceptionHandler(e -> { });   // the client went away: nothing to answer
        request.response().exceptionHandler(e -> { });
        String method = request.method().name();
        String path = request.path();
        boolean controller = CONTROLLER_AGENT.equals(request.getHeader(HttpHeaders.USER_AGENT));
        boolean watch = "true".equals(request.getParam("watch")) || "1".equals(request.getParam("watch"));
        boolean dryRun = request.getParam("dryRun") != null;
        if (request.headers().contains(HttpHeaders.UPGRADE, HttpHeaders.WEBSOCKET, true)) {
            webSocket(request, arrived, controller);
            return;
        }
        Faults current = faults;
        int injected = controller || watch ? 0 : decider.decide(method, path);
        boolean delayed = !controller && !watch && decider.delays(path);
        if (injected != 0 && !current.lost()) {
            request.body().onComplete(body -> answerWithFault(request, arrived, injected, current, delayed));
            return;
        }
        request.pause();
        java.util.regex.Matcher podProxy = POD_PROXY.matcher(path);
        boolean toPod = podNetwork != null && "GET".equals(method) && podProxy.matches();
        callers.upstreamHeaders(request).onFailure(e -> refuse(request, arrived, controller, watch, dryRun, e))
                .onSuccess(identity -> {
                    if (toPod) {
                        toPod(request, arrived, identity, controller, podProxy);
                    } else {
                        forward(request, arrived, identity, controller, watch, dryRun, injected, current, delayed);
                    }
                });
    }

    /**
     * A GET through the pod proxy: the API server decides whether the caller may ({@code get pods/proxy}, asked
     * as the caller), then {@link PodNetwork} answers for the Pod, as the Pod would through the server.
     */
    private void toPod(HttpServerRequest request, long arrived, MultiMap identity, boolean controller,
                       java.util.regex.Matcher target) {
        String namespace = target.group(1);
        String pod = target.group(2);
        int port = target.group(3) == null ? 80 : Integer.parseInt(target.group(3));
        String path = target.group(4) == null || target.group(4).isEmpty() ? "/" : target.group(4);
        request.resume();
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(identity).add(HttpHeaders.CONTENT_TYPE, "application/json");
        upstream.request(new RequestOptions().setMethod(io.vertx.core.http.HttpMethod.POST)
                        .setURI("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews").setHeaders(headers))
                .compose(out -> out.send(io.vertx.core.buffer.Buffer.buffer(Serialization.asJson(PodNetwork.review(namespace, pod)))))
                .compose(HttpClientResponse::body)
                .compose(body -> {
                    Map<?, ?> review = Serialization.unmarshal(body.toString(), Map.class);
                    boolean allowed = review.get("status") instanceof Map<?, ?> st && Boolean.TRUE.equals(st.get("allowed"));
                    if (!allowed) {
                        String user = identity.get("Impersonate-User") != null ? identity.get("Impersonate-User") : "system:admin";
                        return Future.succeededFuture(new PodNetwork.Answer(403, PodNetwork.forbidden(user, namespace, pod)));
                    }
                    return vertx.executeBlocking(() -> podNetwork.get(namespace, pod, port, path), false);
                })
                .onComplete(done -> {
                    PodNetwork.Answer answer = done.succeeded() ? done.result()
                            : new PodNetwork.Answer(502, status(502, "BadGateway", "proxy: " + done.cause().getMessage()));
                    log.add(new RequestLog.Entry(arrived, "GET", request.path(), answer.code(), controller, false, false));
                    answer(request.response(), answer.code(), answer.body());
                });
    }

    private void forward(HttpServerRequest request, long arrived, MultiMap identity, boolean controller, boolean watch,
                         boolean dryRun, int injected, Faults current, boolean delayed) {
        String method = request.method().name();
        String path = request.path();
        RequestOptions options = new RequestOptions().setMethod(request.method()).setURI(request.uri())
                .setHeaders(forwarded(request.headers()).addAll(identity));
        upstream.request(options)
                .compose(out -> out.send(request))
                .onSuccess(answer -> {
                    if (injected != 0) {   // served; its answer is lost on the way back
                        answer.body().onComplete(ignored -> answerWithFault(request, arrived, injected, current, delayed));
                        return;
                    }
                    answer.pause();   // until it is relayed (after the latency, after the test's listener)
                    log.add(new RequestLog.Entry(arrived, method, path, answer.statusCode(), controller, watch, dryRun));
                    Future<Void> told = controller || watch ? Future.succeededFuture() : tell(method, path);
                    told.onComplete(t -> later(delayed ? current : Faults.NONE, () -> relay(answer, request.response())));
                })
                .onFailure(e -> {
                    log.add(new RequestLog.Entry(arrived, method, path, 502, controller, watch, dryRun));
                    answer(request.response(), 502, status(502, "BadGateway", "proxy: " + e.getMessage()));
                });
    }

    /** Answered as the API server answers a caller it does not let in (401) or may not impersonate (403). */
    private void refuse(HttpServerRequest request, long arrived, boolean controller, boolean watch, boolean dryRun,
                        Throwable e) {
        CallerIdentity.Refused refused = e instanceof CallerIdentity.Refused r ? r
                : new CallerIdentity.Refused(502, "BadGateway", "proxy: " + e.getMessage());
        log.add(new RequestLog.Entry(arrived, request.method().name(), request.path(), refused.code, controller, watch, dryRun));
        request.resume();
        answer(request.response(), refused.code, status(refused.code, refused.reason, refused.getMessage()));
    }

    private void answerWithFault(HttpServerRequest request, long arrived, int code, Faults current, boolean delayed) {
        log.add(new RequestLog.Entry(arrived, request.method().name(), request.path(), code, false, false,
                request.getParam("dryRun") != null));
        tell(request.method().name(), request.path()).onComplete(t -> later(delayed ? current : Faults.NONE, () -> {
            HttpServerResponse response = request.response();
            if (gone(response)) {
                return;
            }
            if ((code == 429 || code == 503) && current.retryAfter() > 0) {
                response.putHeader("Retry-After", String.valueOf(current.retryAfter()));
            }
            answer(response, code, status(code, switch (code) {
                case 429 -> "TooManyRequests";
                case 403 -> "Forbidden";
                case 409 -> "Conflict";
                default -> code >= 500 ? "InternalError" : "BadRequest";
            }, "injected fault: " + code));
        }));
    }

    /** Runs the test's listener, if any, on a worker thread (it may call this very proxy), then goes on. */
    private Future<Void> tell(String method, String path) {
        BiConsumer<String, String> listener = onClientRequest;
        if (listener == null) {
            return Future.succeededFuture();
        }
        return vertx.executeBlocking(() -> {
            listener.accept(method, path);
            return null;
        }, false);
    }

    private void later(Faults current, Runnable action) {
        if (current.latency().isZero()) {
            action.run();
        } else {
            vertx.setTimer(Math.max(1, current.latency().toMillis()), t -> action.run());
        }
    }

    /**
     * Whether the caller is gone (its connection reset or closed, the proxy stopping under it: Ctrl-C on simulate up):
     * then there is no one to answer, and writing would throw on Vert.x's event loop.
     */
    private static boolean gone(HttpServerResponse response) {
        return response.ended() || response.closed();
    }

    /** A JSON answer, unless the caller is gone (or goes while it is written). */
    private static void answer(HttpServerResponse response, int code, String body) {
        if (gone(response)) {
            return;
        }
        try {
            response.setStatusCode(code).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body);
        } catch (IllegalStateException e) {
            // the connection closed between the check and the write: nothing to answer
        }
    }

    private static void relay(HttpClientResponse answer, HttpServerResponse response) {
        if (gone(response)) {
            answer.resume();   // drained and dropped: the caller left
            return;
        }
        answer.exceptionHandler(e -> response.reset());   // the API server went away mid-answer (a watch when it stops)
        response.setStatusCode(answer.statusCode()).setStatusMessage(answer.statusMessage());
        response.headers().addAll(forwarded(answer.headers()));
        if (!answer.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            // a watch: the head goes out at once (a client waits for it before the first event, which may be
            // long in coming), then every event as it comes
            response.setChunked(true);
            response.writeHead();
            answer.pipeTo(response);
            return;
        }
        response.send(answer);
    }

    /** A WebSocket (fabric8 watches this way first): both ends joined frame by frame. */
    private void webSocket(HttpServerRequest request, long arrived, boolean controller) {
        request.pause();
        callers.upstreamHeaders(request).onFailure(e -> refuse(request, arrived, controller, true, false, e))
                .onSuccess(identity -> webSocket(request, arrived, controller, identity));
    }

    private void webSocket(HttpServerRequest request, long arrived, boolean controller, MultiMap identity) {
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(upstreamPort)
                .setSsl(true).setURI(request.uri()).setHeaders(forwarded(request.headers()).addAll(identity));
        String protocols = request.getHeader("Sec-WebSocket-Protocol");
        if (protocols != null) {
            options.setSubProtocols(List.of(protocols.split("\\s*,\\s*")));
            options.getHeaders().remove("Sec-WebSocket-Protocol");
        }
        List.of("Sec-WebSocket-Key", "Sec-WebSocket-Version", "Sec-WebSocket-Extensions").forEach(options.getHeaders()::remove);
        upstream.webSocket(options).onSuccess(up -> {
            up.pause();   // nothing the server sends may pass before the client's end is there
            request.toWebSocket().onSuccess(down -> {
                log.add(new RequestLog.Entry(arrived, "GET", request.path(), 101, controller, true, false));
                join(up, down);
            }).onFailure(e -> up.close());
        }).onFailure(e -> {
            int code = e instanceof UpgradeRejectedException r ? r.getStatus() : 502;
            log.add(new RequestLog.Entry(arrived, "GET", request.path(), code, controller, true, false));
            request.response().setStatusCode(code).end();
        });
    }

    private static void join(WebSocket up, io.vertx.core.http.ServerWebSocket down) {
        // a side that goes away (a client stops watching, a control plane stops) closes the other; not an error
        up.exceptionHandler(e -> down.close());
        down.exceptionHandler(e -> up.close());
        up.frameHandler(f -> {
            if (!f.isClose()) {
                down.writeFrame(f);
            }
        });
        down.frameHandler(f -> {
            if (!f.isClose()) {
                up.writeFrame(f);
            }
        });
        up.closeHandler(v -> down.close());
        down.closeHandler(v -> up.close());
        up.resume();
    }

    private static MultiMap forwarded(MultiMap headers) {
        MultiMap copy = MultiMap.caseInsensitiveMultiMap();
        headers.forEach(h -> {
            String key = h.getKey().toLowerCase(java.util.Locale.ROOT);
            if (!NOT_FORWARDED.contains(key) && !key.startsWith("impersonate-")) {   // the caller's: CallerIdentity
                copy.add(h.getKey(), h.getValue());
            }
        });
        return copy;
    }

    static String status(int code, String reason, String message) {
        return Serialization.asJson(Map.of("kind", "Status", "apiVersion", "v1", "metadata", Map.of(),
                "status", "Failure", "message", message, "reason", reason, "code", code));
    }

    @Override
    public void close() {
        server.close().toCompletionStage().toCompletableFuture().join();
        upstream.close();
    }
}
