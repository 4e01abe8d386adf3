package ablak.queue.routing;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A queue's live figures: what is waiting now, clerks by state, and raw counters over the rolling
 * statistics window, from which the derived metrics below are computed (definitions in docs/routing.md).
 */
public record QueueFigures(String queue, int waiting, Duration longestWait, Map<String, Integer> clerksByState,
    long entered, long answered, long answeredWithinThreshold, long waitMillis, long abandoned,
    long abandonedShort, long handled, long handleMillis) {

  static final List<String> STATES = List.of("available", "offered", "busy", "wrapup", "break", "not_responding", "offline");

  static QueueFigures of(String queue, List<?> row) {
    long[] v = row.stream().mapToLong(RoutingEngine::number).toArray();
    Map<String, Integer> clerks = new LinkedHashMap<>();
    for (int i = 0; i < STATES.size(); i++) {
      clerks.put(STATES.get(i), (int) v[2 + i]);
    }
    return new QueueFigures(queue, (int) v[0], Duration.ofMillis(v[1]), clerks, v[9], v[10], v[11], v[12], v[13],
        v[14], v[15], v[16]);
  }

  /** Answered within the threshold over answered plus abandoned after the short-abandon time; 1 when nothing counted. */
  public double serviceLevel() {
    long counted = answered + abandoned - abandonedShort;
    return counted == 0 ? 1.0 : (double) answeredWithinThreshold / counted;
  }

  /** Average speed of answer: mean wait of answered contacts. */
  public Duration averageSpeedOfAnswer() {
    return answered == 0 ? Duration.ZERO : Duration.ofMillis(waitMillis / answered);
  }

  /** Average handle time: talk plus wrap-up per handled contact; null before any. */
  public Duration averageHandleTime() {
    return handled == 0 ? null : Duration.ofMillis(handleMillis / handled);
  }

  /** Abandoned (after the short-abandon time) over answered plus those abandoned. */
  public double abandonmentRate() {
    long counted = answered + abandoned - abandonedShort;
    return counted == 0 ? 0.0 : (double) (abandoned - abandonedShort) / counted;
  }

  /** Clerks who can take this queue's contacts now or soon: everyone signed in and not on break. */
  public int staffed() {
    return clerksByState.get("available") + clerksByState.get("offered") + clerksByState.get("busy")
        + clerksByState.get("wrapup");
  }
}
