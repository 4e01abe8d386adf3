package ablak.signaling.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** A push encoded once for many connections is the same message on the wire. */
class OutboundTest {

  @Test
  void aPushEncodedOnceIsTheSameMessage() {
    JsonObject body = new JsonObject().put("queues", new JsonArray().add(new JsonObject().put("queueId", "passports").put("waiting", 3)))
        .put("clerks", new JsonArray());
    Outbound push = Outbound.of("wallboard.snapshot", body);

    Outbound once = push.encodedOnce();

    assertThat(once.encode(null)).isEqualTo(push.encode(null));
    assertThat(once.type()).isEqualTo("wallboard.snapshot");
    assertThat(once.encodedOnce()).isSameAs(once);
  }

  @Test
  void anEncodedPushIsNotAReply() {
    Outbound once = Outbound.of("wallboard.snapshot", new JsonObject()).encodedOnce();

    assertThatThrownBy(() -> once.encode("r1")).isInstanceOf(IllegalStateException.class);
  }
}
