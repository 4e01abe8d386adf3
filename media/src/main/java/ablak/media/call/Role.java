package ablak.media.call;

/** Who a participant is in a call; decides whom their media reaches. */
public enum Role {
    CITIZEN,
    CLERK,
    INTERPRETER,
    /**
     * Monitors a call: receives everyone, and whom their own media reaches follows their {@link SupervisorMode}
     * (nobody while listening, the clerk while whispering, everyone after barging in).
     */
    SUPERVISOR
}
