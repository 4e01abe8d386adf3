package ablak.identification.checklist;

import java.security.SecureRandom;

/**
 * Movements that make a document's optically variable features (hologram, kinegram, colour-shifting
 * ink) change on camera. The server draws one per attempt with {@link SecureRandom} only once the
 * front has been shown, so a video prepared in advance cannot contain the right movement.
 */
public enum TiltInstruction {
  TILT_LEFT,
  TILT_RIGHT,
  TILT_TOWARDS_CAMERA,
  TILT_AWAY_FROM_CAMERA,
  ROTATE_CLOCKWISE,
  ROTATE_ANTICLOCKWISE,
  COVER_TOP_LEFT_CORNER,
  COVER_BOTTOM_RIGHT_CORNER;

  private static final SecureRandom RANDOM = new SecureRandom();

  public static TiltInstruction random() {
    return values()[RANDOM.nextInt(values().length)];
  }
}
