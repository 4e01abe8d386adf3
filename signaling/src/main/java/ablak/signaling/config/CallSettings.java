package ablak.signaling.config;

/**
 * Calls between a citizen and a clerk (docs/protocol.md, "The call").
 *
 * @param mediaTokenTtlSeconds how long the media token of {@code call.started} lets its holder POST
 *     a WHIP or WHEP offer into that one call; short, because it travels in a URL-less bearer header
 *     and is only needed to set up (or re-establish) the media
 */
public record CallSettings(int mediaTokenTtlSeconds) {

  public static CallSettings defaults() {
    return new CallSettings(300);
  }
}
