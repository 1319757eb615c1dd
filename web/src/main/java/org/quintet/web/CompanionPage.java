package org.quintet.web;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.templ.thymeleaf.ThymeleafTemplateEngine;
import java.util.Map;

/** {@code GET /}: the companion page in the language the request asks for. */
final class CompanionPage implements Handler<RoutingContext> {
  static final String TEMPLATE = "templates/index.html";

  private final ThymeleafTemplateEngine engine;
  private final Messages messages;

  CompanionPage(ThymeleafTemplateEngine engine, Messages messages) {
    this.engine = engine;
    this.messages = messages;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Language language = Language.choose(ctx);
    // "lang" also sets the locale that #{...} resolves in.
    Map<String, Object> data = Map.of(
        "lang", language.tag(),
        "strings", messages.all(language),
        "qrPath", WebCompanion.QR_PATH);
    engine.render(data, TEMPLATE)
        .onSuccess(html -> ctx.response()
            .putHeader("Content-Type", "text/html; charset=utf-8")
            .putHeader("Cache-Control", "no-cache")
            .putHeader("Vary", "Accept-Language, Cookie")
            .end(html))
        .onFailure(ctx::fail);
  }
}
