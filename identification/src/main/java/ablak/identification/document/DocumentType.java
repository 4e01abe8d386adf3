package ablak.identification.document;

import ablak.identification.mrz.MrzFormat;
import java.util.List;
import java.util.Map;

/**
 * An identity document the clerk may accept, with the security features to check on it.
 *
 * @param mrz its machine readable zone, or {@code null} when it has none (EU driving licences)
 */
public record DocumentType(String id, Map<String, String> name, MrzFormat mrz, List<SecurityFeature> securityFeatures) {

  /** One feature to check, named in each language ({@code hu}, {@code en}). */
  public record SecurityFeature(String id, String hu, String en) {}

  public List<String> featureIds() {
    return securityFeatures.stream().map(SecurityFeature::id).toList();
  }
}
