package ablak.media.dtls;

import ablak.media.srtp.SrtpKeys;
import ablak.media.srtp.SrtpProfile;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;

import java.io.IOException;
import java.util.Hashtable;

/** The browser's side of DTLS-SRTP, written with the same library, for synthetic peers in tests and benchmarks. */
public final class DtlsClients {
    private DtlsClients() {
    }

    /** What Chromium offers in use_srtp, in its order. */
    public static final int[] CHROMIUM_PROFILES = {SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80,
            SRTPProtectionProfile.SRTP_AEAD_AES_256_GCM, SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM};

    /** The profile the SFU settles with Chromium, for harnesses that key SRTP without a handshake. */
    public static SrtpProfile chromiumProfile() {
        return DtlsServer.choose(CHROMIUM_PROFILES);
    }

    /** Random keys of {@link #chromiumProfile()}, as if from a handshake. */
    public static SrtpKeys randomChromiumKeys() {
        SrtpProfile profile = chromiumProfile();
        byte[] material = new byte[profile.keyingMaterialLength()];
        new java.security.SecureRandom().nextBytes(material);
        return SrtpKeys.fromKeyingMaterial(profile, material);
    }

    /** Runs a DTLS 1.2 client handshake offering Chromium's SRTP profiles; the server must match its fingerprint. */
    public static SrtpKeys connect(DtlsCertificate own, String serverFingerprint, DatagramTransport transport) throws IOException {
        return connect(own, serverFingerprint, transport, CHROMIUM_PROFILES);
    }

    /** The same, offering only {@code profiles}; returns the keys of the profile the server chose. */
    public static SrtpKeys connect(DtlsCertificate own, String serverFingerprint, DatagramTransport transport,
                                   int... profiles) throws IOException {
        Client client = new Client(own, serverFingerprint, profiles);
        new DTLSClientProtocol().connect(client, transport);
        return SrtpKeys.fromKeyingMaterial(client.profile, client.keyingMaterial);
    }

    private static final class Client extends DefaultTlsClient {
        private final DtlsCertificate own;
        private final String serverFingerprint;
        private final int[] profiles;
        private SrtpProfile profile;
        private byte[] keyingMaterial;

        Client(DtlsCertificate own, String serverFingerprint, int[] profiles) {
            super(own.crypto());
            this.own = own;
            this.serverFingerprint = serverFingerprint;
            this.profiles = profiles;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return new int[] {CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256};
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        public Hashtable getClientExtensions() throws IOException {
            Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
            TlsSRTPUtils.addUseSRTPExtension(extensions,
                    new UseSRTPData(profiles, TlsUtils.EMPTY_BYTES));
            return extensions;
        }

        @Override
        @SuppressWarnings("rawtypes")
        public void processServerExtensions(Hashtable serverExtensions) throws IOException {
            super.processServerExtensions(serverExtensions);
            UseSRTPData chosen = TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
            profile = SrtpProfile.byDtlsId(chosen.getProtectionProfiles()[0]);
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new TlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                    DtlsCertificate.verify(serverCertificate.getCertificate(), serverFingerprint);
                }

                @Override
                public TlsCredentials getClientCredentials(CertificateRequest request) {
                    return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), own.crypto(),
                            own.privateKey(), own.certificate(),
                            SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
                }
            };
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            keyingMaterial = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, profile.keyingMaterialLength());
        }
    }
}
