package ablak.cases.audit;

/**
 * The outcome of checking the audit trail's hash chain.
 *
 * @param intact         whether every link matches its event and its predecessor, the head matches the last
 *                       link, and no event is left unlinked beyond the grace of a minute
 * @param rowsChecked    links read
 * @param firstBrokenSeq the seq of the first event whose link does not match or that is not linked in time,
 *                       or {@code null} when intact or when only the head is wrong
 * @param problem        what is wrong, or {@code null}
 * @param headHash       hash of the last link; keep it somewhere else to also detect a truncated tail
 * @param pendingEvents  events committed within the grace and not linked yet: normal, not a failure
 */
public record ChainVerification(boolean intact, long rowsChecked, Long firstBrokenSeq, String problem, String headHash,
                                long pendingEvents) {
}
