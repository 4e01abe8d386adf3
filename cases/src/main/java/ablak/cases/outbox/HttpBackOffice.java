package ablak.cases.outbox;

import ablak.cases.CasesSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The generic HTTP back-office adapter: {@code POST} the submission JSON to the destination's URL
 * with an {@code Idempotency-Key} header (draft-ietf-httpapi-idempotency-key-header).
 * <ul>
 *   <li>2xx with {@code {"status":"accepted","reference":...}}: accepted;</li>
 *   <li>422 with {@code {"status":"rejected","problems":[...]}}: rejected;</li>
 *   <li>408, 425, 429, 5xx, no connection, no answer in time: retry later;</li>
 *   <li>any other status: the request itself is wrong, retrying cannot help: dead letter.</li>
 * </ul>
 */
public final class HttpBackOffice implements BackOfficeAdapter {

    private final HttpClient client;
    private final CasesSettings settings;

    public HttpBackOffice(Vertx vertx, CasesSettings settings) {
        this.settings = settings;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) settings.deliveryTimeout().toMillis())
                .setKeepAlive(true));
    }

    @Override
    public Future<BackOfficeAnswer> deliver(OutboundSubmission submission) {
        long timeout = settings.deliveryTimeout().toMillis();
        RequestOptions request = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(settings.submissionUrl(submission.destination()).toString())
                .putHeader("Content-Type", "application/json")
                .putHeader("Idempotency-Key", submission.idempotencyKey())
                .setIdleTimeout(timeout);
        return client.request(request)
                .compose(r -> r.send(Buffer.buffer(submission.payload())))
                .compose(response -> response.body().map(body -> answer(response.statusCode(), body)))
                .timeout(timeout, TimeUnit.MILLISECONDS)
                .otherwise(failure -> new BackOfficeAnswer.Failed("no answer: " + failure, true));
    }

    public Future<Void> close() {
        return client.close();
    }

    static BackOfficeAnswer answer(int status, Buffer body) {
        if (status >= 200 && status < 300) {
            JsonObject json = parse(body);
            if (json != null && "accepted".equals(json.getString("status"))) {
                return new BackOfficeAnswer.Accepted(json.getString("reference"));
            }
            return new BackOfficeAnswer.Failed("HTTP " + status + " without an accepted answer: " + brief(body), false);
        }
        if (status == 422) {
            JsonObject json = parse(body);
            if (json != null && "rejected".equals(json.getString("status"))) {
                List<String> problems = new ArrayList<>();
                JsonArray list = json.getJsonArray("problems", new JsonArray());
                list.forEach(p -> problems.add(String.valueOf(p)));
                return new BackOfficeAnswer.Rejected(problems);
            }
        }
        boolean retryable = status == 408 || status == 425 || status == 429 || status >= 500;
        return new BackOfficeAnswer.Failed("HTTP " + status + ": " + brief(body), retryable);
    }

    private static JsonObject parse(Buffer body) {
        try {
            return body.toJsonObject();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String brief(Buffer body) {
        String text = body.toString();
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
