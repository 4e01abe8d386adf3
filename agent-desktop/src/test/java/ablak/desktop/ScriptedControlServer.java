package ablak.desktop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.WebSocketRoute;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The server side of the control protocol as the browser sees it, played by the test through Playwright's
 * WebSocket routing: answers hello with welcome and resume with resumed (each with a fresh resume token), ping with
 * pong, and every other request
 * with the reply the test scripted for its type (an empty acknowledgement by default). The test pushes server
 * messages with {@link #push} and reads what the page sent from {@link #received}.
 */
final class ScriptedControlServer {

    private static final ObjectMapper JSON = new ObjectMapper();

    final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final Map<String, Function<JsonNode, ObjectNode>> replies = new ConcurrentHashMap<>();
    private final List<WebSocketRoute> sockets = new CopyOnWriteArrayList<>();
    private int welcomes;

    ScriptedControlServer install(Page page) {
        page.routeWebSocket(Pattern.compile(".*/ws$"), socket -> {
            sockets.add(socket);
            socket.onMessage(frame -> answer(socket, frame.text()));
        });
        return this;
    }

    /** Scripts the reply to a request type; the reply's ref is filled in. */
    ScriptedControlServer reply(String type, Function<JsonNode, ObjectNode> reply) {
        replies.put(type, reply);
        return this;
    }

    static ObjectNode message(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    static ObjectNode parse(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    /** Answers a request later, as a server does when the answer needs work (an SDP answer from the media side). */
    void respond(JsonNode request, ObjectNode reply) {
        push(reply.put("ref", request.path("id").asText()));
    }

    void push(ObjectNode message) {
        current().send(message.toString());
    }

    /** Closes the page's connection as a dying node would, without a close handshake the page asked for. */
    void dropConnection() {
        current().close(new WebSocketRoute.CloseOptions().setCode(4500).setReason("node stopped"));
    }

    int connections() {
        return sockets.size();
    }

    boolean hasReceived(String type) {
        return received.stream().anyMatch(m -> type.equals(m.path("type").asText()));
    }

    JsonNode last(String type) {
        return received.stream().filter(m -> type.equals(m.path("type").asText())).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("the page never sent " + type + "; it sent " + received));
    }

    private WebSocketRoute current() {
        if (sockets.isEmpty()) {
            throw new AssertionError("the page has not connected");
        }
        return sockets.get(sockets.size() - 1);
    }

    private void answer(WebSocketRoute socket, String text) {
        JsonNode request = parse(text);
        received.add(request);
        String type = request.path("type").asText();
        String id = request.path("id").asText(null);
        ObjectNode reply;
        switch (type) {
            case "hello", "resume" -> {
                welcomes++;
                reply = message("hello".equals(type) ? "welcome" : "resumed").put("resumeToken", "resume-" + welcomes).put("heartbeatSeconds", 20);
            }
            case "ping" -> reply = message("pong");
            default -> reply = replies.getOrDefault(type, r -> message("ok")).apply(request);
        }
        if (reply == null) {
            return;
        }
        if (id != null) {
            reply.put("ref", id);
        }
        socket.send(reply.toString());
    }
}
