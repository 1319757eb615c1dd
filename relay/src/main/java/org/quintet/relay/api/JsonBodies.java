package org.quintet.relay.api;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * Every body the API takes is JSON, and only a body declared as JSON is read as one:
 * {@code Content-Type: application/json}, with no parameter but an optional {@code charset=utf-8}.
 * Anything else is a 415 before the body is read: a page of another origin can POST
 * {@code text/plain} without asking the browser's permission first (a "simple" request), and such a
 * request must not register a number, ask for a code or do anything else.
 */
public final class JsonBodies implements Handler<RoutingContext> {
  private static final String JSON = "application/json";

  @Override
  public void handle(RoutingContext ctx) {
    HttpMethod method = ctx.request().method();
    if ((method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH)
        && !isJson(ctx.request().getHeader("Content-Type"))) {
      ctx.fail(new ApiException(ApiError.UNSUPPORTED_MEDIA_TYPE,
          "the body must be JSON, sent as Content-Type: application/json"));
      return;
    }
    ctx.next();
  }

  /** {@code application/json}, in any case, alone or with {@code charset=utf-8} (quoted or not). */
  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String[] parts = contentType.split(";", -1);
    if (!parts[0].trim().toLowerCase(Locale.ROOT).equals(JSON)) {
      return false;
    }
    for (int i = 1; i < parts.length; i++) {
      String parameter = parts[i].trim();
      int equals = parameter.indexOf('=');
      if (equals < 0 || !parameter.substring(0, equals).trim().equalsIgnoreCase("charset")) {
        return false;
      }
      String charset = parameter.substring(equals + 1).trim();
      if (charset.length() >= 2 && charset.startsWith("\"") && charset.endsWith("\"")) {
        charset = charset.substring(1, charset.length() - 1);
      }
      if (!charset.equalsIgnoreCase("utf-8")) {
        return false;
      }
    }
    return true;
  }
}
