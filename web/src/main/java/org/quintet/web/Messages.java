package org.quintet.web;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.thymeleaf.context.ITemplateContext;
import org.thymeleaf.messageresolver.AbstractMessageResolver;

/**
 * The page's text in every {@link Language}, from {@code templates/i18n/messages_<tag>.properties}
 * read as UTF-8 (not ISO-8859-1 as {@link java.util.ResourceBundle} would). Thymeleaf's
 * {@code #{key}} resolves here, and the page's scripts get the same strings, so one file per
 * language holds all the text a user sees. Placeholders are {@code {name}}, filled in by the
 * scripts; the server never formats a message.
 */
final class Messages extends AbstractMessageResolver {
  static final String FOLDER = "templates/i18n/";

  private final Map<Language, Map<String, String>> bundles;

  private Messages(Map<Language, Map<String, String>> bundles) {
    this.bundles = bundles;
    setName(Messages.class.getSimpleName());
  }

  /**
   * Reads every language's file through Vert.x's file resolver (the working directory first, then
   * the classpath, as for the template and the static files). Fails when the languages do not
   * have the same keys: a missing translation is a bug the tests catch, not a fallback to hide.
   */
  static Messages load(Vertx vertx) {
    Map<Language, Map<String, String>> bundles = new EnumMap<>(Language.class);
    for (Language language : Language.values()) {
      String file = FOLDER + "messages_" + language.tag() + ".properties";
      Properties properties = new Properties();
      try {
        properties.load(new StringReader(vertx.fileSystem().readFileBlocking(file).toString(StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
      Map<String, String> bundle = new TreeMap<>();
      properties.forEach((key, value) -> bundle.put((String) key, (String) value));
      bundles.put(language, Map.copyOf(bundle));
    }
    for (Language language : Language.values()) {
      if (!bundles.get(language).keySet().equals(bundles.get(Language.EN).keySet())) {
        throw new IllegalStateException("messages_" + language.tag() + ".properties and messages_en.properties"
            + " do not have the same keys");
      }
    }
    return new Messages(bundles);
  }

  /** Every message of a language, for the page's scripts. */
  Map<String, String> all(Language language) {
    return new TreeMap<>(bundles.get(language));
  }

  @Override
  public String resolveMessage(ITemplateContext context, Class<?> origin, String key, Object[] messageParameters) {
    Language language = Language.of(context.getLocale().getLanguage()).orElse(Language.EN);
    return bundles.get(language).get(key);
  }

  @Override
  public String createAbsentMessageRepresentation(ITemplateContext context, Class<?> origin, String key,
      Object[] messageParameters) {
    return "??" + key + "_" + context.getLocale() + "??";
  }
}
