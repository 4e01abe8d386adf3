package ablak.identification.document;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The catalogue of accepted documents, read from {@code identification/document-types.json} on the
 * classpath: data, so a new document type is an edit of that file, not of code.
 */
public final class DocumentTypes {

  private record File(List<DocumentType> documentTypes) {}

  private final Map<String, DocumentType> byId = new LinkedHashMap<>();

  private DocumentTypes(List<DocumentType> types) {
    for (DocumentType type : types) {
      if (type.securityFeatures().isEmpty()) {
        throw new IllegalArgumentException("document type " + type.id() + " lists no security features");
      }
      if (byId.put(type.id(), type) != null) {
        throw new IllegalArgumentException("document type " + type.id() + " is listed twice");
      }
    }
  }

  public static DocumentTypes bundled() {
    try (InputStream in = DocumentTypes.class.getResourceAsStream("/identification/document-types.json")) {
      File file = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .readValue(in, File.class);
      return new DocumentTypes(file.documentTypes());
    } catch (IOException e) {
      throw new UncheckedIOException("the bundled document catalogue is unreadable", e);
    }
  }

  public Optional<DocumentType> find(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  public List<DocumentType> all() {
    return List.copyOf(byId.values());
  }
}
