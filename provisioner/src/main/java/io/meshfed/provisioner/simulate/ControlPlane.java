package io.meshfed.provisioner.simulate;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfig;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubeapitest.KubeAPITestException;
import io.fabric8.kubeapitest.cert.CertManager;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One real Kubernetes control plane on loopback: an etcd and a kube-apiserver process, started and
 * stopped by fabric8's kube-api-test, which also makes the certificates (a serving certificate for
 * 127.0.0.1 and a client certificate in {@code system:masters}, shared by every control plane of
 * this machine). The binaries are looked up, never downloaded when present, in
 * {@code ${KUBE_API_TEST_DIR:-~/.kubeapitest}/k8s/VERSION-linux-amd64/}, where
 * {@code scripts/control-plane/build.sh} builds them from the Go modules it pins.
 */
public final class ControlPlane implements AutoCloseable {

    /** The Kubernetes release of the simulated clusters: what OpenShift 4.18 runs (scripts/control-plane/go.mod pins it). */
    static final String KUBERNETES_VERSION = "1.31.14";

    private static final Pattern SERVER = Pattern.compile("server: https://127\\.0\\.0\\.1:(\\d+)");

    /**
     * envtest's flags, less what kube-api-test sets itself: loopback only, and no API priority and
     * fairness (its bookkeeping costs CPU that ten simulated clusters on two cores do not have).
     */
    private static final List<String> FLAGS = List.of("--bind-address", "127.0.0.1", "--advertise-address", "127.0.0.1",
            "--enable-priority-and-fairness=false", "--profiling=false");

    private static final Logger LOG = Logger.getLogger(ControlPlane.class.getName());

    private final WatchedServer server;
    private final int port;
    private final CertManager certificates;

    private ControlPlane(WatchedServer server, int port, CertManager certificates) {
        this.server = server;
        this.port = port;
        this.certificates = certificates;
    }

    /**
     * How many times a control plane is started before giving up. kube-api-test picks its ports at
     * random in 49152-65535 and binds them only when etcd and kube-apiserver start, so two control
     * planes starting at once (or any other listener) can take the same port; the process that
     * loses exits, and a new attempt picks new ports.
     */
    private static final int ATTEMPTS = 3;

