package ablak.media;

import ablak.media.recording.RecordingSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything the SFU can be told, with the defaults it runs on.
 *
 * @param bindAddress           the address the one media UDP socket binds to (all calls share it)
 * @param port                  the media UDP port; 0 picks a free one (tests)
 * @param advertisedAddresses   addresses put into the SDP answer as host candidates; empty means the
 *                              bind address. Static NAT: list the public address here (RFC 8445 5.1.1.2)
 * @param acceptLoopbackOnly    accept ICE sessions only from loopback sources; tests set it so traffic
 *                              never leaves 127.0.0.1 even though the browser also probes other interfaces
 * @param dtlsHandshakeTimeout  how long a peer may take to finish DTLS after it was answered
 * @param connectTimeout        how long a transport may stay without ICE+DTLS before it is closed
 * @param idleTimeout           a connected transport that receives nothing (no RTP, no RTCP) this long is
 *                              closed: the browser's network is gone (its RTCP alone arrives every few seconds)
 * @param keyframeRequestInterval  at most one PLI per publisher track per interval (RFC 4585 6.3)
 * @param rtcpReportInterval    how often SR/RR/REMB are sent (RFC 3550 6.2 allows 5% of session bandwidth;
 *                              one compound packet a second per stream is well under that)
 * @param videoBitrateBps       the bitrate announced to publishers with REMB (draft-alvestrand-rmcat-remb)
 * @param packetCacheSize       packets kept per published video track to answer NACKs (RFC 4585 6.2.1)
 * @param maxSdpBytes           offers larger than this are rejected before parsing
 * @param earlySrtpPackets      SRTP packets kept while DTLS has not produced keys yet
 * @param udpReceiveBufferBytes receive buffer of the media socket: a burst from many publishers must fit
 *                              while the packet path catches up (the kernel caps it at net.core.rmem_max)
 * @param turn                  TURN servers and the shared secret for REST-API credentials; null: none
 * @param recording             how calls are recorded; a relative directory is taken by the server as inside
 *                              its data directory ({@code stores.dataDir})
 * @param sessionIdleTimeout    a WHIP or WHEP session through which no RTP flowed this long (from its client for
 *                              WHIP, to it for WHEP) is ended as if DELETEd; zero: only failed transports end it
 */
