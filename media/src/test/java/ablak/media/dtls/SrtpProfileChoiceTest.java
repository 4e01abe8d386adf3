package ablak.media.dtls;

import ablak.media.srtp.SrtpProfile;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SrtpProfileChoiceTest {
    @Test
    void gcmIsChosenWhenOfferedWhateverTheClientsOrder() {
        assertThat(DtlsServer.choose(DtlsClients.CHROMIUM_PROFILES)).isEqualTo(SrtpProfile.AEAD_AES_128_GCM);
    }

    @Test
    void aClientOfferingOnlyAesCmGetsAesCm() {
        assertThat(DtlsServer.choose(new int[] {SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80}))
                .isEqualTo(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
    }

    @Test
    void noCommonProfileIsNoChoice() {
        assertThat(DtlsServer.choose(new int[] {SRTPProtectionProfile.SRTP_AEAD_AES_256_GCM,
                SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_32})).isNull();
    }
}
