package io.meshfed.provisioner.trust;

import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** Certificates and keys as PEM text (BouncyCastle's writer), as istiod's cacerts and kubeconfigs hold them. */
public final class PemText {

    private PemText() {
    }

    /** A certificate (JCA or BouncyCastle's holder), a key, or a PKCS#8 object, as PEM. */
    public static String of(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
