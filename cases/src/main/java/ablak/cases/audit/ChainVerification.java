package ablak.cases.audit;

/**
 * The outcome of checking the audit trail's hash chain.
 *
 * @param intact         whether every row's hash matches its content and its predecessor
 * @param rowsChecked    rows read
 * @param firstBrokenSeq the first row that does not match, or {@code null} when intact
 * @param problem        what is wrong with it, or {@code null}
 * @param headHash       hash of the last row; keep it somewhere else to also detect a truncated tail
 */
public record ChainVerification(boolean intact, long rowsChecked, Long firstBrokenSeq, String problem, String headHash) {
}
