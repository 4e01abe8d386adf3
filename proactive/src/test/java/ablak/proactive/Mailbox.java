package ablak.proactive;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.List;

/** A real SMTP server (GreenMail) on a free loopback port that can be stopped and started again. */
public final class Mailbox implements AutoCloseable {

  public final int port;
  private GreenMail server;

  public Mailbox() {
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    start();
  }

  public void start() {
    server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    server.start();
  }

  public void stop() {
    server.stop();
  }

  public List<MimeMessage> messages() {
    return Arrays.asList(server.getReceivedMessages());
  }

  public void clear() {
    server.reset();
  }

  @Override
  public void close() {
    server.stop();
  }
}
