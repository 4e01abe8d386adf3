package ablak.proactive.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * E-mail templates per language, personalised with {@code ((placeholder))} fields as GOV.UK Notify
 * does. Each template is a classpath file {@code ablak/proactive/templates/<name>.<language>.txt}
 * whose first line is {@code Subject: ...}, then a blank line, then the body. A placeholder without
 * a value is an error: a half-personalised e-mail is never sent.
 */
public final class Templates {

  public static final List<String> NAMES =
      List.of("reminder_before", "reminder_expiry_day", "appointment_booked", "appointment_cancelled", "callback_due");
  public static final List<String> LANGUAGES = List.of("hu", "en");

  private static final Pattern PLACEHOLDER = Pattern.compile("\\(\\(([a-z_]+)\\)\\)");

  /** A personalised e-mail ready to send. */
  public record Rendered(String subject, String body) {}

  private record Template(String subject, String body) {}

  private final Map<String, Template> templates = new HashMap<>();

  /** Loads every template at once, so a missing file stops the service at start, not at 9:00 on a send day. */
  public Templates() {
    for (String name : NAMES) {
      for (String language : LANGUAGES) {
        templates.put(name + "." + language, load(name + "." + language + ".txt"));
      }
    }
  }

  public boolean hasLanguage(String language) {
    return LANGUAGES.contains(language);
  }

  public Rendered render(String name, String language, Map<String, String> fields) {
    Template template = templates.get(name + "." + language);
    if (template == null) {
      throw new IllegalArgumentException("no template " + name + " in language " + language);
    }
    return new Rendered(fill(template.subject(), fields), fill(template.body(), fields));
  }

  private static String fill(String text, Map<String, String> fields) {
    Matcher matcher = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String value = fields.get(matcher.group(1));
      if (value == null) {
        throw new IllegalArgumentException("no value for ((" + matcher.group(1) + "))");
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    return matcher.appendTail(out).toString();
  }

  private static Template load(String file) {
    try (InputStream in = Templates.class.getResourceAsStream("/ablak/proactive/templates/" + file)) {
      if (in == null) {
        throw new IllegalStateException("template " + file + " is missing from the classpath");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int end = text.indexOf('\n');
      String first = text.substring(0, end);
      if (!first.startsWith("Subject: ")) {
        throw new IllegalStateException("template " + file + " must start with 'Subject: '");
      }
      return new Template(first.substring("Subject: ".length()).trim(), text.substring(end + 1).strip() + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
