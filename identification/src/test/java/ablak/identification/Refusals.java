package ablak.identification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vertx.core.Future;

/** Asserts that an operation was refused with a given kind, and returns the refusal. */
final class Refusals {

  private Refusals() {}

  static IdentificationException refused(IdentificationException.Kind kind, Future<?> operation) {
    IdentificationException refusal = catchThrowableOfType(IdentificationException.class, () -> Harness.await(operation));
    assertThat(refusal).as("refused with " + kind).isNotNull();
    assertThat(refusal.kind()).as(refusal.getMessage()).isEqualTo(kind);
    return refusal;
  }
}
