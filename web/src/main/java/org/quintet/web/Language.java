package org.quintet.web;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.LanguageHeader;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The page's languages, and which one a request gets. */
enum Language {
  EN("en"),
  BN("bn");

  static final String COOKIE = "quintet-lang";
  private static final long COOKIE_MAX_AGE_SECONDS = 365L * 24 * 3600;

  private final String tag;

  Language(String tag) {
    this.tag = tag;
  }

  String tag() {
    return tag;
  }

  static Optional<Language> of(String tag) {
    if (tag == null) {
      return Optional.empty();
    }
    String primary = tag.toLowerCase(Locale.ROOT);
    for (Language language : values()) {
      if (language.tag.equals(primary)) {
        return Optional.of(language);
      }
    }
    return Optional.empty();
  }

  /**
   * {@code ?lang=} wins and is remembered in a cookie; then the cookie; then the first language
   * of {@code Accept-Language} that the page has (by weight); then English.
   */
  static Language choose(RoutingContext ctx) {
    List<String> asked = ctx.queryParam("lang");
    Optional<Language> chosen = asked.size() == 1 ? of(asked.get(0)) : Optional.empty();
    if (chosen.isPresent()) {
      ctx.response().addCookie(Cookie.cookie(COOKIE, chosen.get().tag).setPath("/")
          .setMaxAge(COOKIE_MAX_AGE_SECONDS).setSameSite(CookieSameSite.LAX).setHttpOnly(true)
          .setSecure(ctx.request().isSSL()));
      return chosen.get();
    }
    Cookie remembered = ctx.request().getCookie(COOKIE);
    if (remembered != null) {
      Optional<Language> fromCookie = of(remembered.getValue());
      if (fromCookie.isPresent()) {
        return fromCookie.get();
      }
    }
    for (LanguageHeader header : ctx.acceptableLanguages()) {
      // q=0 means "not this one"
      Optional<Language> accepted = header.weight() > 0 ? of(header.tag()) : Optional.empty();
      if (accepted.isPresent()) {
        return accepted.get();
      }
    }
    return EN;
  }
}
