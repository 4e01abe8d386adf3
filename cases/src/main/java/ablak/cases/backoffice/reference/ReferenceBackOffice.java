package ablak.cases.backoffice.reference;

import ablak.cases.CasesException;
import ablak.cases.catalogue.Catalogue;
import ablak.cases.catalogue.CatalogueLoader;
import ablak.cases.form.FieldError;
import ablak.cases.form.FormDefinition;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reference back-office receiver for tests and the demo, speaking the protocol of
 * {@link ablak.cases.outbox.HttpBackOffice}. Like a FIT-Connect destination it validates each
 * submission against the form schema it names and answers accepted (201) or rejected (422). It
 * stores each submission once per Idempotency-Key and answers a repeat from its store. It can be
 * told to fail ({@code failWith(503)}), to be slow ({@code delay}) or to reject everything, in code
 * or over HTTP with {@code PUT /control {"failStatus":503,"delayMillis":2000,"rejectAll":false}}.
 * <pre>
 * POST /destinations/{destination}/submissions   Idempotency-Key: ...   submission JSON
 * GET  /destinations/{destination}/submissions   what was stored
 * GET|PUT /control                               fault settings
 * </pre>
 * Run it: {@code java -cp cases.jar:... ablak.cases.backoffice.reference.ReferenceBackOffice [port] [catalogueDir]}.
 * It keeps submissions in memory only.
 */
public final class ReferenceBackOffice {

