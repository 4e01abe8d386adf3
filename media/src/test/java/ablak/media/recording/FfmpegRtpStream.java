package ablak.media.recording;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Real RTP made by Debian's ffmpeg: a test source encoded and sent with ffmpeg's RTP muxer to a
 * socket on 127.0.0.1, captured packet by packet. Captured once per stream kind and shared.
 */
final class FfmpegRtpStream {

    static final long VIDEO_SSRC = 0x1234_5678L;
    static final long AUDIO_SSRC = 0x0BAD_CAFEL;
    static final int PAYLOAD_TYPE = 96;
    /** 2 s at 25 fps. */
    static final int VIDEO_FRAMES = 50;
    static final int WIDTH = 320;
    static final int HEIGHT = 240;

    private static List<byte[]> vp8;
    private static List<byte[]> h264;
    private static List<byte[]> opus;

    private FfmpegRtpStream() {
    }

    /** VP8 with a keyframe every 10 frames, 1200-byte packets, sequence numbers wrapping at 65536 mid-stream. */
    static synchronized List<byte[]> vp8() {
        if (vp8 == null) {
            vp8 = capture(List.of("-f", "lavfi", "-i", videoSource(), "-c:v", "libvpx", "-g", "10", "-b:v", "600k",
                    "-deadline", "realtime", "-cpu-used", "8"), VIDEO_SSRC, 65_500);
        }
        return vp8;
    }

    static synchronized List<byte[]> h264() {
        if (h264 == null) {
            h264 = capture(List.of("-f", "lavfi", "-i", videoSource(), "-c:v", "libx264", "-g", "10", "-bf", "0",
                    "-preset", "ultrafast", "-tune", "zerolatency", "-profile:v", "baseline", "-pix_fmt", "yuv420p"),
                    VIDEO_SSRC, 100);
        }
        return h264;
    }

    /** About 2 s of 20 ms Opus packets. */
    static synchronized List<byte[]> opus() {
        if (opus == null) {
            opus = capture(List.of("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=2",
                    "-c:a", "libopus", "-b:a", "32k", "-frame_duration", "20"), AUDIO_SSRC, 1000);
        }
        return opus;
    }

    private static String videoSource() {
        return "testsrc2=size=" + WIDTH + "x" + HEIGHT + ":rate=25:duration=2";
    }

    private static List<byte[]> capture(List<String> encode, long ssrc, int firstSequenceNumber) {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setReceiveBufferSize(4 << 20);
            List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin", "-v", "error"));
            command.addAll(encode);
            command.addAll(List.of("-payload_type", String.valueOf(PAYLOAD_TYPE), "-ssrc", String.valueOf((int) ssrc),
                    "-seq", String.valueOf(firstSequenceNumber), "-rtpflags", "skip_rtcp", "-pkt_size", "1200",
                    "-f", "rtp", "rtp://127.0.0.1:" + socket.getLocalPort()));
            Process ffmpeg = new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            List<byte[]> packets = new ArrayList<>();
            byte[] buffer = new byte[2048];
            socket.setSoTimeout(200);
            while (true) {
                DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(datagram);
                    packets.add(Arrays.copyOf(datagram.getData(), datagram.getLength()));
                } catch (SocketTimeoutException e) {
                    if (!ffmpeg.isAlive()) {
                        break;
                    }
                }
            }
            if (!ffmpeg.waitFor(10, TimeUnit.SECONDS) || ffmpeg.exitValue() != 0) {
                throw new IllegalStateException("ffmpeg failed: " + command);
            }
            requireContiguous(packets);
            return List.copyOf(packets);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The capture itself must be lossless, or the tests would not know what the recorder was given. */
    private static void requireContiguous(List<byte[]> packets) {
        for (int i = 1; i < packets.size(); i++) {
            if (sequenceNumber(packets.get(i)) != ((sequenceNumber(packets.get(i - 1)) + 1) & 0xFFFF)) {
                throw new IllegalStateException("the loopback capture lost or reordered packets at " + i);
            }
        }
    }

    static int sequenceNumber(byte[] packet) {
        return ((packet[2] & 0xFF) << 8) | (packet[3] & 0xFF);
    }

    static boolean marker(byte[] packet) {
        return (packet[1] & 0x80) != 0;
    }

    static Stream<byte[]> copies(List<byte[]> packets) {
        return packets.stream().map(byte[]::clone);
    }
}
