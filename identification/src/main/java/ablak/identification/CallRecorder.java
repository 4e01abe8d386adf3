package ablak.identification;

import io.vertx.core.Future;

/**
 * The call's recording as an identification needs it. The module does not record media itself: the
 * server that hosts the call's media implements this with its recorder. The recording step asks for
 * the recording; the result asks for it to be finished, so that the sealed hash covers the final
 * manifest with every file's own hash.
 */
public interface CallRecorder {

  /** Makes sure the call is being recorded: starts its recording, or keeps the one already running. */
  Future<Void> ensureRecording(String callId);

  /** Stops the call's recording if it runs, completing once its manifest is final; nothing if it does not run. */
  Future<Void> finish(String callId);

  /**
   * For a module without media (tools, tests): records nothing and finishes nothing, so the
   * recording step relies on a manifest found on disk.
   */
  CallRecorder NONE = new CallRecorder() {
    @Override
    public Future<Void> ensureRecording(String callId) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> finish(String callId) {
      return Future.succeededFuture();
    }
  };
}
