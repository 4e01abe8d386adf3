package ablak.signaling.identification;

import ablak.identification.CallRecorder;
import ablak.signaling.call.CallStore;
import ablak.signaling.media.CallRecordings;
import ablak.signaling.protocol.Outbound;
import ablak.signaling.protocol.Push;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Records identified calls with this node's SFU recorder. The identification's consent step is the
 * citizen's consent, so the recording starts without the consent given when joining the queue; a
 * recording the clerk already started is used as it is. Both participants see the recording badge
 * change, as with {@code call.recording}.
 */
public final class SfuCallRecorder implements CallRecorder {

  private final CallRecordings recordings;
  private final CallStore calls;
  private final Push push;

  public SfuCallRecorder(CallRecordings recordings, CallStore calls, Push push) {
    this.recordings = recordings;
    this.calls = calls;
    this.push = push;
  }

  @Override
  public Future<Void> ensureRecording(String callId) {
    if (recordings.isRecording(callId)) {
      return Future.succeededFuture();
    }
    return recordings.start(callId).compose(started -> announce(callId, true));
  }

  @Override
  public Future<Void> finish(String callId) {
    if (!recordings.isRecording(callId)) {
      return recordings.stopped(callId);
    }
    return recordings.stop(callId).compose(manifest -> announce(callId, false));
  }

  /** Marks the call (if it is still going) as recorded or not and tells both participants. */
  private Future<Void> announce(String callId, boolean recording) {
    return calls.get(callId).compose(call -> {
      if (call == null) {
        return Future.succeededFuture();
      }
      return calls.setRecording(callId, recording).onSuccess(done -> {
        JsonObject body = new JsonObject().put("callId", callId).put("recording", recording);
        push.toUser(call.citizenId(), Outbound.of("call.recording", body));
        push.toUser(call.clerkId(), Outbound.of("call.recording", body));
      });
    });
  }
}
