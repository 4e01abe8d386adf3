package ablak.media.sdp;

import ablak.media.rtp.MediaKind;
import ablak.media.sdp.SdpException.Reason;
import ablak.media.sdp.SdpOffer.Media;
import ablak.media.sdp.SdpOffer.PayloadType;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a client's SDP offer (RFC 8866 syntax, JSEP RFC 8829 content) strictly: sizes and counts are bounded
 * before anything is allocated per line, every number is range-checked, and anything the SFU would have to
 * guess about is a typed {@link SdpException}.
 */
public final class SdpParser {
    public static final int MAX_MEDIA = 16;
    private static final int MAX_LINE = 4096;
    private static final int MAX_LINES = 2000;
    private static final Pattern LINE = Pattern.compile("[a-z]=[\\x20-\\x7E\\t]*");
    /** RFC 8839 5.4: ice-char = ALPHA / DIGIT / "+" / "/". */
    private static final Pattern ICE_CHARS = Pattern.compile("[A-Za-z0-9+/]+");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`{|}~-]{1,64}");
    private static final Pattern SHA256 = Pattern.compile("(?i)sha-256 ([0-9a-f]{2}(:[0-9a-f]{2}){31})");

    private SdpParser() {
    }

    public static SdpOffer parse(String sdp, int maxBytes) throws SdpException {
        if (sdp == null || sdp.isEmpty()) {
            throw new SdpException(Reason.MALFORMED, "empty offer");
        }
        if (sdp.length() > maxBytes) {
            throw new SdpException(Reason.TOO_LARGE, "offer is " + sdp.length() + " characters, limit " + maxBytes);
        }
        String[] lines = sdp.split("\r?\n", MAX_LINES + 1);
        if (lines.length > MAX_LINES) {
            throw new SdpException(Reason.TOO_LARGE, "more than " + MAX_LINES + " lines");
        }
        if (!"v=0".equals(lines[0].trim())) {
            throw new SdpException(Reason.MALFORMED, "first line must be v=0");
        }

        Section session = new Section(-1, null);
        List<Section> sections = new ArrayList<>();
        Section current = session;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            if (line.length() > MAX_LINE || !LINE.matcher(line).matches()) {
                throw new SdpException(Reason.MALFORMED, "line " + (i + 1) + " is not an SDP line");
            }
            if (line.startsWith("m=")) {
                if (sections.size() == MAX_MEDIA) {
                    throw new SdpException(Reason.TOO_MANY_MEDIA, "more than " + MAX_MEDIA + " media sections");
                }
                current = new Section(sections.size(), line.substring(2));
                sections.add(current);
            } else if (line.startsWith("a=")) {
                current.attributes.add(line.substring(2));
            }
        }
        if (sections.isEmpty()) {
            throw new SdpException(Reason.NO_ACCEPTABLE_MEDIA, "no media sections");
        }

        Set<String> bundle = new HashSet<>();
        for (String a : session.attributes) {
            if (a.startsWith("group:BUNDLE")) {
                for (String mid : a.substring("group:BUNDLE".length()).trim().split(" +")) {
                    if (!mid.isEmpty()) {
                        bundle.add(mid);
                    }
                }
            }
        }

        List<Media> media = new ArrayList<>();
        Set<String> mids = new HashSet<>();
        String ufrag = null;
        String pwd = null;
        String fingerprint = null;
        for (Section s : sections) {
            Media m = parseMedia(s);
            if (!mids.add(m.mid())) {
                throw new SdpException(Reason.MALFORMED, "duplicate mid " + m.mid());
            }
            media.add(m);
            if (m.kind().isEmpty()) {
                continue;
            }
            if (!bundle.contains(m.mid())) {
                throw new SdpException(Reason.NOT_BUNDLED, "mid " + m.mid() + " is not in a=group:BUNDLE");
            }
            if (!s.has("rtcp-mux")) {
                throw new SdpException(Reason.NO_RTCP_MUX, "mid " + m.mid() + " lacks a=rtcp-mux");
            }
            ufrag = firstNonNull(ufrag, s.value("ice-ufrag"), session.value("ice-ufrag"));
            pwd = firstNonNull(pwd, s.value("ice-pwd"), session.value("ice-pwd"));
            fingerprint = firstNonNull(fingerprint, s.value("fingerprint"), session.value("fingerprint"));
            String setup = firstNonNull(s.value("setup"), session.value("setup"));
            // RFC 5763 5: the offerer says actpass (or active); we answer passive and wait for its ClientHello.
            if (setup == null || !(setup.equals("actpass") || setup.equals("active"))) {
                throw new SdpException(Reason.UNSUPPORTED_SETUP, "a=setup must be actpass or active, was " + setup);
            }
        }
        if (media.stream().allMatch(m -> m.kind().isEmpty())) {
            throw new SdpException(Reason.NO_ACCEPTABLE_MEDIA, "no audio or video section");
        }
        if (ufrag == null || pwd == null || ufrag.length() < 4 || ufrag.length() > 256 || pwd.length() < 22
                || pwd.length() > 256 || !ICE_CHARS.matcher(ufrag).matches() || !ICE_CHARS.matcher(pwd).matches()) {
            throw new SdpException(Reason.MISSING_ICE_CREDENTIALS, "a=ice-ufrag (4-256) and a=ice-pwd (22-256) required");
        }
        if (fingerprint == null) {
            throw new SdpException(Reason.MISSING_FINGERPRINT, "a=fingerprint required");
        }
        var fp = SHA256.matcher(fingerprint.trim());
        if (!fp.matches()) {
            throw new SdpException(Reason.MISSING_FINGERPRINT, "only sha-256 fingerprints are accepted");
        }
        return new SdpOffer(ufrag, pwd, fp.group(1).toUpperCase(Locale.ROOT), media);
    }

    private static Media parseMedia(Section s) throws SdpException {
        String[] m = s.mLine.split(" ");
        if (m.length < 4) {
            throw new SdpException(Reason.MALFORMED, "m-line needs type, port, proto and formats");
        }
        int port = number(m[1].split("/")[0], 0, 65535, "port");
        s.rejected = port == 0;
        String mid = s.value("mid");
        if (mid == null || !TOKEN.matcher(mid).matches()) {
            throw new SdpException(Reason.MALFORMED, "media section " + s.index + " needs a=mid");
        }
        Optional<MediaKind> kind = switch (m[0]) {
            case "audio" -> Optional.of(MediaKind.AUDIO);
            case "video" -> Optional.of(MediaKind.VIDEO);
            default -> Optional.empty();
        };
        if (s.rejected || !m[2].equals("UDP/TLS/RTP/SAVPF")) {
            // RFC 8829 5.1.2: WebRTC media is DTLS-SRTP with feedback; anything else is not ours to carry.
            // A section the offerer itself disabled (port 0) stays disabled (RFC 3264 6).
            kind = Optional.empty();
        }

        Map<Integer, String[]> rtpmaps = new LinkedHashMap<>();
        Map<Integer, String> fmtps = new LinkedHashMap<>();
        Map<Integer, List<String>> feedback = new LinkedHashMap<>();
        List<Long> ssrcs = new ArrayList<>();
        Set<Long> secondary = new HashSet<>();
        Direction direction = Direction.SENDRECV;
        for (String a : s.attributes) {
            int colon = a.indexOf(':');
            String name = colon < 0 ? a : a.substring(0, colon);
            String value = colon < 0 ? "" : a.substring(colon + 1);
            switch (name) {
                case "sendrecv", "sendonly", "recvonly", "inactive" -> direction = Direction.valueOf(name.toUpperCase(Locale.ROOT));
                case "rtpmap" -> {
                    String[] parts = value.split(" ", 2);
                    String[] enc = parts.length == 2 ? parts[1].split("/") : new String[0];
                    if (enc.length < 2) {
                        throw new SdpException(Reason.MALFORMED, "bad a=rtpmap:" + value);
                    }
                    rtpmaps.put(number(parts[0], 0, 127, "payload type"), enc);
                }
                case "fmtp" -> {
                    String[] parts = value.split(" ", 2);
                    fmtps.put(number(parts[0], 0, 127, "payload type"), parts.length == 2 ? parts[1] : "");
                }
                case "rtcp-fb" -> {
                    String[] parts = value.split(" ", 2);
                    if (parts.length == 2 && !parts[0].equals("*")) {
                        feedback.computeIfAbsent(number(parts[0], 0, 127, "payload type"), k -> new ArrayList<>())
                                .add(parts[1].trim());
                    }
                }
                case "ssrc" -> {
                    long ssrc = number(value.split(" ", 2)[0], 0, 0xFFFFFFFFL, "ssrc");
                    if (!ssrcs.contains(ssrc)) {
                        ssrcs.add(ssrc);
                    }
                }
                case "ssrc-group" -> {
                    String[] parts = value.split(" ");
                    // RFC 5576 4.2 / RFC 4588 8.6: in FID and FEC-FR groups the later SSRCs repair the first.
                    for (int i = 2; i < parts.length; i++) {
                        secondary.add(number(parts[i], 0, 0xFFFFFFFFL, "ssrc"));
                    }
                }
                default -> { }
            }
        }
        ssrcs.removeAll(secondary);

        List<PayloadType> pts = new ArrayList<>();
        for (int i = 3; i < m.length; i++) {
            if (kind.isEmpty()) {
                break;
            }
            int pt = number(m[i], 0, 127, "payload type");
            String[] enc = rtpmaps.get(pt);
            if (enc == null) {
                continue;
            }
            int clock = number(enc[1], 1, 1_000_000, "clock rate");
            int channels = enc.length > 2 ? number(enc[2], 1, 8, "channels") : 0;
            pts.add(new PayloadType(pt, enc[0], clock, channels, fmtps.getOrDefault(pt, ""),
                    feedback.getOrDefault(pt, List.of())));
        }
        String formats = String.join(" ", java.util.Arrays.copyOfRange(m, 3, m.length));
        return new Media(s.index, mid, kind, m[0], m[2], formats, direction, pts, ssrcs);
    }

    private static int number(String text, int min, int max, String what) throws SdpException {
        return (int) number(text, min, (long) max, what);
    }

    private static long number(String text, long min, long max, String what) throws SdpException {
        try {
            long v = Long.parseLong(text.trim());
            if (v < min || v > max) {
                throw new SdpException(Reason.MALFORMED, what + " out of range: " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new SdpException(Reason.MALFORMED, what + " is not a number");
        }
    }

    @SafeVarargs
    private static <T> T firstNonNull(T... values) {
        for (T v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static final class Section {
        final int index;
        final String mLine;
        final List<String> attributes = new ArrayList<>();
        boolean rejected;

        Section(int index, String mLine) {
            this.index = index;
            this.mLine = mLine;
        }

        boolean has(String flag) {
            return attributes.contains(flag);
        }

        String value(String name) {
            String prefix = name + ":";
            for (String a : attributes) {
                if (a.startsWith(prefix)) {
                    return a.substring(prefix.length()).trim();
                }
            }
            return null;
        }
    }
}