    private static final Logger LOG = LoggerFactory.getLogger(ReferenceBackOffice.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SUBMISSIONS = Pattern.compile("^/destinations/([A-Za-z0-9._-]+)/submissions$");

    /** What was stored for one Idempotency-Key, and the answer every repeat gets. */
    public record Stored(String destination, String idempotencyKey, JsonObject submission, int status, JsonObject answer) {
    }

    private final Vertx vertx;
    private final Catalogue catalogue;
    private final Map<String, Stored> stored = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger answers = new AtomicInteger();
    private final AtomicInteger sequence = new AtomicInteger();
    private final AtomicReference<Integer> failStatus = new AtomicReference<>();
    private volatile Duration delay = Duration.ZERO;
    private volatile boolean rejectAll;
    private HttpServer server;

    private ReferenceBackOffice(Vertx vertx, Catalogue catalogue) {
        this.vertx = vertx;
        this.catalogue = catalogue;
    }

    /** Listens on 127.0.0.1:{@code port} (0 picks a free port). */
    public static Future<ReferenceBackOffice> start(Vertx vertx, int port, Catalogue catalogue) {
        ReferenceBackOffice backOffice = new ReferenceBackOffice(vertx, catalogue);
        return vertx.createHttpServer().requestHandler(backOffice::handle).listen(port, "127.0.0.1")
                .map(server -> {
                    backOffice.server = server;
                    return backOffice;
                });
    }

    public int port() {
        return server.actualPort();
    }

    /** Answer every submission with this HTTP status, storing nothing, until {@link #recover()}. */
    public void failWith(int status) {
        failStatus.set(status);
    }

    public void recover() {
        failStatus.set(null);
    }

    /** Wait this long before answering (after storing), as a slow back office would. */
    public void delay(Duration delay) {
        this.delay = delay;
    }

    public void rejectAll(boolean reject) {
        this.rejectAll = reject;
    }

    /** Submission requests received, including failed and repeated ones. */
    public int requestsReceived() {
        return requests.get();
    }

    /** Submission answers sent (accepted or rejected), including answers to repeats. */
    public int answersSent() {
        return answers.get();
    }

    public List<Stored> stored() {
        return List.copyOf(stored.values());
    }

    public Future<Void> close() {
        return server.close();
    }

    private void handle(HttpServerRequest request) {
        Matcher submissions = SUBMISSIONS.matcher(request.path());
        if (submissions.matches() && request.method().name().equals("POST")) {
            request.body().onSuccess(body -> receive(request, submissions.group(1), body.toString()));
        } else if (submissions.matches() && request.method().name().equals("GET")) {
            JsonArray list = new JsonArray();
            stored.values().stream().filter(s -> s.destination().equals(submissions.group(1)))
                    .forEach(s -> list.add(new JsonObject().put("idempotencyKey", s.idempotencyKey())
                            .put("status", s.status()).put("answer", s.answer()).put("submission", s.submission())));
            respond(request, 200, new JsonObject().put("submissions", list));
        } else if (request.path().equals("/control") && request.method().name().equals("PUT")) {
            request.body().onSuccess(body -> {
                JsonObject control = body.toJsonObject();
                failStatus.set(control.getInteger("failStatus"));
                delay = Duration.ofMillis(control.getLong("delayMillis", 0L));
                rejectAll = control.getBoolean("rejectAll", false);
                respond(request, 200, control());
            });
        } else if (request.path().equals("/control") && request.method().name().equals("GET")) {
            respond(request, 200, control());
        } else {
            respond(request, 404, new JsonObject().put("error", "no such resource"));
        }
    }

    private JsonObject control() {
        return new JsonObject().put("failStatus", failStatus.get()).put("delayMillis", delay.toMillis())
                .put("rejectAll", rejectAll).put("requestsReceived", requests.get()).put("stored", stored.size());
    }

    private void receive(HttpServerRequest request, String destination, String body) {
        requests.incrementAndGet();
        Integer failing = failStatus.get();
        if (failing != null) {
            respond(request, failing, new JsonObject().put("error", "back office unavailable"));
            return;
        }
        String key = request.getHeader("Idempotency-Key");
        if (key == null || key.isBlank()) {
            respond(request, 400, new JsonObject().put("error", "Idempotency-Key header is required"));
            return;
        }
        JsonObject submission;
        try {
            submission = new JsonObject(body);
        } catch (RuntimeException e) {
            respond(request, 400, new JsonObject().put("error", "body is not a JSON object"));
            return;
        }
        Stored entry = stored.computeIfAbsent(key, k -> judge(destination, k, submission));
        boolean repeat = entry.submission() != submission;
        LOG.info("{} submission {} for {}: {}", repeat ? "repeated" : "new", key, destination, entry.answer().getString("status"));
        vertx.setTimer(Math.max(1, delay.toMillis()), t -> {
            if (repeat) {
                request.response().putHeader("Idempotent-Replayed", "true");
            }
            respond(request, entry.status(), entry.answer());
            answers.incrementAndGet();
        });
    }

    private Stored judge(String destination, String key, JsonObject submission) {
        List<String> problems = problems(submission);
        if (problems.isEmpty()) {
            String reference = destination + "/" + String.format("%06d", sequence.incrementAndGet());
            return new Stored(destination, key, submission, 201,
                    new JsonObject().put("status", "accepted").put("reference", reference));
        }
        return new Stored(destination, key, submission, 422,
                new JsonObject().put("status", "rejected").put("problems", new JsonArray(problems)));
    }

    private List<String> problems(JsonObject submission) {
        if (rejectAll) {
            return List.of("rejected by the back office's operator");
        }
        String caseType = submission.getString("caseType");
        Integer version = submission.getInteger("formVersion");
        if (caseType == null || version == null || submission.getString("caseNumber") == null
                || submission.getJsonObject("data") == null) {
            return List.of("metadata incomplete: caseType, formVersion, caseNumber and data are required");
        }
        try {
            FormDefinition form = catalogue.form(caseType, version);
            JsonNode data = JSON.readTree(submission.getJsonObject("data").encode());
            return form.validate(data, "en", FormDefinition.Mode.COMPLETE).stream().map(FieldError::message).toList();
        } catch (CasesException e) {
            return List.of(e.getMessage());
        } catch (Exception e) {
            return List.of("data is not readable: " + e.getMessage());
        }
    }

    private static void respond(HttpServerRequest request, int status, JsonObject body) {
        request.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8091;
        Catalogue catalogue = args.length > 1 ? CatalogueLoader.fromDirectory(Path.of(args[1])) : CatalogueLoader.bundled();
        start(Vertx.vertx(), port, catalogue)
                .onSuccess(b -> System.out.println("reference back office listening on http://127.0.0.1:" + b.port()))
                .onFailure(e -> {
                    System.err.println("cannot start: " + e);
                    System.exit(1);
                });
    }
}
