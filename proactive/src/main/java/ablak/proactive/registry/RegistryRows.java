package ablak.proactive.registry;

import ablak.proactive.ProactiveError;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns an import file (CSV or JSON, format in docs/proactive.md) into validated records and
 * per-row errors. A file that cannot be read at all is refused whole; a bad row never stops the rest.
 */
public final class RegistryRows {

  public static final List<String> FIELDS = List.of(
      "citizen_id", "name", "birth_date", "email", "document_type", "document_number", "expiry_date");

  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
  private static final Pattern DOCUMENT_NUMBER = Pattern.compile("[A-Z0-9]{5,20}");
  private static final Pattern CITIZEN_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
  private static final CsvMapper CSV = new CsvMapper();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The outcome of reading a file: the good rows (with their row numbers) and the bad ones. */
  public record Parsed(List<Numbered> records, List<RowError> errors) {
    public int rows() {
      return records.size() + errors.size();
    }
  }

  public record Numbered(int row, RegistryRecord record) {}

  private RegistryRows() {}

  public static Parsed csv(String text) {
    List<Map<String, String>> rows = new ArrayList<>();
    List<RowError> errors = new ArrayList<>();
    try (var lines = CSV.readerForListOf(String.class).with(CsvParser.Feature.WRAP_AS_ARRAY)
        .<List<String>>readValues(text)) {
      if (!lines.hasNext()) {
        throw invalid("the CSV file is empty: expected a header line " + String.join(",", FIELDS));
      }
      List<String> header = lines.next().stream().map(String::trim).toList();
      if (!header.containsAll(FIELDS)) {
        throw invalid("the CSV header must name the columns " + String.join(",", FIELDS) + "; it has " + header);
      }
      int row = 0;
      while (lines.hasNext()) {
        List<String> values = lines.next();
        row++;
        if (values.size() == 1 && values.get(0).isBlank()) {
          row--;
          continue;
        }
        if (values.size() != header.size()) {
          errors.add(new RowError(row, "row", "has " + values.size() + " values, the header has " + header.size()));
          rows.add(null);
          continue;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
          fields.put(header.get(i), values.get(i));
        }
        rows.add(fields);
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof ProactiveError error) {
        throw error;
      }
      throw invalid("the CSV file cannot be read: " + e.getMessage());
    }
    return validate(rows, errors);
  }

  public static Parsed json(String text) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw invalid("the JSON file cannot be read: " + e.getOriginalMessage());
    }
    if (root == null || !root.isArray()) {
      throw invalid("the JSON file must be an array of objects");
    }
    List<Map<String, String>> rows = new ArrayList<>();
    List<RowError> errors = new ArrayList<>();
    int row = 0;
    for (JsonNode element : root) {
      row++;
      if (!element.isObject()) {
        errors.add(new RowError(row, "row", "is not an object"));
        rows.add(null);
        continue;
      }
      Map<String, String> fields = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = element.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        fields.put(field.getKey(), field.getValue().isTextual() ? field.getValue().textValue() : null);
      }
      rows.add(fields);
    }
    return validate(rows, errors);
  }

  /** Rows are numbered by position; a null row was already reported as an error. */
  private static Parsed validate(List<Map<String, String>> rows, List<RowError> errors) {
    List<Numbered> records = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      Map<String, String> fields = rows.get(i);
      if (fields != null) {
        int row = i + 1;
        try {
          records.add(new Numbered(row, record(row, fields)));
        } catch (RowException e) {
          errors.add(e.error);
        }
      }
    }
    errors.sort((a, b) -> Integer.compare(a.row(), b.row()));
    return new Parsed(records, errors);
  }

  private static RegistryRecord record(int row, Map<String, String> fields) {
    String citizenId = matching(row, fields, "citizen_id", CITIZEN_ID, "letters, digits and '-', at most 64");
    String name = text(row, fields, "name").replaceAll("\\s+", " ");
    LocalDate birthDate = date(row, fields, "birth_date");
    String email = matching(row, fields, "email", EMAIL, "an e-mail address");
    String type = text(row, fields, "document_type");
    DocumentType documentType = DocumentType.fromCode(type).orElseThrow(() -> new RowException(
        new RowError(row, "document_type", "'" + type + "' is not one of "
            + Arrays.stream(DocumentType.values()).map(DocumentType::code).toList())));
    String documentNumber = matching(row, fields, "document_number", DOCUMENT_NUMBER, "5-20 capital letters or digits");
    LocalDate expiryDate = date(row, fields, "expiry_date");
    if (!birthDate.isBefore(expiryDate)) {
      throw new RowException(new RowError(row, "expiry_date", "is not after the birth date"));
    }
    return new RegistryRecord(citizenId, name, birthDate, email, documentType, documentNumber, expiryDate);
  }

  private static String text(int row, Map<String, String> fields, String field) {
    String value = fields.get(field);
    if (value == null || value.isBlank()) {
      throw new RowException(new RowError(row, field, "is missing (a text value is required)"));
    }
    return value.trim();
  }

  private static String matching(int row, Map<String, String> fields, String field, Pattern pattern, String expected) {
    String value = text(row, fields, field);
    if (!pattern.matcher(value).matches()) {
      throw new RowException(new RowError(row, field, "'" + value + "' is not " + expected));
    }
    return value;
  }

  private static LocalDate date(int row, Map<String, String> fields, String field) {
    String value = text(row, fields, field);
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw new RowException(new RowError(row, field, "'" + value + "' is not a date as YYYY-MM-DD"));
    }
  }

  private static ProactiveError invalid(String message) {
    return new ProactiveError(ProactiveError.Code.INVALID_INPUT, message);
  }

  private static final class RowException extends RuntimeException {
    final RowError error;

    RowException(RowError error) {
      super(error.message(), null, false, false);
      this.error = error;
    }
  }
}