    /** Starts etcd and kube-apiserver and waits until the API server answers (a few seconds). */
    static ControlPlane start() {
        String dir = directory();
        boolean present = binariesPresent(dir);
        KubeAPITestException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            WatchedServer server = new WatchedServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
                    .withTestDir(dir)
                    .withApiServerVersion(KUBERNETES_VERSION)
                    .withOfflineMode(present)   // kube-api-test may download them where they are missing
                    .withUpdateKubeConfig(false)
                    .withWaitForEtcdHealthCheckOnStartup(false)
                    .withStartupTimeout(120_000)
                    .withApiServerFlags(FLAGS)
                    .build());
            try {
                server.startOrFailWhenAProcessExits();
            } catch (KubeAPITestException e) {
                server.stopAll();
                if (!present || !server.processExited()) {
                    throw new IllegalStateException(present ? "the simulated cluster's API server did not start: " + e.getMessage()
                            : missingBinaries(dir), e);
                }
                LOG.fine(() -> "a simulated control plane's process exited while starting (a port taken?); starting it again");
                last = e;
                continue;
            }
            Matcher port = SERVER.matcher(server.getKubeConfigYaml());
            if (!port.find()) {
                server.stopAll();
                throw new IllegalStateException("kube-api-test wrote a kubeconfig without a server");
            }
            return new ControlPlane(server, Integer.parseInt(port.group(1)), new CertManager(dir));
        }
        throw new IllegalStateException("the simulated cluster's API server did not start: its etcd or kube-apiserver exited "
                + "while starting, " + ATTEMPTS + " times", last);
    }

    /** Where kube-api-test keeps binaries and certificates: KUBE_API_TEST_DIR, else ~/.kubeapitest. */
    public static String directory() {
        String dir = System.getenv("KUBE_API_TEST_DIR");
        return dir != null && !dir.isBlank() ? dir
                : new File(System.getProperty("user.home"), KubeAPIServerConfigBuilder.DIRECTORY_NAME).getPath();
    }

    static Path binaries(String dir) {
        return Path.of(dir, "k8s", KUBERNETES_VERSION + "-linux-amd64");
    }

    private static boolean binariesPresent(String dir) {
        Path bin = binaries(dir);
        return List.of("etcd", "kube-apiserver", "kubectl").stream().allMatch(b -> Files.isExecutable(bin.resolve(b)));
    }

    private static String missingBinaries(String dir) {
        return "simulated clusters need etcd, kube-apiserver and kubectl " + KUBERNETES_VERSION + " in " + binaries(dir)
                + ", and they could not be downloaded: build them with scripts/control-plane/build.sh (needs Go 1.22+), "
                + "or put them there (KUBE_API_TEST_DIR names the folder above k8s/)";
    }

    /** The kube-apiserver's HTTPS port on 127.0.0.1. */
    int port() {
        return port;
    }

    /** The CA that signed the API server's certificate (it is self-signed: the certificate itself). */
    Path caCertificate() {
        return Path.of(certificates.getAPIServerCertPath());
    }

    Path serverCertificate() {
        return Path.of(certificates.getAPIServerCertPath());
    }

    Path serverKey() {
        return Path.of(certificates.getAPIServerKeyPath());
    }

    /** A client certificate of group system:masters, accepted by every simulated cluster. */
    Path clientCertificate() {
        return Path.of(certificates.getClientCertPath());
    }

    Path clientKey() {
        return Path.of(certificates.getClientKeyPath());
    }

    @Override
    public void close() {
        server.stopAll();
    }

    /**
     * kube-api-test's server, told when etcd or kube-apiserver exits while it is starting: it
     * then stops waiting for readiness at once (kube-api-test alone would poll until its
     * timeout, two minutes here) so that {@link #start()} can try again.
     */
    private static final class WatchedServer extends KubeAPIServer {

        private final KubeAPIServerConfig config;
        private Thread starting;
        private boolean exited;

        WatchedServer(KubeAPIServerConfig config) {
            super(config);
            this.config = config;
        }

        void startOrFailWhenAProcessExits() {
            synchronized (this) {
                starting = Thread.currentThread();
            }
            long began = System.nanoTime();
            long timeout = java.time.Duration.ofMillis(config.getStartupTimeout()).toNanos();
            try {
                start();
            } catch (KubeAPITestException e) {
                // kube-api-test times its readiness wait by the time of day (LocalTime): a wait that would end after
                // midnight ends at once. Its processes still run; wait for them here by the monotonic clock.
                if (processExited() || System.nanoTime() - began > timeout / 2 || e.getCause() != null) {
                    throw e;
                }
                awaitDefaultNamespace(began + timeout);
            } finally {
                synchronized (this) {
                    starting = null;
                    if (exited) {
                        Thread.interrupted();   // this class's own interruption, not the caller's
                    }
                }
            }
        }

        synchronized boolean processExited() {
            return exited;
        }

        /** What kube-api-test waits for: kubectl answering {@code get ns default} with the client certificate. */
        private void awaitDefaultNamespace(long deadline) {
            Matcher port = SERVER.matcher(getKubeConfigYaml());
            if (!port.find()) {
                throw new KubeAPITestException("kube-api-test wrote a kubeconfig without a server");
            }
            String dir = config.getKubeAPITestDir();
            CertManager certificates = new CertManager(dir);
            ProcessBuilder kubectl = new ProcessBuilder(binaries(dir).resolve("kubectl").toString(),
                    "--client-certificate=" + certificates.getClientCertPath(), "--client-key=" + certificates.getClientKeyPath(),
                    "--certificate-authority=" + certificates.getAPIServerCertPath(), "--server=https://127.0.0.1:" + port.group(1),
                    "--request-timeout=5s", "get", "ns", "default").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            kubectl.environment().put("KUBECONFIG", dir + "/.kubeconfig");
            try {
                while (System.nanoTime() < deadline && !processExited()) {
                    if (kubectl.start().waitFor() == 0) {
                        return;
                    }
                    Thread.sleep(200);
                }
            } catch (java.io.IOException e) {
                throw new KubeAPITestException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KubeAPITestException(e);
            }
            throw new KubeAPITestException("Kube API Server did not start properly");
        }

        @Override
        public void processStopped(Process process) {
            synchronized (this) {
                exited = true;
                if (starting != null) {
                    starting.interrupt();
                }
            }
            super.processStopped(process);
            reportUnlessStopping(process);
        }

        private volatile boolean stopping;

        /**
         * Says that etcd or kube-apiserver ended on its own — unless this process is stopping: Ctrl-C at a
         * terminal reaches the control planes' processes too (they are in its process group), and they
         * end before this process stops them. kube-api-test's own message for it is off (logging
         * configuration); this one waits half a second for the shutdown to show.
         */
        private void reportUnlessStopping(Process process) {
            String what = "etcd or kube-apiserver (pid " + process.pid() + ")";
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
                if (!stopping && !shuttingDown()) {
                    LOG.severe(what + " of a simulated cluster stopped unexpectedly (exit code "
                            + (process.isAlive() ? "?" : String.valueOf(process.exitValue())) + ")");
                }
            });
        }

        /** Whether the JVM is shutting down (a hook cannot be added then). */
        private static boolean shuttingDown() {
            try {
                Thread hook = new Thread(() -> { });
                Runtime.getRuntime().addShutdownHook(hook);
                Runtime.getRuntime().removeShutdownHook(hook);
                return false;
            } catch (IllegalStateException e) {
                return true;
            }
        }

        /**
         * Stops both processes. When etcd exits before kube-apiserver has started, kube-api-test
         * marks the API server stopped and then starts it anyway: that process is found by its port
         * and ended here. What kube-api-test cannot clean up (a data folder never made) is not an
         * error here.
         */
        void stopAll() {
            stopping = true;
            try {
                stop();
            } catch (RuntimeException e) {
                LOG.fine(() -> "stopping: " + e);
            }
            Matcher port = SERVER.matcher(getKubeConfigYaml());
            if (port.find() && !port.group(1).equals("0")) {
                String securePort = port.group(1);
                ProcessHandle.current().children()
                        .filter(p -> p.info().arguments().map(a -> Arrays.asList(a).contains(securePort)).orElse(false))
                        .filter(p -> p.info().command().map(c -> c.endsWith("/kube-apiserver")).orElse(false))
                        .forEach(ProcessHandle::destroyForcibly);
            }
        }
    }
}
