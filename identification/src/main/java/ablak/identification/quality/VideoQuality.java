package ablak.identification.quality;

/**
 * What the clerk's browser measured on the citizen's received video (WebRTC getStats, inbound-rtp
 * {@code frameWidth}, {@code frameHeight}, {@code framesPerSecond}) when a step was completed.
 */
public record VideoQuality(int width, int height, double fps) {

  public boolean meets(QualityLimits limits) {
    return width >= limits.minWidth() && height >= limits.minHeight() && fps >= limits.minFps();
  }
}
