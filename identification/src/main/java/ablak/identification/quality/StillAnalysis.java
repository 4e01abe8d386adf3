package ablak.identification.quality;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/**
 * Blur and glare figures of a still, computed on its luminance (ITU-R BT.601 weights):
 * <ul>
 *   <li>sharpness: the variance of the 4-neighbour Laplacian, the usual focus measure (Pech-Pacheco et al.,
 *       2000): a blurred image has few edges, so the second derivative stays near zero everywhere;</li>
 *   <li>glare: the share of pixels at or above {@link #SATURATED}, where a reflection has washed the
 *       document out.</li>
 * </ul>
 */
public record StillAnalysis(int width, int height, double sharpness, double glare) {

  static final int SATURATED = 250;

  /** Decodes a JPEG or PNG; fails with {@link IOException} when the bytes are not a readable image. */
  public static StillAnalysis of(byte[] image) throws IOException {
    BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(image));
    if (decoded == null) {
      throw new IOException("not a readable JPEG or PNG image");
    }
    return of(decoded);
  }

  public static StillAnalysis of(BufferedImage image) {
    int width = image.getWidth();
    int height = image.getHeight();
    int[] rgb = image.getRGB(0, 0, width, height, null, 0, width);
    int[] luma = new int[rgb.length];
    long saturated = 0;
    for (int i = 0; i < rgb.length; i++) {
      int p = rgb[i];
      luma[i] = (299 * ((p >> 16) & 0xff) + 587 * ((p >> 8) & 0xff) + 114 * (p & 0xff)) / 1000;
      if (luma[i] >= SATURATED) {
        saturated++;
      }
    }
    double sum = 0;
    double sumSquares = 0;
    long count = 0;
    for (int y = 1; y < height - 1; y++) {
      for (int x = 1; x < width - 1; x++) {
        int i = y * width + x;
        int laplacian = luma[i - 1] + luma[i + 1] + luma[i - width] + luma[i + width] - 4 * luma[i];
        sum += laplacian;
        sumSquares += (double) laplacian * laplacian;
        count++;
      }
    }
    double variance = count == 0 ? 0 : sumSquares / count - (sum / count) * (sum / count);
    return new StillAnalysis(width, height, variance, rgb.length == 0 ? 0 : (double) saturated / rgb.length);
  }
}
