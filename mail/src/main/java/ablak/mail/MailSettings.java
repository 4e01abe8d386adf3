package ablak.mail;

import java.util.Objects;

/**
 * The installation's SMTP relay: every e-mail Ablak sends (reminders, appointment confirmations,
 * call-back links, identification codes) goes through it, from one sender address.
 *
 * @param from the sender address of every e-mail; also the ORGANIZER of appointment invitations
 * @param smtpHost SMTP relay host; empty (the default) means no relay: see {@link #relayConfigured()}
 * @param smtpPort SMTP relay port
 * @param smtpStartTls {@code true} to require STARTTLS (RFC 3207) towards the relay
 * @param smtpUser SMTP user name, empty for no SMTP AUTH
 * @param smtpPassword SMTP password, empty for none; never logged
 * @param smtpTimeoutMillis connect, read and write timeout towards the relay
 */
public record MailSettings(String from, String smtpHost, int smtpPort, boolean smtpStartTls, String smtpUser,
    String smtpPassword, int smtpTimeoutMillis) {

  public MailSettings {
    Objects.requireNonNull(from, "mail.from");
    Objects.requireNonNull(smtpHost, "mail.smtpHost (use an empty string for none)");
    Objects.requireNonNull(smtpUser, "mail.smtpUser (use an empty string for none)");
    Objects.requireNonNull(smtpPassword, "mail.smtpPassword (use an empty string for none)");
    if (smtpPort < 1 || smtpPort > 65535) {
      throw new IllegalArgumentException("mail.smtpPort must be 1-65535");
    }
    if (smtpTimeoutMillis < 1) {
      throw new IllegalArgumentException("mail.smtpTimeoutMillis must be positive");
    }
    if (!Mailer.isAddress(from)) {
      throw new IllegalArgumentException("mail.from is not an e-mail address");
    }
  }

  public static MailSettings defaults() {
    return new MailSettings("ugyfelkapu-noreply@ablak.localhost", "", 25, false, "", "", 10_000);
  }

  /** The same relay, reached at {@code host}:{@code port} without TLS or AUTH: for tests and demos. */
  public static MailSettings relay(String host, int port) {
    MailSettings d = defaults();
    return new MailSettings(d.from(), host, port, false, "", "", d.smtpTimeoutMillis());
  }

  /**
   * Whether an SMTP relay is configured. Without one nothing is sent: reminders and confirmations
   * wait in the delivery ledger, and an identification code cannot be e-mailed.
   */
  public boolean relayConfigured() {
    return !smtpHost.isBlank();
  }

  /** Like the record's own, with the SMTP password masked: settings get logged, secrets must not. */
  @Override
  public String toString() {
    return "MailSettings[from=" + from + ", smtpHost=" + smtpHost + ", smtpPort=" + smtpPort + ", smtpStartTls=" + smtpStartTls
        + ", smtpUser=" + smtpUser + ", smtpPassword=" + (smtpPassword.isEmpty() ? "" : "***")
        + ", smtpTimeoutMillis=" + smtpTimeoutMillis + "]";
  }
}
