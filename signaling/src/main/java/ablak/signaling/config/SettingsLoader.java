package ablak.signaling.config;

import ablak.queue.QueueSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * Builds {@link AblakSettings} from three layers, later ones winning: the defaults, an optional
 * YAML (or JSON) file, and environment variables.
 *
 * <p>Every setting has an environment variable derived from its path: {@code http.port} is
 * {@code ABLAK_HTTP_PORT}, {@code stores.redisKeyPrefix} is {@code ABLAK_STORES_REDIS_KEY_PREFIX}.
 * {@code REDIS_URL} and {@code DATABASE_URL} are accepted too, as most platforms set them.
 */
public final class SettingsLoader {

  // Durations (media and queue timeouts) read and write as ISO-8601, e.g. PT10S.
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()).registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);
  private static final Map<String, String> ALIASES =
      Map.of("REDIS_URL", "ABLAK_STORES_REDIS_URL", "DATABASE_URL", "ABLAK_STORES_DATABASE_URL");

  private SettingsLoader() {}

  public static AblakSettings load(Path file, Map<String, String> environment) {
    ObjectNode tree = YAML.valueToTree(AblakSettings.defaults());
    try {
      if (file != null) {
        merge(tree, YAML.readTree(file.toFile()), "");
      }
      applyEnvironment(tree, "ABLAK", environment);
      return validate(YAML.treeToValue(tree, AblakSettings.class));
    } catch (IOException e) {
      throw new IllegalArgumentException("invalid configuration: " + e.getMessage(), e);
    }
  }

  /** {@code ABLAK} + {@code redisKeyPrefix} gives {@code ABLAK_REDIS_KEY_PREFIX}. */
  private static String variable(String prefix, String key) {
    return prefix + "_" + key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
  }

  private static void merge(ObjectNode target, JsonNode source, String path) {
    if (source == null || source.isMissingNode() || source.isNull()) {
      return;
    }
    if (!source.isObject()) {
      throw new IllegalArgumentException("invalid configuration: " + (path.isEmpty() ? "the file" : path) + " must be a mapping");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = source.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String fieldPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
      JsonNode existing = target.get(field.getKey());
      if (existing == null) {
        throw new IllegalArgumentException("invalid configuration: unknown setting " + fieldPath);
      }
      if (existing.isObject()) {
        merge((ObjectNode) existing, field.getValue(), fieldPath);
      } else {
        target.set(field.getKey(), field.getValue());
      }
    }
  }

  private static void applyEnvironment(ObjectNode tree, String prefix, Map<String, String> environment) {
    for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = variable(prefix, field.getKey());
      if (field.getValue().isObject()) {
        applyEnvironment((ObjectNode) field.getValue(), name, environment);
        continue;
      }
      String value = environment.get(name);
      for (Map.Entry<String, String> alias : ALIASES.entrySet()) {
        if (alias.getValue().equals(name) && value == null) {
          value = environment.get(alias.getKey());
        }
      }
      if (value != null) {
        field.setValue(TextNode.valueOf(value));
      }
    }
  }

  private static AblakSettings validate(AblakSettings settings) {
    require(settings.http().port() >= 0 && settings.http().port() <= 65535, "http.port must be 0-65535");
    require(java.util.Set.of("auto", "pem", "self-signed", "off").contains(settings.http().tls()),
        "http.tls must be auto, pem, self-signed or off");
    require(!settings.http().tls().equals("pem") || settings.http().tlsCertFile() != null && settings.http().tlsKeyFile() != null,
        "http.tls=pem needs http.tlsCertFile and http.tlsKeyFile");
    require(settings.http().shutdownGraceSeconds() >= 0, "http.shutdownGraceSeconds must not be negative");
    require(settings.stores().databasePoolSize() > 0, "stores.databasePoolSize must be positive");
    require(settings.auth().sessionTtlSeconds() > 0, "auth.sessionTtlSeconds must be positive");
    require(settings.auth().visitTokenTtlSeconds() > 0, "auth.visitTokenTtlSeconds must be positive");
    ProtocolSettings protocol = settings.protocol();
    require(protocol.maxMessageBytes() >= 1024, "protocol.maxMessageBytes must be at least 1024");
    require(protocol.heartbeatSeconds() > 0, "protocol.heartbeatSeconds must be positive");
    require(protocol.idleTimeoutSeconds() > protocol.heartbeatSeconds(), "protocol.idleTimeoutSeconds must exceed protocol.heartbeatSeconds");
    require(protocol.rateLimitPerSecond() > 0 && protocol.rateLimitBurst() > 0, "protocol rate limits must be positive");
    require(protocol.resumeTtlSeconds() > protocol.heartbeatSeconds(), "protocol.resumeTtlSeconds must exceed protocol.heartbeatSeconds");
    require(protocol.outboundQueueBytes() >= protocol.maxMessageBytes(), "protocol.outboundQueueBytes must be at least protocol.maxMessageBytes");
    try {
      settings.proactive().validate();
    } catch (java.time.DateTimeException | IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid configuration: " + (e.getMessage().startsWith("proactive.") ? e.getMessage()
          : "proactive.zone: " + e.getMessage()), e);
    }
    QueueSettings queue = settings.queue();
    require(queue.hashTag() != null && queue.hashTag().matches("[A-Za-z0-9_.:-]{1,64}"), "queue.hashTag must be 1-64 of A-Z a-z 0-9 _ . : -");
    for (var duration : java.util.List.of(queue.offerTimeout(), queue.presenceTtl(), queue.sweepInterval(),
        queue.metricsInterval(), queue.positionInterval(), queue.statsWindow(), queue.defaultHandleTime())) {
      require(duration != null && !duration.isNegative() && !duration.isZero(), "queue durations must be positive");
    }
    require(queue.presenceTtl().compareTo(queue.sweepInterval()) > 0, "queue.presenceTtl must exceed queue.sweepInterval");
    require(queue.maxNoAnswer() > 0 && queue.routingScanDepth() > 0 && queue.clerkScanDepth() > 0 && queue.streamMaxLength() > 0,
        "queue counts must be positive");
    require(settings.calls().mediaTokenTtlSeconds() > 0, "calls.mediaTokenTtlSeconds must be positive");
    return settings;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException("invalid configuration: " + message);
    }
  }

}
