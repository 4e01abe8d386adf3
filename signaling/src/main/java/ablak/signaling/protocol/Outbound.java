package ablak.signaling.protocol;

import ablak.signaling.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * A message the server sends: a reply to a request (then it carries the request's id as
 * {@code ref}) or a push. {@code body} is a record (serialized by Jackson), a Vert.x
 * {@link io.vertx.core.json.JsonObject}, or null; its fields sit beside {@code type} in one flat JSON object.
 */
public record Outbound(String type, Object body) {

  public static Outbound of(String type, Object body) {
    return new Outbound(type, body);
  }

  public static Outbound of(String type) {
    return new Outbound(type, null);
  }

  /**
   * The same push, encoded now once for every connection it goes to: a large body (a wallboard of a
   * thousand clerks) costs its conversion to JSON once per push, not once per subscriber.
   */
  public Outbound encodedOnce() {
    return body instanceof Encoded ? this : new Outbound(type, new Encoded(encode(null)));
  }

  private record Encoded(String json) {}

  /** The wire form; {@code ref} is omitted when null (pushes). */
  public String encode(String ref) {
    if (body instanceof Encoded encoded) {
      if (ref != null) {
        throw new IllegalStateException("an encoded push carries no ref");
      }
      return encoded.json();
    }
    ObjectNode envelope = Json.MAPPER.createObjectNode();
    envelope.put("type", type);
    if (ref != null) {
      envelope.put("ref", ref);
    }
    if (body != null) {
      JsonNode fields = Json.MAPPER.valueToTree(body);
      if (!fields.isObject()) {
        throw new IllegalArgumentException("a message body must serialize to a JSON object, not " + fields.getNodeType());
      }
      for (Map.Entry<String, JsonNode> field : fields.properties()) {
        if (!field.getKey().equals("type") && !field.getKey().equals("ref")) {
          envelope.set(field.getKey(), field.getValue());
        }
      }
    }
    return envelope.toString();
  }
}
