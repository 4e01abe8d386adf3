package ablak.mail;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Date;
import java.util.Properties;

/**
 * Sends e-mail through the installation's SMTP relay ({@link MailSettings}) with Jakarta Mail, on
 * worker threads (SMTP is blocking). A refusal is classified by its SMTP reply code: 5xx is permanent (RFC 5321 §4.2.1),
 * anything else (4xx, a refused connection, a timeout) is temporary and retried.
 */
public final class Mailer {

  /** A failed send; {@code permanent} means retrying cannot help. */
  public static final class SendFailure extends RuntimeException {
    private final boolean permanent;

    SendFailure(String message, boolean permanent, Throwable cause) {
      super(message, cause, false, false);
      this.permanent = permanent;
    }

    public boolean permanent() {
      return permanent;
    }
  }

  private final Vertx vertx;
  private final Session session;
  private final InternetAddress from;
  private final String user;
  private final String password;
  private final Clock clock;

  private final boolean relayConfigured;

  public Mailer(Vertx vertx, MailSettings settings, Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
    this.relayConfigured = settings.relayConfigured();
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
      this.from = new InternetAddress(settings.from(), true);
    } catch (AddressException e) {
      throw new IllegalArgumentException("mail.from is not an e-mail address", e);
    }
  }

  /** A strict RFC 822 address with a domain; {@code false} for anything a relay would refuse outright. */
  public static boolean isAddress(String address) {
    if (address == null || !address.contains("@")) {
      return false;
    }
    try {
      new InternetAddress(address, true).validate();
      return true;
    } catch (AddressException e) {
      return false;
    }
  }

  /** The sender of every e-mail, as its From header shows it. */
  public String from() {
    return from.getAddress();
  }

  /** See {@link MailSettings#relayConfigured()}. */
  public boolean relayConfigured() {
    return relayConfigured;
  }

  /** Fails with a {@link SendFailure}; a temporary one when no relay is configured, which a later configuration cures. */
  public Future<Void> send(Email email) {
    if (!relayConfigured) {
      return Future.failedFuture(new SendFailure("no SMTP relay is configured (mail.smtpHost)", false, null));
    }
    return vertx.executeBlocking(() -> {
      MimeMessage message = message(email);
      try {
        if (user.isEmpty()) {
          Transport.send(message);
        } else {
          Transport.send(message, user, password);
        }
      } catch (MessagingException e) {
        int code = replyCode(e);
        throw new SendFailure(code > 0 ? "SMTP " + code + ": " + e.getMessage() : e.toString(), code >= 500, e);
      }
      return null;
    }, false);
  }

  private MimeMessage message(Email email) throws MessagingException {
    MimeMessage message = new MimeMessage(session);
    message.setFrom(from);
    try {
      message.setRecipient(Message.RecipientType.TO, new InternetAddress(email.recipient(), true));
    } catch (MessagingException e) {
      throw new SendFailure("not an e-mail address: " + email.recipient(), true, e);
    }
    message.setSubject(email.subject(), "UTF-8");
    message.setSentDate(Date.from(clock.instant()));
    if (email.calendar() == null) {
      message.setText(email.body(), "UTF-8");
    } else {
      MimeBodyPart text = new MimeBodyPart();
      text.setText(email.body(), "UTF-8");
      // RFC 6047 §2.4: the iTIP method is repeated in the Content-Type of the calendar part.
      MimeBodyPart calendar = new MimeBodyPart();
      calendar.setDataHandler(new DataHandler(new ByteArrayDataSource(email.calendar().getBytes(StandardCharsets.UTF_8),
          "text/calendar; charset=UTF-8; method=" + email.calendarMethod())));
      calendar.setFileName("appointment.ics");
      message.setContent(new MimeMultipart(text, calendar));
    }
    message.saveChanges();
    return message;
  }

  /** The SMTP reply code carried by Angus Mail's exceptions (SMTPSendFailedException and kin), or 0. */
  private static int replyCode(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      try {
        Object code = t.getClass().getMethod("getReturnCode").invoke(t);
        if (code instanceof Integer value && value > 0) {
          return value;
        }
      } catch (ReflectiveOperationException notAnSmtpReply) {
        // not an exception that carries a reply code: look at its cause
      }
      if (t instanceof MessagingException messaging && messaging.getNextException() != null && messaging.getNextException() != t.getCause()) {
        int next = replyCode(messaging.getNextException());
        if (next > 0) {
          return next;
        }
      }
    }
    return 0;
  }
}