public record MediaSettings(
        String bindAddress,
        int port,
        List<String> advertisedAddresses,
        boolean acceptLoopbackOnly,
        Duration dtlsHandshakeTimeout,
        Duration connectTimeout,
        Duration idleTimeout,
        Duration keyframeRequestInterval,
        Duration rtcpReportInterval,
        long videoBitrateBps,
        int packetCacheSize,
        int maxSdpBytes,
        int earlySrtpPackets,
        int udpReceiveBufferBytes,
        TurnSettings turn,
        RecordingSettings recording,
        Duration sessionIdleTimeout) {

    public MediaSettings {
        Objects.requireNonNull(bindAddress, "bindAddress");
        advertisedAddresses = List.copyOf(advertisedAddresses);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (packetCacheSize < 16 || Integer.bitCount(packetCacheSize) != 1) {
            throw new IllegalArgumentException("packetCacheSize must be a power of two >= 16");
        }
        Objects.requireNonNull(recording, "recording");
        if (sessionIdleTimeout == null || sessionIdleTimeout.isNegative()) {
            throw new IllegalArgumentException("sessionIdleTimeout must be zero or positive");
        }
    }

    /** Production defaults: UDP 10000 on every interface, like most SFUs. */
    public static MediaSettings defaults() {
        return new MediaSettings("0.0.0.0", 10000, List.of(), false,
                Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(10), Duration.ofMillis(300),
                Duration.ofSeconds(1), 2_500_000, 256, 32 * 1024, 64, 4 << 20, null,
                RecordingSettings.defaults().withDirectory(Path.of("recordings")), Duration.ofMinutes(2));
    }

    /** Loopback only, a free port: what tests and the benchmark use. */
    public static MediaSettings loopback() {
        return defaults().withBind("127.0.0.1", 0).withAcceptLoopbackOnly(true);
    }

    public MediaSettings withBind(String address, int port) {
        return new MediaSettings(address, port, advertisedAddresses, acceptLoopbackOnly, dtlsHandshakeTimeout,
                connectTimeout, idleTimeout, keyframeRequestInterval, rtcpReportInterval, videoBitrateBps, packetCacheSize,
                maxSdpBytes, earlySrtpPackets, udpReceiveBufferBytes, turn, recording, sessionIdleTimeout);
    }

    public MediaSettings withAcceptLoopbackOnly(boolean loopbackOnly) {
        return new MediaSettings(bindAddress, port, advertisedAddresses, loopbackOnly, dtlsHandshakeTimeout,
                connectTimeout, idleTimeout, keyframeRequestInterval, rtcpReportInterval, videoBitrateBps, packetCacheSize,
                maxSdpBytes, earlySrtpPackets, udpReceiveBufferBytes, turn, recording, sessionIdleTimeout);
    }

    public MediaSettings withAdvertisedAddresses(List<String> addresses) {
        return new MediaSettings(bindAddress, port, addresses, acceptLoopbackOnly, dtlsHandshakeTimeout,
                connectTimeout, idleTimeout, keyframeRequestInterval, rtcpReportInterval, videoBitrateBps, packetCacheSize,
                maxSdpBytes, earlySrtpPackets, udpReceiveBufferBytes, turn, recording, sessionIdleTimeout);
    }

    public MediaSettings withTimeouts(Duration dtlsHandshake, Duration connect, Duration idle) {
        return new MediaSettings(bindAddress, port, advertisedAddresses, acceptLoopbackOnly, dtlsHandshake,
                connect, idle, keyframeRequestInterval, rtcpReportInterval, videoBitrateBps, packetCacheSize,
                maxSdpBytes, earlySrtpPackets, udpReceiveBufferBytes, turn, recording, sessionIdleTimeout);
    }

    public MediaSettings withRecording(RecordingSettings recordingSettings) {
        return new MediaSettings(bindAddress, port, advertisedAddresses, acceptLoopbackOnly, dtlsHandshakeTimeout,
                connectTimeout, idleTimeout, keyframeRequestInterval, rtcpReportInterval, videoBitrateBps, packetCacheSize,
                maxSdpBytes, earlySrtpPackets, udpReceiveBufferBytes, turn, recordingSettings, sessionIdleTimeout);
    }

    public MediaSettings withSessionIdleTimeout(Duration timeout) {
        return new MediaSettings(bindAddress, port, advertisedAddresses, acceptLoopbackOnly, dtlsHandshakeTimeout,
                connectTimeout, idleTimeout, keyframeRequestInterval, rtcpReportInterval, videoBitrateBps, packetCacheSize,
                maxSdpBytes, earlySrtpPackets, udpReceiveBufferBytes, turn, recording, timeout);
    }

    public MediaSettings withTurn(TurnSettings turnSettings) {
        return new MediaSettings(bindAddress, port, advertisedAddresses, acceptLoopbackOnly, dtlsHandshakeTimeout,
                connectTimeout, idleTimeout, keyframeRequestInterval, rtcpReportInterval, videoBitrateBps, packetCacheSize,
                maxSdpBytes, earlySrtpPackets, udpReceiveBufferBytes, turnSettings, recording, sessionIdleTimeout);
    }

    /**
     * TURN servers handed to clients (for UDP-blocking firewalls), with credentials in the TURN REST API
     * scheme coturn implements (use-auth-secret / static-auth-secret).
     *
     * @param urls           e.g. {@code turns:turn.example.org:443?transport=tcp}
     * @param sharedSecret   coturn's static-auth-secret; never logged
     * @param credentialTtl  how long a credential stays valid
     */
    public record TurnSettings(List<String> urls, String sharedSecret, Duration credentialTtl) {
        public TurnSettings {
            urls = List.copyOf(urls);
            Objects.requireNonNull(sharedSecret, "sharedSecret");
        }

        @Override
        public String toString() {
            return "TurnSettings[urls=" + urls + ", sharedSecret=<hidden>, credentialTtl=" + credentialTtl + "]";
        }
    }
}
