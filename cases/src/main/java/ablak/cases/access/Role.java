package ablak.cases.access;

/** Who is asking, which decides what {@link CaseAccess} lets them see and do. */
public enum Role {
    /** The person the case is about; proves it with the case token handed out when the draft started. */
    CITIZEN,
    /** Fills in and submits the cases they handle. */
    CLERK,
    /** Reads the cases their team handled. */
    SUPERVISOR,
    /** Reads every case and the audit trail; changes nothing. */
    AUDITOR,
    /** Runs the system: sees the dead letter and replays deliveries, but not case data. */
    OPERATOR
}
