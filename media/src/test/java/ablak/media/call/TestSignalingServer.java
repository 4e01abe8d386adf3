package ablak.media.call;

import ablak.media.sdp.SdpException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A test-only stand-in for the signaling server: serves the test page and takes offers at
 * {@code POST /calls/{call}/participants/{participant}?role=clerk}, answering 201 with the SDP answer, or
 * 400 with the typed reason. A second POST for the same participant is a reconnect.
 */
final class TestSignalingServer implements AutoCloseable {
    private final HttpServer server;

    TestSignalingServer(Sfu sfu) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", exchange -> {
            try (InputStream page = TestSignalingServer.class.getResourceAsStream("call.html")) {
                respond(exchange, 200, "text/html", page.readAllBytes());
            }
        });
        server.createContext("/calls/", exchange -> {
            String[] parts = exchange.getRequestURI().getPath().split("/");
            String query = exchange.getRequestURI().getQuery();
            Role role = Role.valueOf((query == null ? "role=citizen" : query).substring(5).toUpperCase(Locale.ROOT));
            String offer = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Call call = sfu.call(parts[2]);
            Participant participant;
            synchronized (call) {
                participant = call.participant(parts[4]).orElseGet(() -> call.join(parts[4], role));
            }
            try {
                String answer = participant.connect(offer).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
                respond(exchange, 201, "application/sdp", answer.getBytes(StandardCharsets.UTF_8));
            } catch (ExecutionException e) {
                String reason = e.getCause() instanceof SdpException s ? s.reason().name() : e.getCause().toString();
                respond(exchange, 400, "text/plain", reason.getBytes(StandardCharsets.UTF_8));
            } catch (InterruptedException | TimeoutException e) {
                respond(exchange, 500, "text/plain", e.toString().getBytes(StandardCharsets.UTF_8));
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    private static void respond(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
