package ablak.signaling.http;

import ablak.queue.routing.ClerkProfile;
import ablak.queue.routing.QueueDefinitions;
import ablak.signaling.ClientError;
import ablak.signaling.Json;
import ablak.signaling.auth.Role;
import ablak.signaling.auth.StaffAccount;
import ablak.signaling.auth.StaffAccounts;
import ablak.signaling.auth.Tokens;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Staff account administration: accounts, teams and the routing profile of clerks; admins only. */
public final class AdminRoutes implements RouteGroup {

  private static final int MAX_CAPACITY = 10;

  private final StaffAccounts accounts;
  private final QueueDefinitions queues;
  private final RoleGuard guard;

  public AdminRoutes(StaffAccounts accounts, QueueDefinitions queues, RoleGuard guard) {
    this.accounts = accounts;
    this.queues = queues;
    this.guard = guard;
  }

  /** A new staff member; without a password one is generated and returned once; without a team, the default team. */
  record NewStaff(
      @JsonProperty(required = true) String username,
      @JsonProperty(required = true) String name,
      @JsonProperty(required = true) Role role,
      String team,
      String password) {}

  record Team(@JsonProperty(required = true) String team) {}

  /** What routing offers a clerk: skills (proficiency 1-5), languages, contacts at once. */
  record Routing(
      @JsonProperty(required = true) Map<String, Integer> skills,
      @JsonProperty(required = true) Set<String> languages,
      @JsonProperty(required = true) int capacity) {}

  @Override
  public void mount(Router router) {
    router.route("/api/admin/*").handler(guard.allow(Role.ADMIN));
    router.post("/api/admin/staff").handler(this::create);
    router.get("/api/admin/staff").handler(ctx -> accounts.list()
        .onSuccess(list -> ctx.json(new JsonArray(list.stream().map(AdminRoutes::json).toList())))
        .onFailure(ctx::fail));
    router.put("/api/admin/staff/:id/team").handler(ctx -> {
      Team request = Json.parse(ctx.body().asString(), Team.class);
      accounts.setTeam(id(ctx), request.team()).onSuccess(account -> ctx.json(json(account))).onFailure(ctx::fail);
    });
    router.get("/api/admin/staff/:id/routing").handler(ctx -> accounts.clerkProfile(id(ctx))
        .onSuccess(profile -> ctx.json(json(profile))).onFailure(ctx::fail));
    router.put("/api/admin/staff/:id/routing").handler(ctx -> {
      String id = id(ctx);
      ClerkProfile profile = profile(id, Json.parse(ctx.body().asString(), Routing.class));
      accounts.list(Role.CLERK)
          .compose(clerks -> clerks.stream().anyMatch(clerk -> clerk.id().equals(id)) ? accounts.setClerkProfile(profile)
              : Future.failedFuture(new ClientError(ClientError.NOT_FOUND, 404, "no clerk account " + id)))
          .onSuccess(saved -> ctx.json(json(profile)))
          .onFailure(ctx::fail);
    });
  }

  private void create(RoutingContext ctx) {
    NewStaff request = Json.parse(ctx.body().asString(), NewStaff.class);
    String password = request.password() != null ? request.password() : Tokens.random().substring(0, 20);
    accounts.create(request.username(), request.name(), request.role(), request.team(), password)
        .onSuccess(account -> {
          JsonObject body = json(account);
          if (request.password() == null) {
            body.put("password", password);
          }
          ctx.response().setStatusCode(201).putHeader("Location", "/api/admin/staff/" + account.id());
          ctx.json(body);
        })
        .onFailure(ctx::fail);
  }

  /** Only skills and languages some queue asks for: a typo would otherwise leave a clerk offered nothing, silently. */
  private ClerkProfile profile(String id, Routing request) {
    if (request.skills() == null || request.languages() == null || request.languages().isEmpty()) {
      throw ClientError.invalid("skills and at least one language are required");
    }
    request.skills().forEach((skill, proficiency) -> {
      if (!queues.skills().contains(skill)) {
        throw ClientError.invalid("unknown skill " + skill + "; known: " + queues.skills());
      }
      if (proficiency == null || proficiency < 1 || proficiency > 5) {
        throw ClientError.invalid("proficiency of " + skill + " must be 1-5");
      }
    });
    if (!queues.languages().containsAll(request.languages())) {
      throw ClientError.invalid("languages must be among " + queues.languages());
    }
    if (request.capacity() < 1 || request.capacity() > MAX_CAPACITY) {
      throw ClientError.invalid("capacity must be 1-" + MAX_CAPACITY);
    }
    return new ClerkProfile(id, Map.copyOf(request.skills()), Set.copyOf(request.languages()), request.capacity());
  }

  private static String id(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    try {
      return UUID.fromString(id).toString();
    } catch (IllegalArgumentException e) {
      throw ClientError.invalid("id must be a UUID");
    }
  }

  static JsonObject json(StaffAccount account) {
    return new JsonObject()
        .put("id", account.id())
        .put("username", account.username())
        .put("name", account.name())
        .put("role", account.role().wireName())
        .put("team", account.team());
  }

  private static JsonObject json(ClerkProfile profile) {
    JsonObject skills = new JsonObject();
    profile.skills().forEach(skills::put);
    return new JsonObject()
        .put("id", profile.clerkId())
        .put("skills", skills)
        .put("languages", new JsonArray(profile.languages().stream().sorted().toList()))
        .put("capacity", profile.capacity());
  }
}
