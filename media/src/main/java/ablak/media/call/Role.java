package ablak.media.call;

/** Who a participant is in a call; decides whether their media is forwarded to the others. */
public enum Role {
    CITIZEN(true),
    CLERK(true),
    INTERPRETER(true),
    /** Listens to everyone; sends nothing the others receive and is not shown to them. */
    SUPERVISOR(false);

    private final boolean publishes;

    Role(boolean publishes) {
        this.publishes = publishes;
    }

    /** Whether this participant's audio and video are forwarded to the others. */
    public boolean publishes() {
        return publishes;
    }
}
