package org.quintet.web;

import com.google.zxing.WriterException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** {@code GET /qr.svg?data=...}: the QR code of {@code data}, 1 to 1024 characters. */
final class QrRoute {
  static final int MAX_CHARACTERS = 1024;

  private QrRoute() {}

  static void handle(RoutingContext ctx) {
    List<String> values = ctx.queryParam("data");
    String data = values.size() == 1 ? values.get(0) : "";
    int characters = data.codePointCount(0, data.length());
    if (characters == 0 || characters > MAX_CHARACTERS) {
      refuse(ctx, "data is one query parameter of 1 to " + MAX_CHARACTERS + " characters");
      return;
    }
    String svg;
    try {
      svg = QrSvg.render(data);
    } catch (WriterException e) {
      refuse(ctx, "data does not fit in a QR code");
      return;
    }
    ctx.response()
        .putHeader("Content-Type", "image/svg+xml")
        // The code holds a one-time linking address: no cache should keep it.
        .putHeader("Cache-Control", "no-store")
        .end(svg);
  }

  /** The relay's error shape (docs/relay-api.md). */
  private static void refuse(RoutingContext ctx, String message) {
    ctx.response().setStatusCode(400).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("error", "INVALID_REQUEST").put("message", message).encode());
  }
}
