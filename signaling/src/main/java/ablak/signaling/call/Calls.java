package ablak.signaling.call;

import ablak.cases.Cases;
import ablak.cases.catalogue.CaseType;
import ablak.cases.lifecycle.CaseView;
import ablak.media.call.Sfu;
import ablak.queue.routing.RoutingEngine;
import ablak.signaling.auth.Principal;
import ablak.signaling.auth.Role;
import ablak.signaling.call.CallStore.Call;
import ablak.signaling.cases.CasePrincipals;
import ablak.signaling.protocol.Outbound;
import ablak.signaling.protocol.Push;
import ablak.signaling.queue.Contacts;
import ablak.signaling.queue.Contacts.Contact;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and ends calls. A call starts when a clerk accepts an offer: the clerk becomes the
 * case's handler, the accepting node hosts the media (its SFU, its base URL), and both
 * participants get {@code call.started} with a media token for that call. It ends once, whoever
 * ends it and on whichever node: routing completes the contact and the clerk goes to wrap-up.
 */
public final class Calls {

  private static final Logger LOG = LoggerFactory.getLogger(Calls.class);

  private final CallStore store;
  private final Contacts contacts;
  private final RoutingEngine engine;
  private final Cases cases;
  private final Push push;
  private final MediaTokens mediaTokens;
  private final Sfu sfu;
  private final CallRecorder recorder;
  private final String nodeUrl;

  public Calls(CallStore store, Contacts contacts, RoutingEngine engine, Cases cases, Push push, MediaTokens mediaTokens, Sfu sfu,
      CallRecorder recorder, String nodeUrl) {
    this.store = store;
    this.contacts = contacts;
    this.engine = engine;
    this.cases = cases;
    this.push = push;
    this.mediaTokens = mediaTokens;
    this.sfu = sfu;
    this.recorder = recorder;
    this.nodeUrl = nodeUrl;
  }

  public CallStore store() {
    return store;
  }

  public CallRecorder recorder() {
    return recorder;
  }

  /** Connects the accepted contact with the clerk: the call's media is on this node. */
  public Future<Call> start(Contact contact, String queue, Principal clerk) {
    Call call = new Call(UUID.randomUUID().toString(), nodeUrl, contact.contactId(), queue, clerk.userId(), contact.citizenId(),
        contact.caseId(), contact.caseTypeId(), contact.language(), contact.recordingConsent(), false);
    return cases.cases().assignClerk(call.caseId(), CasePrincipals.of(clerk, null, contact.language()), "accepted call " + call.callId())
        .compose(caseView -> store.create(call).map(caseView))
        .map(caseView -> {
          push.toUser(call.citizenId(), Outbound.of("call.started", started(call, call.citizenId(), Role.CITIZEN)));
          push.toUser(call.clerkId(), Outbound.of("call.started", started(call, call.clerkId(), Role.CLERK)
              .put("caseTypeId", call.caseTypeId())
              .put("formVersion", caseView.formVersion())
              .put("language", call.language())));
          LOG.atInfo().addKeyValue("callId", call.callId()).addKeyValue("contactId", call.contactId())
              .addKeyValue("clerkId", call.clerkId()).log("call started");
          return call;
        });
  }

  /** The media part of {@code call.started} (and of {@code call.media}): where to POST the offer, with which token. */
  public JsonObject media(Call call, String userId, Role role) {
    return new JsonObject()
        .put("whipUrl", call.nodeUrl() + "/whip/calls/" + call.callId())
        .put("token", mediaTokens.issue(call.callId(), userId, role));
  }

  private JsonObject started(Call call, String userId, Role role) {
    CaseType type = cases.catalogue().caseTypes().get(call.caseTypeId());
    JsonArray iceServers = new JsonArray();
    sfu.turnCredentials(userId).ifPresent(turn ->
        iceServers.add(new JsonObject().put("urls", new JsonArray(turn.urls())).put("username", turn.username())
            .put("credential", turn.credential())));
    return new JsonObject()
        .put("callId", call.callId())
        .put("caseId", call.caseId().toString())
        .put("role", role.wireName())
        .put("videoIdentification", type != null && type.videoIdentification())
        .put("recording", call.recording())
        .put("media", media(call, userId, role))
        .put("iceServers", iceServers);
  }

  /**
   * Ends the call once: completes the contact in routing (the clerk goes to wrap-up), stops a
   * recording, frees the citizen to join again and pushes {@code call.ended} to both. False when
   * it had already ended.
   */
  public Future<Boolean> end(Call call, String reason) {
    return store.remove(call).compose(removed -> {
      if (!removed) {
        return Future.succeededFuture(false);
      }
      if (call.recording()) {
        recorder.stop(call.callId()).onFailure(e -> LOG.atWarn().addKeyValue("callId", call.callId()).log("recording did not stop: {}", e.toString()));
      }
      long wrapUpSeconds = wrapUp(call.queue());
      return engine.complete(call.clerkId(), call.contactId())
          .recover(e -> {
            // The clerk was lost from routing meanwhile (node death): the call is over all the same.
            LOG.atWarn().addKeyValue("callId", call.callId()).log("routing did not complete the call: {}", e.toString());
            return Future.succeededFuture();
          })
          .compose(done -> contacts.remove(call.contactId(), call.citizenId()))
          .map(done -> {
            JsonObject ended = new JsonObject().put("callId", call.callId()).put("reason", reason);
            push.toUser(call.citizenId(), Outbound.of("call.ended", ended));
            push.toUser(call.clerkId(), Outbound.of("call.ended", ended.copy().put("wrapUpSeconds", wrapUpSeconds)));
            LOG.atInfo().addKeyValue("callId", call.callId()).addKeyValue("reason", reason).log("call ended");
            return true;
          });
    });
  }

  /**
   * Sends the citizen to another queue, keeping their place (docs/routing.md, "Leaving"): the call
   * ends for both with reason {@code transferred}, the clerk goes to wrap-up, and the citizen
   * waits for the next clerk, who starts a new call.
   */
  public Future<Call> transfer(Call call, String queue) {
    return engine.transfer(call.clerkId(), call.contactId(), queue, null)
        .compose(moved -> store.remove(call))
        .map(removed -> {
          JsonObject ended = new JsonObject().put("callId", call.callId()).put("reason", "transferred").put("queueId", queue);
          push.toUser(call.citizenId(), Outbound.of("call.ended", ended));
          push.toUser(call.clerkId(), Outbound.of("call.ended", ended.copy().put("wrapUpSeconds", wrapUp(call.queue()))));
          LOG.atInfo().addKeyValue("callId", call.callId()).addKeyValue("queue", queue).log("call transferred");
          return call;
        });
  }

  private long wrapUp(String queue) {
    try {
      return engine.definitions().queue(queue).wrapUp().toSeconds();
    } catch (RuntimeException unknownQueue) {
      return 0;
    }
  }
}
