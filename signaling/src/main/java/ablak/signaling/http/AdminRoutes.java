package ablak.signaling.http;

import ablak.signaling.Json;
import ablak.signaling.auth.Role;
import ablak.signaling.auth.StaffAccount;
import ablak.signaling.auth.StaffAccounts;
import ablak.signaling.auth.Tokens;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** Staff account administration; admins only. */
public final class AdminRoutes implements RouteGroup {

  private final StaffAccounts accounts;
  private final RoleGuard guard;

  public AdminRoutes(StaffAccounts accounts, RoleGuard guard) {
    this.accounts = accounts;
    this.guard = guard;
  }

  /** A new staff member; without a password one is generated and returned once. */
  record NewStaff(
      @JsonProperty(required = true) String username,
      @JsonProperty(required = true) String name,
      @JsonProperty(required = true) Role role,
      String password) {}

  @Override
  public void mount(Router router) {
    router.route("/api/admin/*").handler(guard.allow(Role.ADMIN));
    router.post("/api/admin/staff").handler(this::create);
    router.get("/api/admin/staff").handler(ctx -> accounts.list()
        .onSuccess(list -> ctx.json(new JsonArray(list.stream().map(AdminRoutes::json).toList())))
        .onFailure(ctx::fail));
  }

  private void create(RoutingContext ctx) {
    NewStaff request = Json.parse(ctx.body().asString(), NewStaff.class);
    String password = request.password() != null ? request.password() : Tokens.random().substring(0, 20);
    accounts.create(request.username(), request.name(), request.role(), password)
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

  static JsonObject json(StaffAccount account) {
    return new JsonObject()
        .put("id", account.id())
        .put("username", account.username())
        .put("name", account.name())
        .put("role", account.role().wireName());
  }
}
