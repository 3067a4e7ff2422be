package io.meshfed.provisioner.trust;

import io.meshfed.model.resource.IssuedCa;
import io.meshfed.model.resource.Tree;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Each OSSM 3 cluster's intermediate CA (its {@code cacerts} Secret), issued from the inventory's root as
 * the Sail operator's guide makes it with openssl ({@code O=Istio, CN=Intermediate CA, L=<cluster>},
 * {@code CA:true, pathlen:0}, {@code istiod.<namespace>.svc}) — with BouncyCastle's PKIX, an EC P-256 key
 * and a year's validity. Issued once and kept: a run keeps the Secret on the cluster while it is valid
 * (it chains to this root, its key is the certificate's, it names the cluster, and more than a third of
 * its life is left), so a second run writes nothing; it is issued again when one of those fails. The
 * root's key is read from its {@link RootSource} (the inventory's files, or a Secret outside the mesh)
 * when a certificate must be signed, and never leaves this process.
 */
public final class IntermediateCas {

    private static final Duration VALIDITY = Duration.ofDays(365);

    private final RootSource root;
    private X509Certificate rootCertificate;
    private String rootPem;

    private IntermediateCas(RootSource root) {
        this.root = root;
    }

    /** For an inventory without OSSM 3 clusters: it has no cacerts to issue. */
    public static final IntermediateCas NONE = new IntermediateCas(null);

    /** An issuer from the root {@code root} holds. */
    public static IntermediateCas of(RootSource root) {
        return new IntermediateCas(root);
    }

    /**
     * The {@code cacerts} Secret's data (base64, by key) for {@code cluster}: {@code live}'s when it is valid,
     * else a new intermediate CA.
     */
    public synchronized Map<String, String> data(String cluster, String namespace, Map<String, Object> live) {
        Map<String, String> kept = kept(cluster, live);
        return kept != null ? kept : issue(cluster, namespace);
    }

    /** {@code live}'s data when it is a valid intermediate of this root for {@code cluster}, else null (nothing is issued). */
    public synchronized Map<String, String> kept(String cluster, Map<String, Object> live) {
        return live != null && whyNotValid(cluster, live) == null ? liveData(live) : null;
    }

    /** Why the live {@code cacerts} is not (or no longer) a valid intermediate for {@code cluster}, or null. */
    public synchronized String whyNotValid(String cluster, Map<String, Object> live) {
        Map<String, String> data = liveData(live);
        for (String key : new String[] {IssuedCa.CA_CERT, IssuedCa.CA_KEY, IssuedCa.ROOT_CERT, IssuedCa.CERT_CHAIN}) {
            if (!data.containsKey(key)) {
                return "it has no " + key;
            }
        }
        try {
            X509Certificate rootCert = rootCertificate();
            X509Certificate liveRoot = certificate(decode(data.get(IssuedCa.ROOT_CERT)));
            if (!Arrays.equals(liveRoot.getEncoded(), rootCert.getEncoded())) {
                return "its root-cert.pem is another root than mesh_trust.root_cert";
            }
            X509Certificate ca = certificate(decode(data.get(IssuedCa.CA_CERT)));
            try {
                ca.verify(rootCert.getPublicKey());
            } catch (GeneralSecurityException e) {
                return "its ca-cert.pem is not signed by the root";
            }
            var localities = new X509CertificateHolder(ca.getEncoded()).getSubject().getRDNs(BCStyle.L);
            String locality = localities.length == 0 ? null : localities[0].getFirst().getValue().toString();
            if (!cluster.equals(locality)) {
                return "its ca-cert.pem is issued for " + (locality == null ? "no cluster" : "cluster " + locality);
            }
            Instant notBefore = ca.getNotBefore().toInstant();
            Instant notAfter = ca.getNotAfter().toInstant();
            Duration left = Duration.between(Instant.now(), notAfter);
            if (left.compareTo(Duration.between(notBefore, notAfter).dividedBy(3)) < 0) {
                return "its ca-cert.pem expires " + notAfter + " (less than a third of its life left)";
            }
            if (!keyMatches(privateKey(decode(data.get(IssuedCa.CA_KEY))), ca.getPublicKey())) {
                return "its ca-key.pem is not ca-cert.pem's key";
            }
            return null;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return "it cannot be read as PEM certificates and a key (" + e.getMessage() + ")";
        }
    }

    private Map<String, String> issue(String cluster, String namespace) {
        try {
            X509Certificate rootCert = rootCertificate();
            PrivateKey rootKey;
            try {
                rootKey = privateKey(root.key());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(root.describe(true) + ": " + e.getMessage(), e);
            }
            // made here, not held in a static field: a native image would otherwise build in the seed it had at build time
            SecureRandom random = new SecureRandom();
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair keys = generator.generateKeyPair();
            Instant now = Instant.now();
            Instant notAfter = now.plus(VALIDITY);
            if (notAfter.isAfter(rootCert.getNotAfter().toInstant())) {
                notAfter = rootCert.getNotAfter().toInstant();
            }
            X500Name subject = new X500Name("O=Istio,CN=Intermediate CA,L=" + cluster);
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(rootCert, new BigInteger(128, random),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(notAfter), subject, keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation
                    | KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
            builder.addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(rootCert));
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, "istiod." + namespace + ".svc")));
            String algorithm = rootKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            X509Certificate ca = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(algorithm).build(rootKey)));
            String caPem = PemText.of(ca);
            Map<String, String> data = new LinkedHashMap<>();
            data.put(IssuedCa.CA_CERT, encode(caPem));
            data.put(IssuedCa.CA_KEY, encode(PemText.of(new JcaPKCS8Generator(keys.getPrivate(), null).generate())));
            data.put(IssuedCa.ROOT_CERT, encode(rootPem));
            data.put(IssuedCa.CERT_CHAIN, encode(caPem + rootPem));
            return data;
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot issue the intermediate CA of " + cluster + " from mesh_trust: "
                    + e.getMessage(), e);
        }
    }

    private X509Certificate rootCertificate() throws IOException, GeneralSecurityException {
        if (root == null) {
            throw new IllegalStateException("the inventory has no mesh_trust");
        }
        if (rootCertificate == null) {
            X509Certificate cert;
            try {
                cert = certificate(root.certificate());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(root.describe(false) + ": " + e.getMessage(), e);
            }
            if (cert.getBasicConstraints() < 0) {
                throw new IllegalArgumentException(root.describe(false) + " is not a CA certificate");
            }
            rootCertificate = cert;
            rootPem = PemText.of(cert);
        }
        return rootCertificate;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> liveData(Map<String, Object> live) {
        return Tree.get(live, "data") instanceof Map<?, ?> m ? new LinkedHashMap<>((Map<String, String>) m) : Map.of();
    }

    private static X509Certificate certificate(String pem) throws IOException, GeneralSecurityException {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object = parser.readObject();
            if (!(object instanceof X509CertificateHolder holder)) {
                throw new IllegalArgumentException("not a PEM certificate");
            }
            return new JcaX509CertificateConverter().getCertificate(holder);
        }
    }

    private static PrivateKey privateKey(String pem) throws IOException {
        try (Reader reader = new StringReader(pem); PEMParser parser = new PEMParser(reader)) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            throw new IllegalArgumentException("not a PEM private key (an encrypted key is not supported)");
        }
    }

    private static boolean keyMatches(PrivateKey key, PublicKey publicKey) throws GeneralSecurityException {
        String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        byte[] probe = new byte[32];
        new SecureRandom().nextBytes(probe);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(publicKey);
        verifier.update(probe);
        return verifier.verify(signature);
    }

    private static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
