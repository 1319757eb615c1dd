package org.quintet.relay.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;
import org.quintet.relay.auth.AuthenticatedDevice;

/** A group of routes. Handlers return a future of the JSON answer; failures become error answers. */
public interface Controller {
  String DEVICE = "quintet.device";

  void mount(Router router);

  static void respond(RoutingContext ctx, Future<JsonObject> answer) {
    answer.onComplete(result -> {
      if (ctx.response().ended()) {
        return;
      }
      if (result.succeeded()) {
        ctx.response().putHeader("content-type", "application/json").end(result.result().encode());
      } else {
        ctx.fail(result.cause());
      }
    });
  }

  /** Runs the handler, turning a thrown refusal into a failed future. */
  static io.vertx.core.Handler<RoutingContext> handler(Function<RoutingContext, Future<JsonObject>> handler) {
    return ctx -> {
      Future<JsonObject> answer;
      try {
        answer = handler.apply(ctx);
      } catch (RuntimeException e) {
        answer = Future.failedFuture(e);
      }
      respond(ctx, answer);
    };
  }

  static AuthenticatedDevice device(RoutingContext ctx) {
    return ctx.get(DEVICE);
  }
}
