package ablak.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.util.HexFormat;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class SecureTransportTest {

  @Test
  void aSelfSignedNodeServesHttpsWithHstsAndPrintsTheFingerprintOfWhatItServes(Vertx vertx) throws Exception {
    try (MachineStores stores = new MachineStores();
        AblakServer node = AblakServer.start(TestNodes.embeddedSettings(TestNodes.tempDataDir(), stores.environment(Map.of(
            "ABLAK_HTTP_TLS", "self-signed", "ABLAK_AUTH_SEED_DEMO_ACCOUNTS", "false"))))) {
      HttpResponse<Buffer> page = new Api(vertx, node.baseUrl()).get("/", null);

      assertThat(node.baseUrl()).startsWith("https://127.0.0.1:");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.getHeader("Strict-Transport-Security")).isEqualTo("max-age=31536000");
      assertThat(node.tlsFingerprint()).isEqualTo(fingerprintServedBy(URI.create(node.baseUrl())));
    }
  }

  @Test
  void plainHttpIsRefusedOnAnAddressOtherThanLoopback() {
    assertThatThrownBy(() -> AblakServer.start(TestNodes.embeddedSettings(TestNodes.tempDataDir(), Map.of(
        "ABLAK_HTTP_HOST", "192.0.2.10", "ABLAK_HTTP_TLS", "off"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loopback");
  }

  private static String fingerprintServedBy(URI url) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {new X509TrustManager() {
      @Override public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {}
      @Override public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {}
      @Override public java.security.cert.X509Certificate[] getAcceptedIssuers() { return new java.security.cert.X509Certificate[0]; }
    }}, null);
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(url.getHost(), url.getPort())) {
      socket.startHandshake();
      Certificate served = socket.getSession().getPeerCertificates()[0];
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(served.getEncoded()));
    }
  }
}
