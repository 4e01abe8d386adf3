package ablak.queue.events;

import java.time.Instant;
import java.util.Map;

/**
 * One entry of the event log, in the shape of Asterisk's queue_log: time, contact, queue, clerk,
 * event and three data fields whose meaning depends on the event (see docs/routing.md).
 *
 * @param id the Redis stream entry id: unique and ordered like the state changes themselves
 */
public record QueueEvent(String id, Instant at, String event, String queue, String contactId, String clerkId,
    String data1, String data2, String data3) {

  public static QueueEvent of(String id, Map<String, String> body) {
    return new QueueEvent(id, Instant.ofEpochMilli(Long.parseLong(body.get("ts"))), body.get("event"),
        body.get("queue"), body.get("contact"), body.get("clerk"), body.get("d1"), body.get("d2"), body.get("d3"));
  }
}
