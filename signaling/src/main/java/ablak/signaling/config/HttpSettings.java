package ablak.signaling.config;

/**
 * The HTTP + WebSocket listener.
 *
 * @param host address to bind; plain HTTP is refused unless this is a loopback address
 * @param port TCP port; 0 picks a free one
 * @param tls {@code auto}: PEM files if given, plain HTTP on loopback, else a generated
 *     self-signed certificate; {@code pem}; {@code self-signed}; {@code off} (loopback only)
 * @param tlsCertFile PEM certificate chain, used with {@code tlsKeyFile}
 * @param tlsKeyFile PEM private key (PKCS#8 or PKCS#1)
 * @param publicUrl the URL users type, printed at start; derived from host and port when empty
 * @param eventLoops server instances, one per event loop; 0 means one per CPU core
 * @param shutdownGraceSeconds how long a stopping node lets requests and sockets finish
 */
public record HttpSettings(
    String host,
    int port,
    String tls,
    String tlsCertFile,
    String tlsKeyFile,
    String publicUrl,
    String nodeUrl,
    int eventLoops,
    int shutdownGraceSeconds) {

  public static HttpSettings defaults() {
    return new HttpSettings("127.0.0.1", 8080, "auto", null, null, null, null, 0, 10);
  }
}
