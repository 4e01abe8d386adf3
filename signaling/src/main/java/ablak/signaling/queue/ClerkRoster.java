package ablak.signaling.queue;

import ablak.signaling.auth.Role;
import ablak.signaling.auth.StaffAccount;
import ablak.signaling.auth.StaffAccounts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The clerks' ids and display names, kept in memory so a wallboard push reads no accounts from
 * PostgreSQL. Names and roles never change once an account exists, so the roster is loaded again only
 * when this node creates an account, and every {@code refresh} for accounts created elsewhere.
 */
public final class ClerkRoster implements AutoCloseable {

  private final Vertx vertx;
  private final StaffAccounts accounts;
  private final long timer;
  private final AtomicLong loadsStarted = new AtomicLong();
  private final AtomicLong newestApplied = new AtomicLong(-1);
  private volatile Future<Map<String, String>> names;

  public ClerkRoster(Vertx vertx, StaffAccounts accounts, Duration refresh) {
    this.vertx = vertx;
    this.accounts = accounts;
    this.names = load();
    accounts.onCreated(this::load);
    this.timer = vertx.setPeriodic(refresh.toMillis(), t -> load());
  }

  /** Clerk id to display name, in username order; loaded again first if no load has succeeded yet. */
  public Future<Map<String, String>> names() {
    Future<Map<String, String>> current = names;
    return current.failed() ? load() : current;
  }

  private Future<Map<String, String>> load() {
    long load = loadsStarted.getAndIncrement();
    Future<Map<String, String>> loaded = accounts.list(Role.CLERK).map(clerks -> {
      Map<String, String> byId = new LinkedHashMap<>();
      for (StaffAccount clerk : clerks) {
        byId.put(clerk.id(), clerk.name());
      }
      return Collections.unmodifiableMap(byId);
    });
    // A failed load keeps the roster there is; a load that started before the one shown does not replace it.
    loaded.onSuccess(byId -> {
      if (newestApplied.accumulateAndGet(load, Math::max) == load) {
        names = loaded;
      }
    });
    return loaded;
  }

  @Override
  public void close() {
    vertx.cancelTimer(timer);
  }
}
