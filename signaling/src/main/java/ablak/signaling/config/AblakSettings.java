package ablak.signaling.config;

import ablak.cases.CasesSettings;
import ablak.identification.IdentificationSettings;
import ablak.mail.MailSettings;
import ablak.media.MediaSettings;
import ablak.proactive.ProactiveSettings;
import ablak.queue.QueueSettings;

/**
 * The one typed configuration of an Ablak node: every module's settings record, composed.
 * Defaults live in each record's {@code defaults()}; docs/configuration.md lists them all.
 * A module adds its settings by adding one component here and one line in {@link #defaults()}.
 */
public record AblakSettings(
    HttpSettings http,
    StoreSettings stores,
    AuthSettings auth,
    ProtocolSettings protocol,
    CasesSettings cases,
    MediaSettings media,
    ProactiveSettings proactive,
    QueueSettings queue,
    CallSettings calls,
    IdentificationSettings identification,
    MailSettings mail) {

  public static AblakSettings defaults() {
    return new AblakSettings(
        HttpSettings.defaults(),
        StoreSettings.defaults(),
        AuthSettings.defaults(),
        ProtocolSettings.defaults(),
        CasesSettings.defaults(),
        MediaSettings.defaults(),
        ProactiveSettings.defaults(),
        QueueSettings.defaults(),
        CallSettings.defaults(),
        IdentificationSettings.defaults(),
        MailSettings.defaults());
  }
}
