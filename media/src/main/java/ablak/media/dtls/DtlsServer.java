package ablak.media.dtls;

import ablak.media.srtp.SrtpKeys;
import ablak.media.srtp.SrtpProfile;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;

import java.io.IOException;
import java.util.Hashtable;
import java.util.List;
import java.util.Vector;

/**
 * The SFU's side of DTLS-SRTP (RFC 5764): DTLS 1.2 with an ECDSA certificate, a client certificate
 * required and checked against the SDP fingerprint, and the use_srtp extension settling the first of
 * {@link #PROFILES} the client offers: AEAD_AES_128_GCM when offered (Chromium does; it costs the SFU less per
 * packet, docs/performance.md), else SRTP_AES128_CM_HMAC_SHA1_80, which every browser offers.
 */
final class DtlsServer extends DefaultTlsServer {
    /** The SRTP protection profiles the SFU accepts, most preferred first. */
    static final List<SrtpProfile> PROFILES = List.of(SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.AES_CM_128_HMAC_SHA1_80);

    private final DtlsCertificate certificate;
    private final String remoteFingerprint;
    private final int handshakeTimeoutMillis;
    private volatile SrtpProfile profile;
    private volatile byte[] keyingMaterial;

    DtlsServer(DtlsCertificate certificate, String remoteFingerprint, int handshakeTimeoutMillis) {
        super(certificate.crypto());
        this.certificate = certificate;
        this.remoteFingerprint = remoteFingerprint;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return new int[] {
                CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
                CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
                CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        };
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() {
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), certificate.crypto(),
                certificate.privateKey(), certificate.certificate(),
                SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }

    /** RFC 8827 6.5: both ends present certificates; the client's is what the offer's fingerprint vouches for. */
    @Override
    public CertificateRequest getCertificateRequest() {
        short[] types = {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign};
        Vector<?> algorithms = TlsUtils.getDefaultSupportedSignatureAlgorithms(context);
        return new CertificateRequest(types, algorithms, null);
    }

    @Override
    public void notifyClientCertificate(org.bouncycastle.tls.Certificate clientCertificate) throws IOException {
        DtlsCertificate.verify(clientCertificate, remoteFingerprint);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        UseSRTPData offered = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
        profile = offered == null ? null : choose(offered.getProtectionProfiles());
        if (profile == null) {
            // RFC 5764 4.1.1: without a common profile there is no SRTP; fail the handshake.
            throw new TlsFatalAlert(AlertDescription.handshake_failure);
        }
    }

    /** Our preference decides, not the client's order (RFC 5764 4.1.1 leaves the choice to the server). */
    static SrtpProfile choose(int[] offered) {
        for (SrtpProfile p : PROFILES) {
            if (contains(offered, p.dtlsId())) {
                return p;
            }
        }
        return null;
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getServerExtensions() throws IOException {
        Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getServerExtensions());
        TlsSRTPUtils.addUseSRTPExtension(extensions,
                new UseSRTPData(new int[] {profile.dtlsId()}, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        // RFC 5764 4.2: the SRTP master keys and salts come from the TLS exporter.
        keyingMaterial = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, profile.keyingMaterialLength());
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return handshakeTimeoutMillis;
    }

    SrtpKeys srtpKeys() {
        return SrtpKeys.fromKeyingMaterial(profile, keyingMaterial);
    }

    private static boolean contains(int[] values, int wanted) {
        for (int v : values) {
            if (v == wanted) {
                return true;
            }
        }
        return false;
    }
}
