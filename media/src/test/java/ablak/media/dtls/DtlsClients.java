package ablak.media.dtls;

import ablak.media.srtp.SrtpKeys;
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

    /** Runs a DTLS 1.2 client handshake and returns the SRTP keys; the server must match its fingerprint. */
    public static SrtpKeys connect(DtlsCertificate own, String serverFingerprint, DatagramTransport transport) throws IOException {
        Client client = new Client(own, serverFingerprint);
        new DTLSClientProtocol().connect(client, transport);
        return SrtpKeys.fromKeyingMaterial(client.keyingMaterial);
    }

    private static final class Client extends DefaultTlsClient {
        private final DtlsCertificate own;
        private final String serverFingerprint;
        private byte[] keyingMaterial;

        Client(DtlsCertificate own, String serverFingerprint) {
            super(own.crypto());
            this.own = own;
            this.serverFingerprint = serverFingerprint;
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
                    new UseSRTPData(new int[] {SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80}, TlsUtils.EMPTY_BYTES));
            return extensions;
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
            keyingMaterial = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, 60);
        }
    }
}
