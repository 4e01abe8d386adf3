package ablak.signaling.call;

import ablak.signaling.ClientError;
import io.vertx.core.Future;

/**
 * Starts and stops recording a call's media on the node whose SFU carries it. The server is given
 * one at start; until the SFU's recording is connected, {@link #unavailable()} refuses every request.
 */
public interface CallRecorder {

  Future<Void> start(String callId);

  Future<Void> stop(String callId);

  /** A recorder for installations that cannot record: every request fails with {@code recording_unavailable}. */
  static CallRecorder unavailable() {
    ClientError error = new ClientError("recording_unavailable", 503, "this installation cannot record calls");
    return new CallRecorder() {
      @Override
      public Future<Void> start(String callId) {
        return Future.failedFuture(error);
      }

      @Override
      public Future<Void> stop(String callId) {
        return Future.failedFuture(error);
      }
    };
  }
}
