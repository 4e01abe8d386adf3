package ablak.loadtests;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pairs two moments seen by two virtual users, keyed by the contact: the citizen's queue.join
 * (sent) and the first queue.offer of that contact (arrived at a clerk). Either may be known first:
 * the offer can reach the clerk before the join's reply, which names the contact, reaches the
 * citizen. Whoever completes the pair gets the span and reports it.
 */
final class Rendezvous {

  private final ConcurrentHashMap<String, long[]> moments = new ConcurrentHashMap<>();

  /** The join of {@code contactId} was sent at {@code joinedAt}; the span if its offer is already known. */
  Optional<Long> joined(String contactId, long joinedAt) {
    return meet(contactId, 0, joinedAt);
  }

  /** The first offer of {@code contactId} arrived at {@code offeredAt}; later offers of it are ignored. */
  Optional<Long> offered(String contactId, long offeredAt) {
    return meet(contactId, 1, offeredAt);
  }

  /** The contact left the queue unoffered: nothing will complete it. */
  void forget(String contactId) {
    moments.remove(contactId);
  }

  private Optional<Long> meet(String contactId, int side, long at) {
    long[][] completed = new long[1][];
    moments.compute(contactId, (id, known) -> {
      long[] pair = known != null ? known : new long[] {-1, -1};
      if (pair[side] >= 0) {
        return pair; // a re-offer after a decline or ring-out: only the first one counts
      }
      pair[side] = at;
      if (pair[0] >= 0 && pair[1] >= 0) {
        completed[0] = pair;
        return new long[] {pair[0], pair[1]}; // kept so re-offers stay ignored; removed when the call ends
      }
      return pair;
    });
    return completed[0] == null ? Optional.empty() : Optional.of(completed[0][1] - completed[0][0]);
  }
}
