package ablak.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The one mailer against a real SMTP server (GreenMail) on loopback. */
class MailerTest {

  private final Vertx vertx = Vertx.vertx();
  private GreenMail relay;
  private Mailer mailer;

  @BeforeEach
  void start() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    relay = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    relay.start();
    mailer = new Mailer(vertx, MailSettings.relay("127.0.0.1", port), Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    relay.stop();
    vertx.close();
  }

  @Test
  void aTextEmailArrivesFromTheInstallationsSender() throws Exception {
    await(mailer.send(Email.text("kiss.anna@example.hu", "Ablak: azonosító kód", "A kód: 123456")));

    MimeMessage received = relay.getReceivedMessages()[0];
    assertThat(received.getFrom()[0].toString()).isEqualTo(MailSettings.defaults().from()).isEqualTo(mailer.from());
    assertThat(received.getAllRecipients()[0].toString()).isEqualTo("kiss.anna@example.hu");
    assertThat(received.getSubject()).isEqualTo("Ablak: azonosító kód");
    assertThat(GreenMailUtil.getBody(received)).contains("123456");
  }

  @Test
  void aCalendarIsAttachedWithItsITipMethod() throws Exception {
    String calendar = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n";
    await(mailer.send(new Email("kiss.anna@example.hu", "Időpont", "Várjuk.", calendar, "REQUEST")));

    MimeMultipart parts = (MimeMultipart) relay.getReceivedMessages()[0].getContent();
    assertThat(parts.getCount()).isEqualTo(2);
    assertThat(parts.getBodyPart(1).getContentType()).contains("text/calendar").contains("method=REQUEST");
    assertThat(parts.getBodyPart(1).getFileName()).isEqualTo("appointment.ics");
  }

  @Test
  void aMalformedRecipientIsAPermanentFailureAndNothingIsSent() {
    Throwable failure = failure(mailer.send(Email.text("not an address", "x", "y")));

    assertThat(failure).isInstanceOf(Mailer.SendFailure.class);
    assertThat(((Mailer.SendFailure) failure).permanent()).isTrue();
    assertThat(relay.getReceivedMessages()).isEmpty();
  }

  @Test
  void aRelayThatIsDownIsATemporaryFailure() {
    relay.stop();

    Throwable failure = failure(mailer.send(Email.text("kiss.anna@example.hu", "x", "y")));

    assertThat(((Mailer.SendFailure) failure).permanent()).as("retrying later can help").isFalse();
  }

  @Test
  void withoutARelayNothingIsTriedAndTheFailureSaysWhy() {
    Mailer none = new Mailer(vertx, MailSettings.defaults(), Clock.systemUTC());

    assertThat(none.relayConfigured()).isFalse();
    Throwable failure = failure(none.send(Email.text("kiss.anna@example.hu", "x", "y")));
    assertThat(failure).hasMessageContaining("mail.smtpHost");
    assertThat(((Mailer.SendFailure) failure).permanent()).isFalse();
  }

  @Test
  void addressesAreCheckedStrictly() {
    assertThat(Mailer.isAddress("kiss.anna@example.hu")).isTrue();
    assertThat(Mailer.isAddress("kiss.anna")).isFalse();
    assertThat(Mailer.isAddress("a b@example.hu")).isFalse();
    assertThat(Mailer.isAddress("")).isFalse();
    assertThat(Mailer.isAddress(null)).isFalse();
  }

  @Test
  void settingsRefuseWhatCannotWorkAndNeverPrintThePassword() {
    MailSettings d = MailSettings.defaults();
    MailSettings withPassword = new MailSettings(d.from(), "smtp.example.hu", 587, true, "relay-user", "s3cret-relay-password", 5000);

    assertThat(withPassword.toString()).contains("smtpUser=relay-user").doesNotContain("s3cret-relay-password");
    assertThat(withPassword.relayConfigured()).isTrue();
    assertThatThrownBy(() -> new MailSettings("nobody", "", 25, false, "", "", 5000)).hasMessageContaining("mail.from");
    assertThatThrownBy(() -> new MailSettings(d.from(), "", 0, false, "", "", 5000)).hasMessageContaining("mail.smtpPort");
    assertThatThrownBy(() -> new MailSettings(d.from(), "", 25, false, "", "", 0)).hasMessageContaining("mail.smtpTimeoutMillis");
  }

  private static void await(Future<?> future) throws Exception {
    future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static Throwable failure(Future<?> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("the send succeeded");
  }
}
