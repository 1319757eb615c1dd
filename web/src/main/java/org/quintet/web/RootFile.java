package org.quintet.web;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * A file of {@code static/} served at the site's root, where its place matters: a service worker
 * controls only the pages under its own path, and a web app manifest's type must be named (Vert.x's
 * table of types has none for {@code .webmanifest}).
 */
final class RootFile implements Handler<RoutingContext> {
  private final String file;
  private final String contentType;

  RootFile(String file, String contentType) {
    this.file = file;
    this.contentType = contentType;
  }

  @Override
  public void handle(RoutingContext ctx) {
    ctx.response()
        .putHeader("Content-Type", contentType)
        // As for the static files: after an upgrade, the browser sees the new one at its next load.
        .putHeader("Cache-Control", "no-cache")
        .sendFile(file)
        .onFailure(ctx::fail);
  }
}
