package ablak.identification.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ablak.identification.Images;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class StillAnalysisTest {

  @Test
  void aSharpDocumentHasAHighLaplacianVarianceAndNoGlare() throws IOException {
    StillAnalysis analysis = StillAnalysis.of(Images.png(Images.sharp(1280, 720)));

    assertThat(analysis.width()).isEqualTo(1280);
    assertThat(analysis.height()).isEqualTo(720);
    assertThat(analysis.sharpness()).isGreaterThan(1000);
    assertThat(analysis.glare()).isZero();
  }

  @Test
  void theSameImageBlurredScoresFarLower() throws IOException {
    double sharp = StillAnalysis.of(Images.png(Images.sharp(640, 360))).sharpness();
    double blurred = StillAnalysis.of(Images.png(Images.blurred(640, 360))).sharpness();

    assertThat(blurred).isLessThan(sharp / 20).isLessThan(60);
  }

  @Test
  void aReflectionCountsAsGlare() throws IOException {
    StillAnalysis analysis = StillAnalysis.of(Images.png(Images.withGlare(Images.sharp(400, 200), 0.25)));

    assertThat(analysis.glare()).isBetween(0.24, 0.26);
  }

  @Test
  void bytesThatAreNoImageAreRefused() {
    assertThatThrownBy(() -> StillAnalysis.of("not an image".getBytes())).isInstanceOf(IOException.class);
  }
}
