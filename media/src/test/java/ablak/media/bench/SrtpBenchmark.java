package ablak.media.bench;

import ablak.media.rtp.PacketBuffer;
import ablak.media.rtp.Rtp;
import ablak.media.srtp.SrtpKeys;
import ablak.media.srtp.SrtpProfile;
import ablak.media.srtp.SrtpSession;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.utils.logging2.LoggerImpl;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.security.GeneralSecurityException;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * SRTP per packet, as the SFU does it, for a 1200-byte RTP packet: {@code protect} is one encrypt (what the SFU
 * does per subscriber), {@code protectThenUnprotect} one encrypt by the publisher and one decrypt by the SFU
 * with its replay check, so unprotect = the difference. {@code jitsi-srtp} is the library the SFU used before
 * (its contexts called directly, as the SFU did), {@code ablak} is {@link SrtpSession}.
 *
 * <pre>
 * mvn -B -q -pl media test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
 * java -cp media/target/test-classes:media/target/classes:$(cat media/target/test.classpath) org.openjdk.jmh.Main SrtpBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx256m")
public class SrtpBenchmark {
    private static final long SSRC = 0x12345678L;

    @Param({"jitsi-srtp", "ablak"})
    public String implementation;

    @Param({"AES_CM_128_HMAC_SHA1_80", "AEAD_AES_128_GCM"})
    public SrtpProfile profile;

    @Param({"1200"})
    public int packetBytes;

    private Endpoint publisher;
    private Endpoint sfu;
    private final PacketBuffer packet = new PacketBuffer(1500 + PacketBuffer.HEADROOM);
    private byte[] template;
    private int seq;

    /** One direction of SRTP: what the publisher encrypts, the SFU decrypts. */
    interface Endpoint {
        SrtpErrorStatus encrypt(PacketBuffer p) throws GeneralSecurityException;

        SrtpErrorStatus decrypt(PacketBuffer p) throws GeneralSecurityException;
    }

    @Setup
    public void setUp() throws GeneralSecurityException {
        Random random = new Random(1);
        byte[] material = new byte[profile.keyingMaterialLength()];
        random.nextBytes(material);
        SrtpKeys keys = SrtpKeys.fromKeyingMaterial(profile, material);
        if (implementation.equals("ablak")) {
            SrtpSession client = SrtpSession.forClient(keys);
            SrtpSession server = SrtpSession.forServer(keys);
            publisher = session(client);
            sfu = session(server);
        } else {
            publisher = jitsi(new SrtpContextFactory(true, keys.clientKey(), keys.clientSalt(), jitsiPolicy(true),
                    jitsiPolicy(true), new LoggerImpl("bench")).deriveContext((int) SSRC, 0));
            sfu = jitsi(new SrtpContextFactory(false, keys.clientKey(), keys.clientSalt(), jitsiPolicy(false),
                    jitsiPolicy(false), new LoggerImpl("bench")).deriveContext((int) SSRC, 0));
        }
        template = new byte[packetBytes];
        random.nextBytes(template);
        template[0] = (byte) 0x80;
        template[1] = 96;
        Rtp.setSsrc(template, 0, SSRC);
    }

    @Benchmark
    public int protect() throws GeneralSecurityException {
        next();
        check(publisher.encrypt(packet));
        return packet.getLength();
    }

    @Benchmark
    public int protectThenUnprotect() throws GeneralSecurityException {
        next();
        check(publisher.encrypt(packet));
        check(sfu.decrypt(packet));
        return packet.getLength();
    }

    private void next() {
        Rtp.setSequence(template, 0, seq++ & 0xFFFF);
        packet.set(template, 0, template.length);
    }

    private static void check(SrtpErrorStatus status) {
        if (status != SrtpErrorStatus.OK) {
            throw new IllegalStateException("SRTP failed: " + status);
        }
    }

    private static Endpoint session(SrtpSession s) {
        return new Endpoint() {
            public SrtpErrorStatus encrypt(PacketBuffer p) { return s.encryptRtp(p); }
            public SrtpErrorStatus decrypt(PacketBuffer p) { return s.decryptRtp(p); }
        };
    }

    private static Endpoint jitsi(SrtpCryptoContext context) {
        return new Endpoint() {
            public SrtpErrorStatus encrypt(PacketBuffer p) throws GeneralSecurityException { return context.transformPacket(p); }
            public SrtpErrorStatus decrypt(PacketBuffer p) throws GeneralSecurityException { return context.reverseTransformPacket(p, false); }
        };
    }

    private SrtpPolicy jitsiPolicy(boolean sender) {
        SrtpPolicy policy = profile == SrtpProfile.AEAD_AES_128_GCM
                ? new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, 16, SrtpPolicy.NULL_AUTHENTICATION, 0, 16, 12)
                : new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, 16, SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, 10, 14);
        policy.setSendReplayEnabled(!sender);
        return policy;
    }
}
