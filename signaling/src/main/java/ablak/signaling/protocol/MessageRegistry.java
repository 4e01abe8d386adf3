package ablak.signaling.protocol;

import ablak.signaling.ClientError;
import ablak.signaling.Json;
import ablak.signaling.auth.Principal;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every message type a client may send, and the one place where a message is checked before its
 * handler sees it: well-formed JSON object, a string {@code id} and {@code type}, a known type,
 * an authenticated connection, an allowed role, an unexpired credential, a payload that binds.
 * Any failure is answered with a typed error, counted in {@code ablak.signaling.protocol.errors},
 * and no handler runs, so bad input changes nothing.
 */
public final class MessageRegistry {

  private static final Logger LOG = LoggerFactory.getLogger(MessageRegistry.class);
  private static final int MAX_ID_LENGTH = 64;

  private final Map<String, MessageType<?>> types = new ConcurrentHashMap<>();
  private final Map<Class<? extends Throwable>, Function<Throwable, ClientError>> errorMappings = new ConcurrentHashMap<>();
  private final MeterRegistry meters;
  private final Clock clock;

  public MessageRegistry(MeterRegistry meters, Clock clock) {
    this.meters = meters;
    this.clock = clock;
  }

  public void register(MessageType<?> type) {
    if (types.putIfAbsent(type.name(), type) != null) {
      throw new IllegalStateException("message type " + type.name() + " is registered twice");
    }
  }

  /**
   * Answers a module's own exception with a typed error, e.g.
   * {@code registry.mapError(QueueClosedException.class, e -> new ClientError("queue_closed", 409, e.getMessage()))}.
   */
  @SuppressWarnings("unchecked")
  public <E extends Throwable> void mapError(Class<E> exception, Function<E, ClientError> mapping) {
    errorMappings.put(exception, error -> mapping.apply((E) error));
  }

  public boolean contains(String type) {
    return types.containsKey(type);
  }

  void dispatch(Connection connection, String text) {
    JsonNode message;
    try {
      message = Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      reject(connection, null, new ClientError(ClientError.MALFORMED_JSON, 400, "the message is not valid JSON"));
      return;
    }
    if (message == null || !message.isObject()) {
      reject(connection, null, new ClientError(ClientError.MALFORMED_JSON, 400, "a message must be a JSON object"));
      return;
    }
    JsonNode id = message.get("id");
    String ref = id != null && id.isTextual() && !id.asText().isEmpty() && id.asText().length() <= MAX_ID_LENGTH ? id.asText() : null;
    if (ref == null) {
      reject(connection, null, ClientError.invalid("id must be a string of 1-" + MAX_ID_LENGTH + " characters"));
      return;
    }
    JsonNode typeName = message.get("type");
    if (typeName == null || !typeName.isTextual()) {
      reject(connection, ref, ClientError.invalid("type must be a string"));
      return;
    }
    MessageType<?> type = types.get(typeName.asText());
    if (type == null) {
      reject(connection, ref, new ClientError(ClientError.UNKNOWN_TYPE, 400, "unknown message type"));
      return;
    }
    Principal principal = connection.principal();
    if (principal == null && !type.beforeHello()) {
      reject(connection, ref, ClientError.unauthenticated("send hello (or resume) first"));
      return;
    }
    if (principal != null && !type.roles().contains(principal.role())) {
      reject(connection, ref, ClientError.forbidden("role " + principal.role().wireName() + " may not send " + type.name()));
      return;
    }
    if (principal != null && principal.expired(clock.instant().getEpochSecond())) {
      reject(connection, ref, new ClientError(ClientError.TOKEN_EXPIRED, 401, "the credential of this connection has expired"));
      return;
    }
    handle(connection, ref, type, message);
  }

  private <P> void handle(Connection connection, String ref, MessageType<P> type, JsonNode message) {
    Timer.Sample sample = Timer.start(meters);
    Future<Outbound> reply;
    try {
      P payload = type.payload() == JsonObject.class
          ? type.payload().cast(new JsonObject(Json.MAPPER.convertValue(message, Map.class)))
          : Json.bind(message, type.payload());
      reply = type.handler().handle(new MessageContext(connection, ref), payload);
    } catch (RuntimeException e) {
      reply = Future.failedFuture(e);
    }
    reply.onComplete(result -> {
      String outcome = result.succeeded() ? "ok" : "error";
      sample.stop(Timer.builder("ablak.signaling.message.duration").description("time to handle a message and reply")
          .tag("type", type.name()).tag("outcome", outcome).register(meters));
      if (result.succeeded()) {
        connection.write(result.result().encode(ref));
      } else {
        reject(connection, ref, toClientError(connection, type, result.cause()));
      }
    });
  }

  /** Answers with a typed error and counts it; used for every refusal, including by the socket. */
  void reject(Connection connection, String ref, ClientError error) {
    Counter.builder("ablak.signaling.protocol.errors").description("WebSocket messages answered with a typed error")
        .tag("code", error.code()).register(meters).increment();
    JsonObject body = new JsonObject();
    error.details().forEach(body::put);
    body.put("code", error.code()).put("message", error.getMessage());
    connection.write(Outbound.of("error", body).encode(ref));
  }

  private ClientError toClientError(Connection connection, MessageType<?> type, Throwable failure) {
    if (failure instanceof ClientError error) {
      return error;
    }
    for (Class<?> c = failure.getClass(); c != null && Throwable.class.isAssignableFrom(c); c = c.getSuperclass()) {
      Function<Throwable, ClientError> mapping = errorMappings.get(c);
      if (mapping != null) {
        return mapping.apply(failure);
      }
    }
    ClientError error = ClientError.of(failure);
    // A refusal under load is counted (ablak.signaling.protocol.errors), not logged: a log line per refused message would add to the load.
    if (!error.code().equals(ClientError.BUSY)) {
      LOG.atError().addKeyValue("connectionId", connection.id()).addKeyValue("messageType", type.name()).setCause(failure)
          .log("message handler failed");
    }
    return error;
  }
}
