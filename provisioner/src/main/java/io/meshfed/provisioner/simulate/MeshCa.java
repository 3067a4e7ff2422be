package io.meshfed.provisioner.simulate;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import io.meshfed.provisioner.trust.PemText;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * A mesh's self-signed root CA, as istiod generates one: a real X.509 v3 CA certificate (EC P-256,
 * ten years), written as PEM. The simulated istiod publishes it in {@code istio-ca-root-cert}.
 */
public final class MeshCa {

    private MeshCa() {
    }

    /** The PEM certificate and PEM private key of a new root CA for {@code trustDomain}. */
    public record Pem(String certificate, String privateKey) {
    }

    public static Pem generate(String trustDomain) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair keys = generator.generateKeyPair();
            X500Name subject = new X500Name("O=" + trustDomain + ",CN=Root CA");
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(128, new SecureRandom()), Date.from(now.minus(Duration.ofMinutes(5))),
                    Date.from(now.plus(Duration.ofDays(3650))), subject, keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign
                    | KeyUsage.digitalSignature));
            X509CertificateHolder certificate = builder.build(new JcaContentSignerBuilder("SHA256withECDSA")
                    .build(keys.getPrivate()));
            return new Pem(PemText.of(certificate), PemText.of(keys.getPrivate()));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot generate a root CA for " + trustDomain, e);
        }
    }

}
