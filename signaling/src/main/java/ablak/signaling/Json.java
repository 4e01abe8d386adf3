package ablak.signaling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.util.stream.Collectors;

/**
 * The one Jackson mapper for REST bodies and WebSocket payloads, and the translation of binding
 * failures into {@code invalid_message} errors that name the offending field.
 */
public final class Json {

  public static final ObjectMapper MAPPER = JsonMapper.builder()
      // Clients may be newer than the server: extra fields are ignored, not rejected.
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      // A number where text is expected is a client bug, not something to guess about.
      .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      // Vert.x JsonObject / JsonArray fields in records (de)serialize as plain JSON.
      .addModule(new io.vertx.core.json.jackson.VertxModule())
      .build();

  private Json() {}

  /** Binds a JSON tree (a Vert.x JsonObject's map, a parsed body) to a record. */
  public static <T> T bind(Object tree, Class<T> type) {
    try {
      return MAPPER.convertValue(tree, type);
    } catch (IllegalArgumentException e) {
      throw ClientError.invalid(describe(e.getCause() instanceof JsonMappingException m ? m : null, e));
    }
  }

  /** Parses and binds a request body; malformed JSON and wrong shapes get their own codes. */
  public static <T> T parse(String body, Class<T> type) {
    if (body == null || body.isBlank()) {
      throw new ClientError(ClientError.MALFORMED_JSON, 400, "a JSON body is required");
    }
    try {
      return MAPPER.readValue(body, type);
    } catch (MismatchedInputException e) {
      throw ClientError.invalid(describe(e, e));
    } catch (JsonMappingException e) {
      throw ClientError.invalid(describe(e, e));
    } catch (JsonProcessingException e) {
      throw new ClientError(ClientError.MALFORMED_JSON, 400, "the body is not valid JSON");
    }
  }

  private static String describe(JsonMappingException mapping, Exception fallback) {
    if (mapping == null) {
      return "the message does not have the expected fields";
    }
    String path = mapping.getPath().stream()
        .map(reference -> reference.getFieldName() != null ? reference.getFieldName() : "[" + reference.getIndex() + "]")
        .collect(Collectors.joining("."));
    String problem = mapping.getOriginalMessage();
    // Jackson's message names Java types and positions; keep its first sentence only.
    int cut = problem.indexOf(" (");
    if (cut > 0) {
      problem = problem.substring(0, cut);
    }
    int newline = problem.indexOf('\n');
    if (newline > 0) {
      problem = problem.substring(0, newline);
    }
    return path.isEmpty() ? problem : "field " + path + ": " + problem;
  }
}
