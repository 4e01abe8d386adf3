package ablak.identification;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.ConvolveOp;
import java.awt.image.Kernel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import javax.imageio.ImageIO;

/** Test stills: a sharp document-like pattern, the same blurred, and with a reflection. */
public final class Images {

  private Images() {}

  /** Dark and mid-grey squares of 6 pixels with thin lines: plenty of edges, nothing saturated. */
  public static BufferedImage sharp(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    for (int y = 0; y < height; y += 6) {
      for (int x = 0; x < width; x += 6) {
        g.setColor(((x + y) / 6) % 2 == 0 ? new Color(40, 40, 60) : new Color(200, 190, 180));
        g.fillRect(x, y, 6, 6);
      }
    }
    g.dispose();
    return image;
  }

  /** The sharp pattern under a box blur as wide as its period: the squares melt into a flat grey. */
  public static BufferedImage blurred(int width, int height) {
    float[] box = new float[12 * 12];
    Arrays.fill(box, 1f / box.length);
    BufferedImage wide = new ConvolveOp(new Kernel(12, 12, box), ConvolveOp.EDGE_NO_OP, null).filter(sharp(width + 24, height + 24), null);
    // The convolution leaves the edges unblurred: keep the middle only.
    BufferedImage middle = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = middle.createGraphics();
    g.drawImage(wide.getSubimage(12, 12, width, height), 0, 0, null);
    g.dispose();
    return middle;
  }

  /** The image with a white band covering {@code share} of it, as a lamp's reflection would. */
  public static BufferedImage withGlare(BufferedImage image, double share) {
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, (int) Math.round(image.getWidth() * share), image.getHeight());
    g.dispose();
    return image;
  }

  public static byte[] png(BufferedImage image) {
    return encode(image, "png");
  }

  public static byte[] jpeg(BufferedImage image) {
    return encode(image, "jpeg");
  }

  private static byte[] encode(BufferedImage image, String format) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(image, format, out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
