package ablak.signaling.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The certificate and key the server presents, as PEM text, with the SHA-256 fingerprint users
 * compare when their browser warns about a self-signed certificate.
 */
public record ServerCertificate(String certificatePem, String privateKeyPem, String fingerprint) {

  public static ServerCertificate fromFiles(Path certificate, Path privateKey) {
    try {
      String certificatePem = Files.readString(certificate);
      return new ServerCertificate(certificatePem, Files.readString(privateKey), fingerprint(certificatePem));
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the TLS certificate or key", e);
    }
  }

  /**
   * The self-signed certificate kept in {@code <dataDir>/tls}, generated on first use (ECDSA
   * P-256, valid for a year, naming localhost, the configured host and this machine's addresses)
   * so that the fingerprint users accepted stays the same across restarts.
   */
  public static ServerCertificate selfSigned(Path dataDir, String host) {
    Path dir = dataDir.resolve("tls");
    Path certificate = dir.resolve("self-signed.crt");
    Path privateKey = dir.resolve("self-signed.key");
    if (Files.exists(certificate) && Files.exists(privateKey)) {
      return fromFiles(certificate, privateKey);
    }
    try {
      Files.createDirectories(dir);
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair keys = generator.generateKeyPair();
      Instant now = Instant.now();
      X500Name subject = new X500Name("CN=Ablak self-signed");
      JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(64, new java.security.SecureRandom()),
          Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(365))), subject, keys.getPublic());
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names(host).toArray(GeneralName[]::new)));
      X509Certificate x509 = new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
      String certificatePem = pem(x509);
      String keyPem = pem(new JcaPKCS8Generator(keys.getPrivate(), null));
      Files.writeString(privateKey, keyPem);
      privateKey.toFile().setReadable(false, false);
      privateKey.toFile().setReadable(true, true);
      Files.writeString(certificate, certificatePem);
      return new ServerCertificate(certificatePem, keyPem, fingerprint(certificatePem));
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the self-signed certificate", e);
    } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
      throw new IllegalStateException("could not generate a self-signed certificate", e);
    }
  }

  /** SHA-256 of the DER certificate, upper-case hex pairs joined by colons, as browsers show it. */
  static String fingerprint(String certificatePem) {
    try {
      X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(certificatePem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the TLS certificate is not a PEM X.509 certificate", e);
    }
  }

  private static List<GeneralName> names(String host) {
    Set<String> dns = new LinkedHashSet<>(List.of("localhost"));
    Set<String> ips = new LinkedHashSet<>(List.of("127.0.0.1", "::1"));
    if (host.matches("[0-9.]+|.*:.*")) {
      ips.add(host);
    } else {
      dns.add(host);
    }
    try {
      dns.add(InetAddress.getLocalHost().getHostName());
      for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InetAddress address : Collections.list(network.getInetAddresses())) {
          String text = address.getHostAddress();
          int zone = text.indexOf('%');
          ips.add(zone < 0 ? text : text.substring(0, zone));
        }
      }
    } catch (IOException e) {
      // The names already collected still make a usable certificate.
    }
    ips.remove("0.0.0.0");
    ips.remove("::");
    List<GeneralName> names = new ArrayList<>();
    dns.forEach(name -> names.add(new GeneralName(GeneralName.dNSName, name)));
    ips.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
    return names;
  }

  private static String pem(X509Certificate certificate) throws IOException {
    return pem(new org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator(certificate));
  }

  private static String pem(org.bouncycastle.util.io.pem.PemObjectGenerator object) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    }
    return text.toString();
  }
}
