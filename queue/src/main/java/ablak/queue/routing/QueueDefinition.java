package ablak.queue.routing;

import java.time.Duration;
import java.util.List;

/**
 * One queue: the skills a clerk needs (every one, at minProficiency or better), the steps that
 * relax it while a contact waits, and its business hours.
 *
 * @param steps              applied in order once a contact has waited {@code after} since it
 *                           entered: a lower proficiency, or overflow to another queue
 * @param wrapUp             after-call work before the clerk is offered again
 * @param preferredClerkFor  how long a contact that names a preferred clerk waits for that clerk only
 * @param appointmentPriority priority added to contacts who come at a booked time
 * @param hours              null means always open
 */
public record QueueDefinition(
    String name,
    List<String> skills,
    int minProficiency,
    List<RelaxationStep> steps,
    Duration wrapUp,
    Duration preferredClerkFor,
    int appointmentPriority,
    BusinessHours hours) {

  /** After {@code after} waiting: accept {@code minProficiency} (if set), or move to {@code overflowTo} (if set). */
  public record RelaxationStep(Duration after, Integer minProficiency, String overflowTo) {}

  public QueueDefinition {
    steps = steps == null ? List.of() : List.copyOf(steps);
    wrapUp = wrapUp == null ? Duration.ZERO : wrapUp;
    preferredClerkFor = preferredClerkFor == null ? Duration.ofMinutes(2) : preferredClerkFor;
    minProficiency = minProficiency == 0 ? 1 : minProficiency;
  }
}
