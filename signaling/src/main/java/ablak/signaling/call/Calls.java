package ablak.signaling.call;


import ablak.cases.Cases;
import ablak.cases.audit.AuditEntry;
import ablak.cases.catalogue.CaseType;
import ablak.cases.lifecycle.CaseView;
import ablak.media.call.Sfu;
import ablak.media.call.SupervisorMode;
import ablak.queue.QueueError;
import ablak.queue.QueueException;
import ablak.signaling.media.CallRecordings;
import ablak.queue.routing.RoutingEngine;
import ablak.signaling.auth.Principal;
import ablak.signaling.auth.Role;
import ablak.queue.routing.ContactRequest;
import ablak.signaling.ClientError;
import ablak.signaling.call.CallStore.Call;
import ablak.signaling.call.CallStore.ThirdParty;
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

  /** The kinds of interpreter a clerk may ask for; each is a queue of queues.json of the same name. */
  public static final java.util.Set<String> INTERPRETER_KINDS = java.util.Set.of("interpreter", "sign-language");

  private final CallStore store;
  private final Contacts contacts;
  private final RoutingEngine engine;
  private final Cases cases;
  private final Push push;
  private final MediaTokens mediaTokens;
  private final Sfu sfu;
  private final CallRecordings recorder;
  private final CallMonitors monitors;
  private final MediaNodes mediaNodes;
  private final String nodeUrl;
  private final String publicUrl;

  public Calls(CallStore store, Contacts contacts, RoutingEngine engine, Cases cases, Push push, MediaTokens mediaTokens, Sfu sfu,
      CallRecordings recorder, CallMonitors monitors, MediaNodes mediaNodes, String publicUrl) {
    this.store = store;
    this.contacts = contacts;
    this.engine = engine;
    this.cases = cases;
    this.push = push;
    this.mediaTokens = mediaTokens;
    this.sfu = sfu;
    this.recorder = recorder;
    this.monitors = monitors;
    this.mediaNodes = mediaNodes;
    this.nodeUrl = mediaNodes.self();
    this.publicUrl = publicUrl;
  }

  public CallStore store() {
    return store;
  }

  public CallRecordings recorder() {
    return recorder;
  }

  /** Connects the accepted contact with the clerk: the call's media is on this node. */
  public Future<Call> start(Contact contact, String queue, Principal clerk) {
    String callId = UUID.randomUUID().toString();
    return cases.cases().assignClerk(contact.caseId(), CasePrincipals.of(clerk, null, contact.language()), "accepted call " + callId)
        .map(caseView -> new Call(callId, nodeUrl, contact.contactId(), queue, clerk.userId(), contact.citizenId(), contact.caseId(),
            contact.caseTypeId(), caseView.formVersion(), contact.language(), contact.recordingConsent(), false, null, null))
        .compose(call -> store.create(call).map(call))
        .map(call -> {
          push.toUser(call.citizenId(), Outbound.of("call.started", started(call, call.citizenId())));
          push.toUser(call.clerkId(), Outbound.of("call.started", started(call, call.clerkId())));
          LOG.atInfo().addKeyValue("callId", call.callId()).addKeyValue("contactId", call.contactId())
              .addKeyValue("clerkId", call.clerkId()).log("call started");
          return call;
        });
  }

  /**
   * {@code call.started} again for the call the user is in, or null when they are in none: pushes are not
   * replayed, so a participant who reloaded the page, or whose new call started while they were away, learns
   * of it on their new connection. The same fields as the first time, with a fresh media token, and the media
   * on a live node ({@link #mediaHome}). A call that ends meanwhile still has its {@code call.ended} pushed;
   * clients let it win whichever arrives first (docs/protocol.md, "Rejoining a call").
   */
  public Future<Outbound> startedAgain(String userId) {
    return store.callOf(userId)
        .compose(callId -> callId == null ? Future.succeededFuture(null) : store.get(callId))
        .compose(call -> call == null || !call.hasParticipant(userId) ? Future.succeededFuture(null)
            : mediaHome(call).recover(e -> e instanceof ClientError ? Future.succeededFuture(null) : Future.failedFuture(e)))
        .map(call -> call == null ? null : Outbound.of("call.started", started(call, userId)));
  }

  /**
   * The call as it is once its media is on a live node: when the node hosting it is gone (crashed,
   * cut off from Redis), this node takes the media over, so the participants' next offers (they ask
   * {@code call.media} when their connection fails) come here. A recording on the lost node ended
   * with it: both participants hear {@code call.recording} false, and the clerk may start a new one.
   */
  public Future<Call> mediaHome(Call call) {
    return mediaNodes.isAlive(call.nodeUrl()).compose(alive -> {
      if (alive) {
        return Future.succeededFuture(call);
      }
      return store.moveMedia(call.callId(), call.nodeUrl(), nodeUrl).compose(moved -> {
        if (moved) {
          LOG.atWarn().addKeyValue("callId", call.callId()).addKeyValue("from", call.nodeUrl())
              .log("the call's media node is gone: its media moves to this node");
          if (call.recording()) {
            JsonObject stopped = new JsonObject().put("callId", call.callId()).put("recording", false);
            call.participants().forEach(user -> push.toUser(user, Outbound.of("call.recording", stopped)));
          }
        }
        return store.get(call.callId());
      }).compose(now -> now == null ? Future.failedFuture(new ClientError("unknown_call", 404, "the call has ended"))
          : Future.succeededFuture(now));
    });
  }

  /**
   * Whether the citizen holds a contact outside any call: after their call was transferred, or ended
   * because routing lost its clerk, they wait in a queue again.
   */
  public Future<Boolean> waitsInQueue(String citizenId) {
    return contacts.contactOf(citizenId).map(contactId -> contactId != null);
  }

  /**
   * The media part of {@code call.started} (and of {@code call.media}): where to POST the offer, with which
   * token. The URL is on the public origin, whichever node hosts the media: any node forwards it there.
   */
  public JsonObject media(Call call, String userId, Role role) {
    return new JsonObject()
        .put("whipUrl", publicUrl + "/whip/calls/" + call.callId())
        .put("token", call.isInterpreter(userId) ? mediaTokens.issueInterpreter(call.callId(), userId) : mediaTokens.issue(call.callId(), userId, role));
  }

  /**
   * Asks routing for an interpreter: a contact in the interpreters' queue of {@code kind}
   * ({@code interpreter} or {@code sign-language}, docs/routing.md "Interpreters") in the language,
   * offered to a clerk with that skill and language. {@code invalid_state} when the call already
   * has one asked for or in it.
   */
  public Future<ThirdParty> invite(Call call, String kind, String language) {
    ThirdParty invite = new ThirdParty(UUID.randomUUID().toString(), kind, language, null);
    return store.invite(call.callId(), invite).compose(recorded -> {
      if (!recorded) {
        return Future.failedFuture(new ClientError(ClientError.INVALID_STATE, 409, "this call already has an interpreter, or one is asked for"));
      }
      return engine.enqueue(ContactRequest.of(invite.contactId(), kind, language))
          .recover(e -> store.removeThirdParty(call.callId(), invite).transform(undone -> Future.failedFuture(e)))
          .map(enqueued -> {
            LOG.atInfo().addKeyValue("callId", call.callId()).addKeyValue("kind", kind).addKeyValue("language", language)
                .log("interpreter asked for");
            return invite;
          });
    });
  }

  /**
   * The interpreter took the request ({@code queue.offer.accept}): they join the call as its third
   * participant, with a media token of role interpreter, and everyone gets {@code call.participants}.
   * Routing records the conference. If the call ended meanwhile, the request is completed and refused.
   */
  public Future<Call> interpreterAccepted(String inviteContactId, Principal interpreter) {
    return store.callOfInvite(inviteContactId).compose(callId -> callId == null ? Future.succeededFuture(null) : store.get(callId))
        .compose(call -> {
          if (call == null || call.invite() == null || !call.invite().contactId().equals(inviteContactId)) {
            return engine.complete(interpreter.userId(), inviteContactId).otherwiseEmpty()
                .compose(x -> Future.failedFuture(new ClientError("unknown_call", 404, "the call has ended")));
          }
          ThirdParty joined = new ThirdParty(inviteContactId, call.invite().kind(), call.invite().language(), interpreter.userId());
          return store.interpreterJoined(call.callId(), joined)
              .compose(ok -> ok ? engine.conference(call.clerkId(), call.contactId(), interpreter.userId()).otherwiseEmpty()
                  : Future.failedFuture(new ClientError("unknown_call", 404, "the call has ended")))
              .compose(conferenced -> store.get(call.callId()))
              .map(now -> {
                push.toUser(interpreter.userId(), Outbound.of("call.started", started(now, interpreter.userId())));
                pushParticipants(now);
                LOG.atInfo().addKeyValue("callId", now.callId()).addKeyValue("interpreterId", interpreter.userId()).log("interpreter joined");
                return now;
              });
        });
  }

  /**
   * The interpreter leaves (ends their part, or is lost): routing completes their request, they get
   * {@code call.ended}, the others {@code call.participants}. An open request is withdrawn instead.
   */
  public Future<Boolean> releaseThirdParty(Call call, String reason) {
    ThirdParty party = call.interpreter() != null ? call.interpreter() : call.invite();
    if (party == null) {
      return Future.succeededFuture(false);
    }
    return store.removeThirdParty(call.callId(), party).compose(removed -> {
      if (!removed) {
        return Future.succeededFuture(false);
      }
      return finishThirdParty(call, party, reason).compose(done -> store.get(call.callId())).map(now -> {
        if (now != null) {
          pushParticipants(now);
        }
        return true;
      });
    });
  }

  /** Routing lets go of the third party: a joined interpreter completes, an open request is cancelled. */
  private Future<Void> finishThirdParty(Call call, ThirdParty party, String reason) {
    if (party.userId() == null) {
      return engine.cancel(party.contactId()).otherwiseEmpty();
    }
    push.toUser(party.userId(), Outbound.of("call.ended", new JsonObject().put("callId", call.callId()).put("reason", reason)));
    return engine.complete(party.userId(), party.contactId())
        .onFailure(e -> LOG.atWarn().addKeyValue("callId", call.callId()).log("routing did not complete the interpreter: {}", e.toString()))
        .otherwiseEmpty();
  }

  /**
   * {@code call.participants}: who is in the call now, to everyone in it. Supervisors count once they
   * barged in (docs/protocol.md, "Monitoring a call"); listening and whispering ones are not there.
   */
  Future<Void> pushParticipants(Call call) {
    return monitors.all(call.callId()).map(modes -> {
      JsonArray participants = new JsonArray()
          .add(new JsonObject().put("role", "citizen"))
          .add(new JsonObject().put("role", "clerk").put("userId", call.clerkId()));
      if (call.interpreter() != null) {
        participants.add(new JsonObject().put("role", "interpreter").put("userId", call.interpreter().userId())
            .put("kind", call.interpreter().kind()).put("language", call.interpreter().language()));
      }
      modes.forEach((user, mode) -> {
        if (mode == SupervisorMode.BARGE) {
          participants.add(new JsonObject().put("role", "supervisor"));
        }
      });
      JsonObject body = new JsonObject().put("callId", call.callId()).put("participants", participants);
      if (call.invite() != null) {
        body.put("invite", new JsonObject().put("kind", call.invite().kind()).put("language", call.invite().language()));
      }
      call.participants().forEach(user -> push.toUser(user, Outbound.of("call.participants", body)));
      return (Void) null;
    }).onFailure(e -> LOG.atWarn().addKeyValue("callId", call.callId()).log("call.participants was not pushed: {}", e.toString()));
  }

  /** RTCIceServers for one user: the TURN server with fresh credentials, or none. */
  public JsonArray iceServers(String userId) {
    JsonArray iceServers = new JsonArray();
    sfu.turnCredentials(userId).ifPresent(turn ->
        iceServers.add(new JsonObject().put("urls", new JsonArray(turn.urls())).put("username", turn.username())
            .put("credential", turn.credential())));
    return iceServers;
  }

  /**
   * {@code call.started} as the user sees it: the citizen's, the clerk's with what their desktop loads the case
   * form with, or the interpreter's with the kind and language of interpreting.
   */
  private JsonObject started(Call call, String userId) {
    CaseType type = cases.catalogue().caseTypes().get(call.caseTypeId());
    Role role = call.citizenId().equals(userId) ? Role.CITIZEN : Role.CLERK;
    JsonObject body = new JsonObject()
        .put("callId", call.callId())
        .put("caseId", call.caseId().toString())
        .put("role", role.wireName())
        .put("videoIdentification", type != null && type.videoIdentification())
        .put("recording", call.recording())
        .put("recordingConsent", call.recordingConsent())
        .put("media", media(call, userId, role))
        .put("iceServers", iceServers(userId));
    if (call.isInterpreter(userId)) {
      return body.put("role", "interpreter").put("kind", call.interpreter().kind()).put("caseTypeId", call.caseTypeId())
          .put("language", call.interpreter().language());
    }
    if (role == Role.CLERK) {
      body.put("caseTypeId", call.caseTypeId()).put("formVersion", call.formVersion()).put("language", call.language());
    }
    return body;
  }

  /**
   * Ends the call once: completes the contact in routing (the clerk goes to wrap-up), stops a
   * recording, frees the citizen to join again and pushes {@code call.ended} to both. False when
   * it had already ended. If routing had already signed the clerk out and put the contact back in
   * the queue (CLERKLOST), the citizen keeps waiting there instead: their {@code call.ended} names
   * the queue ({@code queueId}), as after a transfer.
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
      ThirdParty third = call.interpreter() != null ? call.interpreter() : call.invite();
      Future<Void> thirdReleased = third == null ? Future.succeededFuture()
          : finishThirdParty(call, third, reason).compose(done -> store.forget(third));
      // Without the note the disposition goes on the clerk's record instead of the case: not worth failing the end for.
      Future<Void> wrapUpNoted = store.wrapUpStarted(call, reason)
          .recover(e -> {
            LOG.atWarn().addKeyValue("callId", call.callId()).log("the call's wrap-up was not noted: {}", e.toString());
            return Future.succeededFuture();
          });
      return Future.all(thirdReleased, wrapUpNoted).compose(released -> engine.complete(call.clerkId(), call.contactId()))
          .map(true)
          .recover(e -> {
            if (e instanceof QueueException q && q.error() == QueueError.NOT_YOUR_CONTACT) {
              // Routing signed the clerk out first (their node died and their presence lapsed) and put the
              // contact back in the queue at its place (CLERKLOST): it is no longer this call's.
              return Future.succeededFuture(false);
            }
            LOG.atWarn().addKeyValue("callId", call.callId()).log("routing did not complete the call: {}", e.toString());
            return Future.succeededFuture(true);
          })
          .compose(completed -> completed ? contacts.remove(call.contactId(), call.citizenId()).map(false) : requeued(call, reason))
          .map(waitsAgain -> {
            JsonObject ended = new JsonObject().put("callId", call.callId()).put("reason", reason);
            push.toUser(call.citizenId(), Outbound.of("call.ended", waitsAgain ? ended.copy().put("queueId", call.queue()) : ended));
            push.toUser(call.clerkId(), Outbound.of("call.ended", ended.copy().put("wrapUpSeconds", wrapUpSeconds)));
            endMonitors(call, ended);
            LOG.atInfo().addKeyValue("callId", call.callId()).addKeyValue("reason", reason).log("call ended");
            return true;
          });
    });
  }

  /**
   * The call ended after routing had put its contact back in the queue (its clerk was lost): the citizen
   * waits there for the next clerk, unless it is the citizen who ended the call or was lost, who then
   * leaves the queue too. True when the citizen waits again.
   */
  private Future<Boolean> requeued(Call call, String reason) {
    if (!reason.equals("ended_by_citizen") && !reason.equals("citizen_lost")) {
      LOG.atInfo().addKeyValue("callId", call.callId()).addKeyValue("contactId", call.contactId())
          .log("the call's clerk was lost: the citizen waits again");
      return Future.succeededFuture(true);
    }
    return engine.abandon(call.contactId())
        .onFailure(e -> LOG.atWarn().addKeyValue("contactId", call.contactId()).log("the contact did not leave the queue: {}", e.toString()))
        .transform(left -> contacts.remove(call.contactId(), call.citizenId()))
        .map(false);
  }

  /**
   * Sends the citizen to another queue, keeping their place (docs/routing.md, "Leaving"): the call
   * ends for both with reason {@code transferred}, the clerk goes to wrap-up, and the citizen
   * waits for the next clerk, who starts a new call.
   */
  public Future<Call> transfer(Call call, String queue) {
    return store.wrapUpStarted(call, "transferred")
        .compose(noted -> engine.transfer(call.clerkId(), call.contactId(), queue, null))
        .compose(moved -> releaseThirdParty(call, "transferred"))
        .compose(moved -> store.remove(call))
        .map(removed -> {
          JsonObject ended = new JsonObject().put("callId", call.callId()).put("reason", "transferred").put("queueId", queue);
          push.toUser(call.citizenId(), Outbound.of("call.ended", ended));
          push.toUser(call.clerkId(), Outbound.of("call.ended", ended.copy().put("wrapUpSeconds", wrapUp(call.queue()))));
          endMonitors(call, ended);
          LOG.atInfo().addKeyValue("callId", call.callId()).addKeyValue("queue", queue).log("call transferred");
          return call;
        });
  }

  /** Supervisors monitoring the call hear that it ended, and their media sessions end with it. */
  private void endMonitors(Call call, JsonObject ended) {
    monitors.endAll(call.callId())
        .onSuccess(supervisors -> supervisors.forEach((user, mode) -> {
          push.toUser(user, Outbound.of("call.ended", ended));
          cases.audit().append(new AuditEntry(user, "SUPERVISOR", "call.monitor.stop", "call", call.callId(), "the call ended",
              "mode=" + CallMonitors.wire(mode) + " case=" + call.caseId() + " clerk=" + call.clerkId()));
        }))
        .onFailure(e -> LOG.atWarn().addKeyValue("callId", call.callId()).log("monitors of the call were not ended: {}", e.toString()));
  }

  private long wrapUp(String queue) {
    try {
      return engine.definitions().queue(queue).wrapUp().toSeconds();
    } catch (RuntimeException unknownQueue) {
      return 0;
    }
  }
}
