package ablak.identification.code;

import ablak.identification.IdentificationSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;

/**
 * E-mails the one-time code through the configured SMTP relay with Jakarta Mail, on a worker thread
 * (SMTP is blocking). The proactive module's mailer is bound to its own settings and delivery ledger;
 * a code needs neither: it is sent once, while the clerk waits, and a failure is shown at once.
 */
public final class CodeMailer {

  private final Vertx vertx;
  private final Session session;
  private final InternetAddress from;
  private final String user;
  private final String password;

  public CodeMailer(Vertx vertx, IdentificationSettings settings) {
    this.vertx = vertx;
    Properties properties = new Properties();
    properties.put("mail.smtp.host", settings.smtpHost());
    properties.put("mail.smtp.port", String.valueOf(settings.smtpPort()));
    properties.put("mail.smtp.connectiontimeout", String.valueOf(settings.smtpTimeoutMillis()));
    properties.put("mail.smtp.timeout", String.valueOf(settings.smtpTimeoutMillis()));
    properties.put("mail.smtp.writetimeout", String.valueOf(settings.smtpTimeoutMillis()));
    properties.put("mail.smtp.starttls.enable", String.valueOf(settings.smtpStartTls()));
    properties.put("mail.smtp.starttls.required", String.valueOf(settings.smtpStartTls()));
    properties.put("mail.smtp.auth", String.valueOf(!settings.smtpUser().isEmpty()));
    this.session = Session.getInstance(properties);
    this.user = settings.smtpUser();
    this.password = settings.smtpPassword();
    try {
      this.from = new InternetAddress(settings.mailFrom(), true);
    } catch (AddressException e) {
      throw new IllegalArgumentException("identification.mailFrom is not an e-mail address", e);
    }
  }

  /** A strict RFC 822 address check; {@code false} for anything a relay would refuse outright. */
  public static boolean isAddress(String address) {
    try {
      new InternetAddress(address, true).validate();
      return address.contains("@");
    } catch (AddressException e) {
      return false;
    }
  }

  public Future<Void> send(String recipient, String language, String code, long minutesValid) {
    return vertx.executeBlocking(() -> {
      MimeMessage message = new MimeMessage(session);
      message.setFrom(from);
      message.setRecipient(Message.RecipientType.TO, new InternetAddress(recipient, true));
      boolean hungarian = "hu".equals(language);
      message.setSubject(hungarian ? "Ablak: azonosító kód" : "Ablak: identification code", "UTF-8");
      message.setText(hungarian
          ? "Az ügyintéző kérésére írja be ezt a kódot a videóhívás képernyőjén: " + code
              + "\n\nA kód " + minutesValid + " percig érvényes. Ha nem Ön kezdeményezte, ne adja meg senkinek."
          : "Enter this code on your video call screen when the clerk asks: " + code
              + "\n\nThe code is valid for " + minutesValid + " minutes. If you did not start this, do not give it to anyone.",
          "UTF-8");
      try {
        if (user.isEmpty()) {
          Transport.send(message);
        } else {
          Transport.send(message, user, password);
        }
      } catch (MessagingException e) {
        throw new IllegalStateException("the SMTP relay did not take the code e-mail: " + e.getMessage(), e);
      }
      return null;
    }, false);
  }
}
