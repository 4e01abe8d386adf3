package ablak.media.dtls;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A self-signed ECDSA P-256 certificate made at start. WebRTC authenticates DTLS by the certificate's
 * fingerprint carried in SDP, not by a CA (RFC 8122 5, RFC 8827 6.5), so a fresh key per process is right.
 */
public final class DtlsCertificate {
    private final BcTlsCrypto crypto;
    private final Certificate certificate;
    private final AsymmetricKeyParameter privateKey;
    private final String fingerprint;

    private DtlsCertificate(BcTlsCrypto crypto, Certificate certificate, AsymmetricKeyParameter privateKey, String fingerprint) {
        this.crypto = crypto;
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.fingerprint = fingerprint;
    }

    public static DtlsCertificate generate(String commonName) {
        try {
            SecureRandom random = new SecureRandom();
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair keys = generator.generateKeyPair();
            Instant now = Instant.now();
            X500Name name = new X500Name("CN=" + commonName);
            X509CertificateHolder holder = new JcaX509v3CertificateBuilder(name, new BigInteger(64, random),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))), name, keys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
            byte[] der = holder.getEncoded();
            BcTlsCrypto crypto = new BcTlsCrypto(random);
            Certificate certificate = new Certificate(new TlsCertificate[] {crypto.createCertificate(der)});
            return new DtlsCertificate(crypto, certificate, PrivateKeyFactory.createKey(keys.getPrivate().getEncoded()),
                    sha256Fingerprint(der));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot generate the DTLS certificate", e);
        }
    }

    /** SHA-256 of the DER encoding, upper-case hex pairs joined by colons (RFC 8122 5). */
    public static String sha256Fingerprint(byte[] der) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(der);
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Accepts the peer only if its certificate hashes to the fingerprint its SDP announced (RFC 8122 5). */
    static void verify(Certificate peer, String expectedFingerprint) throws IOException {
        if (peer == null || peer.isEmpty()) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate);
        }
        String actual = sha256Fingerprint(peer.getCertificateAt(0).getEncoded());
        if (!actual.equalsIgnoreCase(expectedFingerprint.toUpperCase(Locale.ROOT))) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate);
        }
    }

    public String fingerprint() { return fingerprint; }
    BcTlsCrypto crypto() { return crypto; }
    Certificate certificate() { return certificate; }
    AsymmetricKeyParameter privateKey() { return privateKey; }
}
