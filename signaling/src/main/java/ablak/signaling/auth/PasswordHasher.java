package ablak.signaling.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes in the PHC string format
 * ({@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}), with the OWASP minimum parameters
 * (19 MiB, 2 passes, 1 lane; RFC 9106 section 4). Slow on purpose: call it off the event loop.
 */
public final class PasswordHasher {

  private static final int MEMORY_KIB = 19 * 1024;
  private static final int ITERATIONS = 2;
  private static final int PARALLELISM = 1;
  private static final int HASH_BYTES = 32;
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  /** A hash of a random password, verified against when the user does not exist, so that
   * answering "no such user" takes as long as "wrong password". */
  private final String decoy = hash(Tokens.random());

  public String hash(String password) {
    byte[] salt = Tokens.randomBytes(16);
    byte[] hash = derive(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES);
    return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM
        + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
  }

  public boolean verify(String password, String encoded) {
    String[] parts = encoded.split("\\$");
    if (parts.length != 6 || !parts[1].equals("argon2id") || !parts[2].equals("v=19")) {
      return false;
    }
    int memory = 0;
    int iterations = 0;
    int parallelism = 0;
    for (String parameter : parts[3].split(",")) {
      String[] kv = parameter.split("=", 2);
      int value = Integer.parseInt(kv[1]);
      switch (kv[0]) {
        case "m" -> memory = value;
        case "t" -> iterations = value;
        case "p" -> parallelism = value;
        default -> {
          return false;
        }
      }
    }
    byte[] expected = B64D.decode(parts[5]);
    byte[] actual = derive(password, B64D.decode(parts[4]), memory, iterations, parallelism, expected.length);
    return MessageDigest.isEqual(expected, actual);
  }

  /** Spends the time of one verification and fails; see {@link #decoy}. */
  public boolean verifyNobody(String password) {
    verify(password, decoy);
    return false;
  }

  private static byte[] derive(String password, byte[] salt, int memory, int iterations, int parallelism, int length) {
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(memory)
        .withIterations(iterations)
        .withParallelism(parallelism)
        .withSalt(salt)
        .build());
    byte[] out = new byte[length];
    generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
    return out;
  }
}
