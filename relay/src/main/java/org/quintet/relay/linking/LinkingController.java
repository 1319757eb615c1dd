package org.quintet.relay.linking;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.Base64;
import org.quintet.relay.RelayLimits;
import org.quintet.relay.api.ApiError;
import org.quintet.relay.api.ApiException;
import org.quintet.relay.api.Controller;
import org.quintet.relay.api.Fields;
import org.quintet.relay.auth.AuthenticatedDevice;

/** The primary's routes of linking (docs/linking.md): provision a QR address, answer a pairing. */
public final class LinkingController implements Controller {
  private final Linking linking;

  public LinkingController(Linking linking) {
    this.linking = linking;
  }

  @Override
  public void mount(Router router) {
    router.put("/v1/provisioning/:address").handler(Controller.handler(ctx -> {
      AuthenticatedDevice caller = primary(ctx);
      String message = base64Field(Fields.body(ctx), "message");
      return linking.provision(ctx.pathParam("address"), message).map(delivered -> {
        if (!delivered) {
          throw new ApiException(ApiError.NOT_FOUND, "no companion waits at this address; scan the current code");
        }
        return new JsonObject();
      });
    }));
    router.get("/v1/pairing").handler(Controller.handler(ctx -> linking.pendingPairings(primary(ctx).number())
        .map(requests -> new JsonObject().put("requests", requests))));
    router.post("/v1/pairing/:pairingId/reply").handler(Controller.handler(ctx -> {
      AuthenticatedDevice caller = primary(ctx);
      String reply = base64Field(Fields.body(ctx), "reply");
      return linking.reply(caller.number(), ctx.pathParam("pairingId"), reply).map(delivered -> {
        if (!delivered) {
          throw new ApiException(ApiError.NOT_FOUND, "no such pairing request (it may have expired)");
        }
        return new JsonObject();
      });
    }));
  }

  private static AuthenticatedDevice primary(io.vertx.ext.web.RoutingContext ctx) {
    AuthenticatedDevice caller = Controller.device(ctx);
    if (!caller.isPrimary()) {
      throw new ApiException(ApiError.NOT_PRIMARY, "only the primary links devices");
    }
    return caller;
  }

  private static String base64Field(JsonObject body, String field) {
    if (!(body.getValue(field) instanceof String value) || value.length() > RelayLimits.MAX_PROVISIONING_MESSAGE_CHARS) {
      throw ApiException.invalid("\"" + field + "\" must be a base64 string");
    }
    try {
      Base64.getDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("\"" + field + "\" is not base64");
    }
    return value;
  }
}
