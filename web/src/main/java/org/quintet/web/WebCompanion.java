package org.quintet.web;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.templ.thymeleaf.ThymeleafTemplateEngine;

/**
 * The browser companion: the page at {@code /}, its scripts and styles under {@code /static/},
 * the QR images it shows at {@code /qr.svg}, and what installs it as an app: its manifest at
 * {@code /manifest.webmanifest} and its service worker at {@code /sw.js}. Everything the page does
 * after loading, it does in the browser against the relay's API on the same origin.
 */
public final class WebCompanion {
  static final String QR_PATH = "/qr.svg";
  static final String SERVICE_WORKER_PATH = "/sw.js";
  static final String MANIFEST_PATH = "/manifest.webmanifest";

  private WebCompanion() {}

  /** Adds the companion's routes to a relay's router. Reads the message files (blocking, once). */
  public static void mount(Vertx vertx, Router router) {
    ThymeleafTemplateEngine engine = ThymeleafTemplateEngine.create(vertx);
    Messages messages = Messages.load(vertx);
    engine.unwrap().setMessageResolver(messages);

    router.get("/").handler(SecurityHeaders::page).handler(new CompanionPage(engine, messages));
    router.get(QR_PATH).handler(SecurityHeaders::resource).handler(QrRoute::handle);
    router.get(SERVICE_WORKER_PATH).handler(SecurityHeaders::resource)
        .handler(new RootFile("static/sw.js", "text/javascript; charset=utf-8"));
    router.get(MANIFEST_PATH).handler(SecurityHeaders::resource)
        .handler(new RootFile("static/manifest.webmanifest", "application/manifest+json"));
    router.route("/static/*").method(HttpMethod.GET).method(HttpMethod.HEAD)
        .handler(ctx -> {
          // Revalidate on every load (a cheap 304): after an upgrade no tab runs old scripts.
          ctx.response().putHeader("Cache-Control", "no-cache");
          SecurityHeaders.resource(ctx);
        })
        .handler(StaticHandler.create("static").setDefaultContentEncoding("UTF-8"));
  }
}
