package org.quintet.web;

import io.vertx.ext.web.RoutingContext;

/** The headers that keep the page to its own scripts, styles and origin. */
final class SecurityHeaders {
  /**
   * No inline script or style anywhere; the page talks only to its own origin (HTTP and the
   * relay's WebSockets) and shows only its own images (QR codes), data: URLs, and the blob: URLs of
   * the files it decrypted itself (pictures, voice notes). Nobody may frame
   * it: a framed link page could be overlaid to trick a user into linking someone else's device.
   */
  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; connect-src 'self' ws: wss:; "
      + "img-src 'self' data: blob:; media-src 'self' blob:; style-src 'self'; script-src 'self'; "
      + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

  private SecurityHeaders() {}

  static void page(RoutingContext ctx) {
    ctx.response().putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    resource(ctx);
  }

  static void resource(RoutingContext ctx) {
    ctx.response()
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer");
    ctx.next();
  }
}
