package org.quintet.relay.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;
import java.util.function.Supplier;
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
    return ctx -> respond(ctx, attempt(() -> handler.apply(ctx)));
  }

  /** The work's future, or a failed one when the work throws (a refusal found while reading the request). */
  static <T> Future<T> attempt(Supplier<Future<T>> work) {
    try {
      return work.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  static AuthenticatedDevice device(RoutingContext ctx) {
    return ctx.get(DEVICE);
  }
}
