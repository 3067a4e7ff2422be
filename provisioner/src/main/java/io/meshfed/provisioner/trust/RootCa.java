package io.meshfed.provisioner.trust;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * A mesh's root of trust for users without a PKI, as Istio's {@code tools/certs/Makefile.selfsigned.mk}
 * makes one ({@code root-ca}: RSA 4096, {@code O=Istio, CN=Root CA}, ten years; CA, keyCertSign): the
 * root the inventory's {@code mesh_trust} names, from which meshfed issues each cluster's intermediate.
 */
public final class RootCa {

    private RootCa() {
    }

    /** The new root's certificate and PKCS#8 private key, as PEM. */
    public record Pem(String certificate, String privateKey) {
    }

    public static Pem create(String organization, Duration validity) {
        try {
            SecureRandom random = new SecureRandom();
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(4096, random);
            KeyPair keys = generator.generateKeyPair();
            X500Name subject = new X500Name(new X500Name("O=" + organization + ",CN=Root CA").toString());
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(128, random),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(validity)), subject, keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation
                    | KeyUsage.keyEncipherment | KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
            X509CertificateHolder certificate = builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()));
            return new Pem(PemText.of(certificate), PemText.of(new JcaPKCS8Generator(keys.getPrivate(), null).generate()));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot make a root CA: " + e.getMessage(), e);
        }
    }

}
