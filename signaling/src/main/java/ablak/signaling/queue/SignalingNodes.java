package ablak.signaling.queue;

import ablak.signaling.auth.Role;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which signaling node holds the sockets of which citizens and clerks, so that a node that dies
 * without closing them (killed, frozen, cut off) still gets its users checked on. Each node renews
 * {@code <prefix>signaling-node:<nodeId>} every second with a few seconds' expiry, is listed in
 * {@code <prefix>signaling-nodes}, and keeps its users in the hash {@code <prefix>signaling-node-users:<nodeId>}
 * (user id to role). Every node looks for listed nodes whose presence lapsed and, in one script so that
 * exactly one node does it, starts the same lost-connection check a closed socket starts (the away mark
 * and the {@code away-due} entry that {@link QueueMessages} sweeps) for each of their users who is not
 * connected to a live node; those who resume in time stay, the others are taken out.
 */
public final class SignalingNodes implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SignalingNodes.class);
  static final String AWAY = "away:";
  static final String AWAY_DUE = "away-due";
  private static final Duration TTL = Duration.ofSeconds(5);
  private static final long RENEW_MILLIS = 1000;
  /** An away mark outlives its due time by this much, so that a sweep a little late still finds it. */
  private static final long AWAY_MARK_SPARE_MILLIS = 60_000;
  /** Users of dead nodes handled per script, so that a node of thousands does not hold Redis for long. */
  private static final int CLAIM_BATCH = 200;
  /** Whether the user has a socket on a live node other than {@code except}: KEYS[1] lists the nodes, ARGV[1] is the prefix. */
  private static final String ELSEWHERE = "local function elsewhere(user, except)"
      + "   for _, node in ipairs(redis.call('SMEMBERS', KEYS[1])) do"
      + "     if node ~= except and redis.call('HEXISTS', ARGV[1] .. 'signaling-node-users:' .. node, user) == 1"
      + "         and redis.call('EXISTS', ARGV[1] .. 'signaling-node:' .. node) == 1 then return true end"
      + "   end return false end";
  /**
   * The user's last socket here closed: off this node's list, and away unless a live node has them
   * (they resumed there before this close was noticed, or have a tab there); 1 if marked away.
   * ARGV: prefix, this node, user, role, due time, the mark's expiry in ms.
   */
  private static final String AWAY_SCRIPT = ELSEWHERE
      + " redis.call('HDEL', ARGV[1] .. 'signaling-node-users:' .. ARGV[2], ARGV[3])"
      + " if elsewhere(ARGV[3], ARGV[2]) then return 0 end"
      + " redis.call('SET', ARGV[1] .. 'away:' .. ARGV[3], ARGV[4], 'PX', ARGV[6])"
      + " redis.call('ZADD', KEYS[2], ARGV[5], ARGV[3])"
      + " return 1";
  /**
   * Takes up to ARGV[4] users off the lists of listed nodes whose presence lapsed, marking away (due
   * ARGV[2], mark expiry ARGV[3] ms) those not connected to a live node; a node whose list is empty is unlisted. Returns
   * {taken, marked}. Taking and marking happen together, so two nodes sweeping at once mark nobody twice.
   */
  private static final String CLAIM_SCRIPT = ELSEWHERE
      + " local taken, marked = 0, 0"
      + " for _, node in ipairs(redis.call('SMEMBERS', KEYS[1])) do"
      + "   if redis.call('EXISTS', ARGV[1] .. 'signaling-node:' .. node) == 0 then"
      + "     local users = ARGV[1] .. 'signaling-node-users:' .. node"
      + "     local page = redis.call('HSCAN', users, 0, 'COUNT', ARGV[4])[2]"
      + "     for i = 1, #page, 2 do"
      + "       if not elsewhere(page[i], node) then"
      + "         redis.call('SET', ARGV[1] .. 'away:' .. page[i], page[i + 1], 'PX', ARGV[3])"
      + "         redis.call('ZADD', KEYS[2], ARGV[2], page[i])"
      + "         marked = marked + 1"
      + "       end"
      + "       redis.call('HDEL', users, page[i])"
      + "       taken = taken + 1"
      + "     end"
      + "     if redis.call('EXISTS', users) == 0 then redis.call('SREM', KEYS[1], node) end"
      + "     if taken >= tonumber(ARGV[4]) then break end"
      + "   end"
      + " end return {taken, marked}";
  /** Renews this node's presence and listing; 0 if the presence had lapsed meanwhile. */
  private static final String RENEW_SCRIPT = "local existed = redis.call('EXISTS', KEYS[1])"
      + " redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])"
      + " redis.call('SADD', KEYS[2], ARGV[2])"
      + " return existed";

  private final Vertx vertx;
  private final RedisAsyncCommands<String, String> redis;
  private final String prefix;
  private final String nodeId;
  private final Duration lostAfter;
  private final Clock clock;
  private final String nodesKey;
  private final String presenceKey;
  private final String usersKey;
  /** This node's citizens and clerks, to list again if other nodes took them for dead. */
  private final Map<String, Role> here = new ConcurrentHashMap<>();
  private final long timer;
  private boolean sweeping;

  /**
   * {@code redis} is a single connection, which keeps the order of the commands {@link #arrived} sends.
   * {@code lostAfter} is how long a user of a dead node has to come back, as after a closed socket.
   */
  public SignalingNodes(Vertx vertx, RedisAsyncCommands<String, String> redis, String keyPrefix, String nodeId, Duration lostAfter, Clock clock) {
    this.vertx = vertx;
    this.redis = redis;
    this.prefix = keyPrefix;
    this.nodeId = nodeId;
    this.lostAfter = lostAfter;
    this.clock = clock;
    this.nodesKey = keyPrefix + "signaling-nodes";
    this.presenceKey = keyPrefix + "signaling-node:" + nodeId;
    this.usersKey = keyPrefix + "signaling-node-users:" + nodeId;
    // Listed at once: a node that dies before its first renewal would leave its users unchecked.
    this.timer = vertx.setPeriodic(1, RENEW_MILLIS, id -> sweep());
  }

  /**
   * A citizen or clerk connected here. Listed first, then their away mark goes: a dead node's sweep
   * running in between either finds them listed here or has its mark deleted after it.
   */
  void arrived(String userId, Role role) {
    here.put(userId, role);
    redis.hset(usersKey, userId, role.wireName());
    redis.del(prefix + AWAY + userId);
  }

  /** The user's last connection here closed: their lost-connection check starts unless a live node has them. */
  void away(String userId, Role role) {
    here.remove(userId);
    long due = clock.millis() + lostAfter.toMillis();
    redis.eval(AWAY_SCRIPT, ScriptOutputType.INTEGER, new String[] {nodesKey, prefix + AWAY_DUE}, prefix, nodeId, userId,
        role.wireName(), String.valueOf(due), String.valueOf(lostAfter.toMillis() + AWAY_MARK_SPARE_MILLIS))
        .exceptionally(e -> {
          LOG.atWarn().addKeyValue("userId", userId).log("a lost connection was not noted: {}", e.toString());
          return 0L;
        });
  }

  private void sweep() {
    if (sweeping) {
      return;
    }
    sweeping = true;
    Future.fromCompletionStage(redis.<Long>eval(RENEW_SCRIPT, ScriptOutputType.INTEGER, new String[] {presenceKey, nodesKey},
            String.valueOf(TTL.toMillis()), nodeId), vertx.getOrCreateContext())
        .compose(existed -> {
          if (existed == 0 && !here.isEmpty()) {
            // A pause or a cut to Redis longer than the TTL: the others may have taken our users for
            // lost. They are connected here, so they are listed again and their away marks go.
            LOG.atWarn().addKeyValue("users", here.size()).log("this node's presence had lapsed; its users are listed again");
            here.forEach(this::arrived);
          }
          return claimDead();
        })
        .onFailure(e -> LOG.warn("signaling nodes were not swept; the next sweep retries: {}", e.toString()))
        .onComplete(done -> sweeping = false);
  }

  /** Batch after batch until no dead node has users left. */
  private Future<Void> claimDead() {
    long due = clock.millis() + lostAfter.toMillis();
    return Future.fromCompletionStage(redis.<List<Long>>eval(CLAIM_SCRIPT, ScriptOutputType.MULTI,
            new String[] {nodesKey, prefix + AWAY_DUE}, prefix, String.valueOf(due),
            String.valueOf(lostAfter.toMillis() + AWAY_MARK_SPARE_MILLIS), String.valueOf(CLAIM_BATCH)), vertx.getOrCreateContext())
        .compose(result -> {
          if (result.get(0) == 0) {
            return Future.succeededFuture();
          }
          LOG.atInfo().addKeyValue("taken", result.get(0)).addKeyValue("marked", result.get(1))
              .log("users of a signaling node whose presence lapsed are checked as lost connections");
          return claimDead();
        });
  }

  /**
   * A node stopping on purpose leaves at once rather than after the expiry: whoever its closing sockets
   * did not take off its list is checked by the other nodes.
   */
  @Override
  public void close() {
    vertx.cancelTimer(timer);
    redis.del(presenceKey);
  }
}
