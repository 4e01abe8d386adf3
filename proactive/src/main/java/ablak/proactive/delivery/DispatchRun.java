package ablak.proactive.delivery;

/** What one scheduler run did on this node. */
public record DispatchRun(int claimed, int delivered, int temporaryFailures, int permanentFailures, int skipped) {}
