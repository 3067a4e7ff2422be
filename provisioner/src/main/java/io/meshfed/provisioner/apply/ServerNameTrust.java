package io.meshfed.provisioner.apply;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * A kubeconfig cluster's {@code tls-server-name}, as client-go verifies it: the server's certificate
 * chain is checked against the cluster's CA as always, and its name against {@code tls-server-name}
 * instead of the host of the server URL (an API server reached by an address its certificate does not
 * name: a load balancer, a tunnel, {@code localhost}). Matching follows Go's
 * {@code x509.Certificate.VerifyHostname}: subject alternative names only, DNS names case-insensitively
 * with a wildcard only as the whole left-most label, IP addresses by value.
 */
final class ServerNameTrust extends X509ExtendedTrustManager {

    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;

    private final X509TrustManager chain;
    private final String serverName;

    private ServerNameTrust(X509TrustManager chain, String serverName) {
        this.chain = chain;
        this.serverName = serverName;
    }

    /** The trust managers with every X.509 one checking {@code serverName} instead of the URL's host. */
    static TrustManager[] wrap(TrustManager[] managers, String serverName) {
        TrustManager[] wrapped = managers.clone();
        for (int i = 0; i < wrapped.length; i++) {
            if (wrapped[i] instanceof X509TrustManager x509) {
                wrapped[i] = new ServerNameTrust(x509, serverName);
            }
        }
        return wrapped;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certificates, String authType) throws CertificateException {
        chain.checkServerTrusted(certificates, authType);   // the chain only: no endpoint given, none checked
        checkName(certificates[0], serverName);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certificates, String authType, Socket socket) throws CertificateException {
        checkServerTrusted(certificates, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certificates, String authType, SSLEngine engine) throws CertificateException {
        checkServerTrusted(certificates, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certificates, String authType) throws CertificateException {
        chain.checkClientTrusted(certificates, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certificates, String authType, Socket socket) throws CertificateException {
        chain.checkClientTrusted(certificates, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certificates, String authType, SSLEngine engine) throws CertificateException {
        chain.checkClientTrusted(certificates, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return chain.getAcceptedIssuers();
    }

    /** Whether the certificate names {@code name}; the names it has, in the exception, where it does not. */
    static void checkName(X509Certificate certificate, String name) throws CertificateException {
        List<String> names = new ArrayList<>();
        boolean ip = isIpAddress(name);
        for (List<?> entry : alternativeNames(certificate)) {
            int type = (Integer) entry.get(0);
            String value = String.valueOf(entry.get(1));
            names.add(value);
            if (ip && type == IP_ADDRESS && sameAddress(value, name) || !ip && type == DNS_NAME && matches(value, name)) {
                return;
            }
        }
        throw new CertificateException("the server's certificate is valid for " + (names.isEmpty() ? "no name"
                : String.join(", ", names)) + ", not for " + name + " (tls-server-name)");
    }

    private static Collection<List<?>> alternativeNames(X509Certificate certificate) throws CertificateParsingException {
        Collection<List<?>> names = certificate.getSubjectAlternativeNames();
        return names == null ? List.of() : names;
    }

    private static boolean matches(String pattern, String host) {
        String p = pattern.toLowerCase(Locale.ROOT).replaceFirst("\\.$", "");
        String h = host.toLowerCase(Locale.ROOT).replaceFirst("\\.$", "");
        if (!p.startsWith("*.")) {
            return p.equals(h);
        }
        int dot = h.indexOf('.');
        return dot > 0 && h.substring(dot).equals(p.substring(1));
    }

    private static boolean isIpAddress(String name) {
        return name.contains(":") || name.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    private static boolean sameAddress(String a, String b) {
        try {
            // literal addresses only: InetAddress resolves nothing for them
            return java.net.InetAddress.getByName(a).equals(java.net.InetAddress.getByName(b.replaceAll("^\\[|]$", "")));
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
