package ablak.signaling.media;

import ablak.media.call.Call;
import ablak.media.call.RtpListener;
import ablak.media.call.Sfu;
import ablak.media.call.Track;
import ablak.media.recording.CallRecording;
import ablak.media.recording.DropReason;
import ablak.media.recording.RecordedCodec;
import ablak.media.recording.RecordingCounters;
import ablak.media.recording.RecordingManifest;
import ablak.media.recording.RecordingSettings;
import ablak.media.recording.TrackDescription;
import ablak.media.recording.TrackRecorder;
import ablak.media.rtp.MediaKind;
import ablak.signaling.ClientError;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.FileAlreadyExistsException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records calls that live in this node's SFU: {@link #start} attaches a recording to the call's
 * packets, {@link #stop} detaches it and finishes the files. A recording also stops when its call
 * closes. Each published track gets its file on its first packet, so participants who join or
 * reconnect while recording are recorded too (a reconnect starts a new file for the new transport).
 */
public final class CallRecordings {

  private static final Logger LOG = LoggerFactory.getLogger(CallRecordings.class);
  /** Recording ids become directory names: no dots, unlike call ids in general. */
  private static final Pattern RECORDABLE_CALL_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private final Vertx vertx;
  private final Sfu sfu;
  private final RecordingSettings settings;
  private final RecordingCounters counters = new RecordingCounters();
  /** Calls being recorded, from the moment start is asked until stop: a second start is refused meanwhile. */
  private final Map<String, Future<Recorder>> recordings = new ConcurrentHashMap<>();
  /** Recordings stopped but not yet finished (files being closed and hashed). */
  private final Map<String, Future<RecordingManifest>> stopping = new ConcurrentHashMap<>();

  public CallRecordings(Vertx vertx, Sfu sfu, RecordingSettings settings, MeterRegistry meters) {
    this.vertx = vertx;
    this.sfu = sfu;
    this.settings = settings;
    FunctionCounter.builder("ablak.media.recording.packets", counters, RecordingCounters::packetsWritten)
        .description("RTP packets written to recordings").register(meters);
    FunctionCounter.builder("ablak.media.recording.frames", counters, RecordingCounters::framesWritten)
        .description("video frames and Opus packets written to recordings").register(meters);
    FunctionCounter.builder("ablak.media.recording.bytes", counters, RecordingCounters::bytesWritten)
        .description("media bytes written to recordings").baseUnit("bytes").register(meters);
    for (DropReason reason : DropReason.values()) {
      FunctionCounter.builder("ablak.media.recording.drops", counters, c -> c.drops(reason))
          .description("packets a recording received but did not write").tag("reason", reason.name()).register(meters);
    }
  }

  /**
   * Starts recording a call of this node. Fails with a {@link ClientError}: {@code invalid_message}
   * for a call id that cannot name a recording, {@code not_found} if the call is not on this node,
   * {@code conflict} if it is being recorded or was recorded before (recordings are never
   * overwritten).
   */
  public Future<Void> start(String callId) {
    if (callId == null || !RECORDABLE_CALL_ID.matcher(callId).matches()) {
      return Future.failedFuture(ClientError.invalid("a recorded call's id is 1-64 letters, digits, '_' or '-'"));
    }
    Call call = sfu.findCall(callId).orElse(null);
    if (call == null) {
      return Future.failedFuture(new ClientError(ClientError.NOT_FOUND, 404, "no call " + callId + " on this node"));
    }
    Promise<Recorder> claimed = Promise.promise();
    if (recordings.putIfAbsent(callId, claimed.future()) != null) {
      return Future.failedFuture(new ClientError(ClientError.CONFLICT, 409, "call " + callId + " is already being recorded"));
    }
    Future.fromCompletionStage(CallRecording.start(callId, settings, counters), vertx.getOrCreateContext())
        .map(recording -> {
          Recorder recorder = new Recorder(recording);
          call.addRtpListener(recorder);
          return recorder;
        })
        .onComplete(claimed);
    return claimed.future().<Void>mapEmpty().recover(failure -> {
      recordings.remove(callId, claimed.future());
      return Future.failedFuture(failure instanceof FileAlreadyExistsException
          ? new ClientError(ClientError.CONFLICT, 409, "call " + callId + " already has a recording")
          : failure);
    });
  }

  /**
   * Stops recording a call: its listener is removed, queued packets are written, every file is
   * closed and hashed. Completes with the final manifest; {@code not_found} if the call is not
   * being recorded.
   */
  public Future<RecordingManifest> stop(String callId) {
    Future<Recorder> started = callId == null ? null : recordings.remove(callId);
    if (started == null) {
      return Future.failedFuture(new ClientError(ClientError.NOT_FOUND, 404, "call " + callId + " is not being recorded"));
    }
    Future<RecordingManifest> finished = started.compose(recorder -> {
      sfu.findCall(callId).ifPresent(call -> call.removeRtpListener(recorder));
      return Future.fromCompletionStage(recorder.recording.stop(), vertx.getOrCreateContext());
    });
    stopping.put(callId, finished);
    finished.onComplete(done -> stopping.remove(callId, finished));
    return finished;
  }

  /**
   * Completes once a stop under way (the call ended, say) has finished the call's files; at once when
   * none is. Whoever hashes the manifest waits for this so as to hash the final one.
   */
  public Future<Void> stopped(String callId) {
    Future<RecordingManifest> finishing = callId == null ? null : stopping.get(callId);
    return finishing == null ? Future.succeededFuture() : finishing.<Void>mapEmpty().recover(failure -> Future.succeededFuture());
  }

  /** Whether a recording of this call is starting or running on this node. */
  public boolean isRecording(String callId) {
    return callId != null && recordings.containsKey(callId);
  }

  /**
   * The call's packets into its recording: a track gets its file on its first packet. Runs on the
   * media receive thread; {@link TrackRecorder#onRtp} copies and queues, so it never blocks.
   */
  private final class Recorder implements RtpListener {
    /** Stands for a track that is not recorded (a codec the recorder does not write, or ended). */
    private static final Object SKIPPED = new Object();

    private final CallRecording recording;
    private final Map<Track, Object> tracks = new ConcurrentHashMap<>();
    /** File names in use, so a reconnected participant's new track gets a new file. */
    private final Set<String> trackNames = new HashSet<>();

    Recorder(CallRecording recording) {
      this.recording = recording;
    }

    @Override
    public void onRtp(Track track, byte[] packet, int offset, int length) {
      Object recorder = tracks.get(track);
      if (recorder == null) {
        recorder = tracks.computeIfAbsent(track, this::add);
      }
      if (recorder instanceof TrackRecorder r) {
        r.onRtp(packet, offset, length);
      }
    }

    @Override
    public void onTrackEnded(Track track) {
      // Its file stays open until stop writes the manifest; nothing more arrives for it.
      tracks.put(track, SKIPPED);
    }

    @Override
    public void onCallClosed(Call call) {
      if (recordings.get(call.id()) != null) {
        stop(call.id()).onComplete(done -> {
          if (done.failed()) {
            LOG.warn("recording of closed call {} did not finish cleanly", call.id(), done.cause());
          }
        });
      }
    }

    private Object add(Track track) {
      RecordedCodec codec = RecordedCodec.forEncodingName(track.codec().sdpName()).orElse(null);
      if (codec == null) {
        return SKIPPED;
      }
      TrackDescription description = new TrackDescription(fileSafe(track.participantId()), trackName(track), codec,
          track.payloadType(), track.clockRate(), track.ssrc());
      try {
        // A recording that starts mid-call needs a keyframe to begin its video file.
        return track.kind() == MediaKind.VIDEO
            ? recording.addTrack(description, track::requestKeyframe)
            : recording.addTrack(description);
      } catch (IllegalStateException | IllegalArgumentException notRecorded) {
        // Stopped meanwhile, or an id that two participants share once made file-safe: never fail the packet path.
        LOG.warn("track {} of call {} is not recorded: {}", track, track.callId(), notRecorded.getMessage());
        return SKIPPED;
      }
    }

    /** {@code audio-0}, {@code video-1} (kind and mid); {@code video-1-2} after a reconnect. */
    private synchronized String trackName(Track track) {
      String base = track.kind().sdpName() + "-" + fileSafe(track.mid());
      String name = base;
      for (int n = 2; !trackNames.add(fileSafe(track.participantId()) + "/" + name); n++) {
        name = base + "-" + n;
      }
      return name;
    }
  }

  /** Participant ids and mids as file names: letters, digits, '_' and '-' only, at most 40 characters. */
  static String fileSafe(String id) {
    String safe = id == null || id.isEmpty() ? "_" : id.replaceAll("[^A-Za-z0-9_-]", "_");
    return safe.length() > 40 ? safe.substring(0, 40) : safe;
  }
}
