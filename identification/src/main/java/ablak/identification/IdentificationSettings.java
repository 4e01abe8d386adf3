package ablak.identification;

import ablak.identification.quality.QualityLimits;
import com.fasterxml.jackson.annotation.JsonFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything the identification module can be configured with; {@link #defaults()} documents each
 * default (docs/configuration.md lists them too). Durations are ISO-8601 ({@code PT10M}, {@code P1825D}).
 *
 * @param evidenceDirectory      where stills are kept, one directory per identification; a relative path is taken
 *                               under the node's data directory (default identifications)
 * @param recordingsDirectory    where the media recorder writes calls, {@code <callId>/manifest.json}; relative like
 *                               the above (default recordings, i.e. data/recordings as the recorder writes)
 * @param requireRecording       refuse the recording step unless the call's recording runs and its manifest exists
 *                               (default true; the recording step starts the call's recording)
 * @param minWidth               lowest received video width to complete a video step or accept a still (default 1280)
 * @param minHeight              lowest received video height (default 720)
 * @param minFps                 lowest received frame rate (default 20)
 * @param minSharpness           lowest variance of the Laplacian of a still (default 60; a sharp 720p camera frame of a
 *                               document gives several hundred, a blurred one below 30)
 * @param maxGlare               highest share of saturated pixels in a still (default 0.05)
 * @param maxStillBytes          largest still accepted (default 1,000,000; the HTTP body limit is 1 MiB)
 * @param maxAttempts            attempts per identification, the first included; aborting the last one fails the
 *                               identification with RETRIES_EXHAUSTED (default 3)
 * @param codeLength             digits of the one-time code (default 6)
 * @param codeTtl                how long a code may be entered (default 10 minutes)
 * @param maxCodeAttempts        wrong entries before the identification fails with CODE_NOT_CONFIRMED (default 3)
 * @param reviewCaseTypes        case types whose completed identifications need a second person's review (default
 *                               the identity document cases: id-card-replacement, passport-renewal,
 *                               driving-licence-renewal, name-change-after-marriage)
 * @param retention              how long completed identifications and their files are kept (default 1825 days,
 *                               five years as BaFin circular 3/2017 and the Hungarian AML act require for records)
 * @param abortedRetention       how long identifications that stayed aborted or unfinished are kept (default 30 days)
 * @param retentionInterval      how often the deletion runs (default 1 hour)
 * @param poolSize               PostgreSQL connections of the module (default 4)
 * @param poolWaitQueueSize      requests that may wait for one of those connections; one more is refused at once
 *                               (default 1000; 0: none waits; see ablak.cases.ConnectionPools)
 * @param poolConnectionTimeout  longest wait for a connection before the request is refused, below the 10 s clients
 *                               wait for an answer (default 5 s)
 */
public record IdentificationSettings(
    String evidenceDirectory,
    String recordingsDirectory,
    boolean requireRecording,
    int minWidth,
    int minHeight,
    double minFps,
    double minSharpness,
    double maxGlare,
    int maxStillBytes,
    int maxAttempts,
    int codeLength,
    Duration codeTtl,
    int maxCodeAttempts,
    @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> reviewCaseTypes,
    Duration retention,
    Duration abortedRetention,
    Duration retentionInterval,
    int poolSize,
    int poolWaitQueueSize,
    Duration poolConnectionTimeout) {

  public IdentificationSettings {
    Objects.requireNonNull(evidenceDirectory, "evidenceDirectory");
    Objects.requireNonNull(recordingsDirectory, "recordingsDirectory");
    reviewCaseTypes = List.copyOf(reviewCaseTypes);
    if (minWidth < 1 || minHeight < 1 || minFps <= 0 || maxAttempts < 1 || codeLength < 4 || maxCodeAttempts < 1
        || maxStillBytes < 1 || poolSize < 1 || poolWaitQueueSize < 0) {
      throw new IllegalArgumentException("identification limits must be positive (codeLength at least 4)");
    }
    if (maxGlare < 0 || maxGlare > 1) {
      throw new IllegalArgumentException("identification.maxGlare is a share between 0 and 1");
    }
    if (retention.isNegative() || abortedRetention.isNegative() || retentionInterval.isNegative() || retentionInterval.isZero()) {
      throw new IllegalArgumentException("identification retention periods must not be negative");
    }
    if (poolConnectionTimeout.isNegative() || poolConnectionTimeout.isZero()) {
      throw new IllegalArgumentException("identification.poolConnectionTimeout must be positive");
    }
  }

  public static IdentificationSettings defaults() {
    return new IdentificationSettings("identifications", "recordings", true,
        1280, 720, 20, 60, 0.05, 1_000_000, 3, 6, Duration.ofMinutes(10), 3,
        List.of("id-card-replacement", "passport-renewal", "driving-licence-renewal", "name-change-after-marriage"),
        Duration.ofDays(1825), Duration.ofDays(30), Duration.ofHours(1), 4, 1000, Duration.ofSeconds(5));
  }

  /** These settings with relative directories taken under {@code dataDirectory}. */
  public IdentificationSettings under(Path dataDirectory) {
    return new IdentificationSettings(dataDirectory.resolve(evidenceDirectory).toString(),
        dataDirectory.resolve(recordingsDirectory).toString(),
        requireRecording, minWidth, minHeight, minFps, minSharpness, maxGlare, maxStillBytes, maxAttempts, codeLength, codeTtl,
        maxCodeAttempts, reviewCaseTypes, retention, abortedRetention, retentionInterval, poolSize, poolWaitQueueSize,
        poolConnectionTimeout);
  }

  public QualityLimits qualityLimits() {
    return new QualityLimits(minWidth, minHeight, minFps, minSharpness, maxGlare);
  }
}
