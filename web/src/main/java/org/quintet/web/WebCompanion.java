package org.quintet.web;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.templ.thymeleaf.ThymeleafTemplateEngine;

/**
 * The browser companion: the page at {@code /}, its scripts and styles under {@code /static/},
 * and the QR images it shows at {@code /qr.svg}. Everything the page does after loading, it does
 * in the browser against the relay's API on the same origin.
 */
public final class WebCompanion {
  static final String QR_PATH = "/qr.svg";

  private WebCompanion() {}

  /** Adds the companion's routes to a relay's router. Reads the message files (blocking, once). */
  public static void mount(Vertx vertx, Router router) {
    ThymeleafTemplateEngine engine = ThymeleafTemplateEngine.create(vertx);
    Messages messages = Messages.load(vertx);
    engine.unwrap().setMessageResolver(messages);

    router.get("/").handler(SecurityHeaders::page).handler(new CompanionPage(engine, messages));
    router.get(QR_PATH).handler(SecurityHeaders::resource).handler(QrRoute::handle);
    router.route("/static/*").method(HttpMethod.GET).method(HttpMethod.HEAD)
        .handler(ctx -> {
          // Revalidate on every load (a cheap 304): after an upgrade no tab runs old scripts.
          ctx.response().putHeader("Cache-Control", "no-cache");
          SecurityHeaders.resource(ctx);
        })
        .handler(StaticHandler.create("static").setDefaultContentEncoding("UTF-8"));
  }
}
