package ablak.cases.outbox;

import java.util.List;

/** What came back from a back office, modelled on FIT-Connect's accept/reject of a submission. */
public sealed interface BackOfficeAnswer {

    /** The back office took the case; {@code reference} is its own id for it. */
    record Accepted(String reference) implements BackOfficeAnswer {
    }

    /** The back office received the case and refuses it for the listed reasons. Final: not retried. */
    record Rejected(List<String> problems) implements BackOfficeAnswer {
    }

    /**
     * No answer about the case itself: unreachable, slow, overloaded ({@code retryable}), or it
     * refused the request as malformed (not retryable: goes straight to the dead letter).
     */
    record Failed(String reason, boolean retryable) implements BackOfficeAnswer {
    }
}
