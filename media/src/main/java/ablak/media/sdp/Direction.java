package ablak.media.sdp;

/** Media direction attributes (RFC 8866 6.7), from the point of view of the side that wrote them. */
public enum Direction {
    SENDRECV, SENDONLY, RECVONLY, INACTIVE;

    public boolean sends() { return this == SENDRECV || this == SENDONLY; }
    public boolean receives() { return this == SENDRECV || this == RECVONLY; }

    public static Direction of(boolean sends, boolean receives) {
        return sends ? (receives ? SENDRECV : SENDONLY) : (receives ? RECVONLY : INACTIVE);
    }

    public String attribute() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
