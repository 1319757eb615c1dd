package org.quintet.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.zxing.WriterException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The companion's routes on a real Vert.x HTTP server, as a browser sees them. */
class WebCompanionTest {
  private static final String BENGALI_TITLE = "এই ব্রাউজারে Quintet ব্যবহার করুন";
  private static final String ENGLISH_TITLE = "Use Quintet on this browser";
  private static final String LINK_URI = "quintet://link?v=1&a=3q2-7wAAAAAAAAAAAAAAAA"
      + "&k=6VRjtWiZVQFjtOWj2EOB9jIwvSNy35JVPcI-GEf3ilw"
      + "&i=1Uk4tmE8w6TwTCN0idGL0dw0jxBkaK-xotu7JNZ_aDqnGs1zwBMs3r4AvkD6RQ4MW6F3uk47gaZ6ML9bVwCWbA&n=Q2hyb21lIG9uIExpbnV4";

  private static Vertx vertx;
  private static HttpServer server;
  private static HttpClient http;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    WebCompanion.mount(vertx, router);
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    http = HttpClient.newHttpClient();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  private static HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static HttpResponse<byte[]> getBytes(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElse("");
  }

  @Test
  void pageIsEnglishByDefault() throws Exception {
    HttpResponse<String> page = get("/");
    assertEquals(200, page.statusCode());
    assertEquals("text/html; charset=utf-8", header(page, "Content-Type"));
    assertTrue(page.body().contains("<html lang=\"en\">"), page.body());
    assertTrue(page.body().contains("<title>Quintet Web</title>"));
    assertTrue(page.body().contains("<data value=\"link.title\">" + ENGLISH_TITLE + "</data>"));
    assertTrue(page.body().contains("data-qr-endpoint=\"/qr.svg\""));
    assertFalse(page.body().contains("??"), "every #{...} resolved");
  }

  @Test
  void pageIsBengaliWithLangAndRemembersTheChoice() throws Exception {
    HttpResponse<String> page = get("/?lang=bn");
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("<html lang=\"bn\">"));
    assertTrue(page.body().contains("<title>Quintet ওয়েব</title>"), "UTF-8 end to end");
    assertTrue(page.body().contains("<data value=\"link.title\">" + BENGALI_TITLE + "</data>"));
    String cookie = header(page, "Set-Cookie");
    assertTrue(cookie.startsWith(Language.COOKIE + "=bn;"), cookie);
    assertTrue(cookie.contains("Path=/"), cookie);
  }

  @Test
  void languageComesFromTheQueryThenTheCookieThenAcceptLanguage() throws Exception {
    assertTrue(get("/", "Accept-Language", "bn-BD,bn;q=0.9,en;q=0.8").body().contains("<html lang=\"bn\">"));
    assertTrue(get("/", "Accept-Language", "fr-FR, en;q=0.5, bn;q=0.4").body().contains("<html lang=\"en\">"));
    assertTrue(get("/", "Accept-Language", "bn;q=0, en;q=0.1").body().contains("<html lang=\"en\">"));
    assertTrue(get("/", "Accept-Language", "de").body().contains("<html lang=\"en\">"));
    assertTrue(get("/", "Cookie", Language.COOKIE + "=bn", "Accept-Language", "en").body()
        .contains("<html lang=\"bn\">"));
    HttpResponse<String> overridden = get("/?lang=en", "Cookie", Language.COOKIE + "=bn");
    assertTrue(overridden.body().contains("<html lang=\"en\">"));
    assertTrue(header(overridden, "Set-Cookie").startsWith(Language.COOKIE + "=en;"));
    HttpResponse<String> unknown = get("/?lang=xx", "Accept-Language", "bn");
    assertTrue(unknown.body().contains("<html lang=\"bn\">"), "an unknown ?lang= is ignored");
    assertEquals("", header(unknown, "Set-Cookie"));
  }

  @Test
  void pageCarriesTheSecurityHeaders() throws Exception {
    HttpResponse<String> page = get("/");
    List<String> policy = List.of(header(page, "Content-Security-Policy").split(";\\s*"));
    for (String directive : List.of("default-src 'self'", "connect-src 'self' ws: wss:", "img-src 'self' data: blob:", "media-src 'self' blob:",
        "style-src 'self'", "script-src 'self'", "frame-ancestors 'none'")) {
      assertTrue(policy.contains(directive), directive + " in " + policy);
    }
    assertEquals("nosniff", header(page, "X-Content-Type-Options"));
    assertEquals("no-referrer", header(page, "Referrer-Policy"));
  }

  @Test
  void pageHasNoInlineScriptOrStyle() throws Exception {
    String body = get("/").body();
    assertFalse(body.contains("<style"));
    assertFalse(body.contains("style=\""));
    assertFalse(body.matches("(?s).*<script(?![^>]*\\bsrc=)[^>]*>.*"), "every script has a src");
  }

  @Test
  void staticFilesAreServedWithTheirTypes() throws Exception {
    HttpResponse<String> script = get("/static/js/app/main.js");
    assertEquals(200, script.statusCode());
    assertTrue(header(script, "Content-Type").startsWith("text/javascript"), header(script, "Content-Type"));
    assertEquals("no-cache", header(script, "Cache-Control"));
    assertEquals("nosniff", header(script, "X-Content-Type-Options"));
    assertTrue(script.body().contains("startApp"));

    HttpResponse<String> style = get("/static/css/app.css");
    assertEquals(200, style.statusCode());
    assertTrue(header(style, "Content-Type").startsWith("text/css"), header(style, "Content-Type"));

    assertEquals(404, get("/static/js/app/missing.js").statusCode());
    assertEquals(404, get("/static/%2e%2e/templates/index.html").statusCode());
  }

  @Test
  void everyFontOfTheStyleSheetIsServedWithItsLicence() throws Exception {
    // The jar carries the font files the page's @font-face rules name (web/pom.xml copies them
    // from the npm package): a face that 404s draws Bengali as empty boxes.
    Matcher url = Pattern.compile("url\\(\"\\.\\./fonts/([^\"]+)\"\\)").matcher(get("/static/css/app.css").body());
    int fonts = 0;
    while (url.find()) {
      fonts++;
      HttpResponse<byte[]> font = getBytes("/static/fonts/" + url.group(1));
      assertEquals(200, font.statusCode(), url.group(1));
      assertEquals("font/woff2", header(font, "Content-Type"), url.group(1));
      assertEquals("wOF2", new String(font.body(), 0, 4, StandardCharsets.US_ASCII), url.group(1));
    }
    assertEquals(4, fonts, "the regular, medium, semi-bold and bold faces");
    HttpResponse<String> licence = get("/static/fonts/LICENSE");
    assertEquals(200, licence.statusCode());
    assertTrue(licence.body().contains("SIL OPEN FONT LICENSE Version 1.1"), licence.body());
  }

  @Test
  void theScannersQrDecoderIsServedWithItsLicence() throws Exception {
    // web/pom.xml copies jsQR from its npm package; the scanner's worker loads it by this path.
    HttpResponse<String> decoder = get("/static/vendor/jsqr/jsQR.js");
    assertEquals(200, decoder.statusCode());
    assertTrue(header(decoder, "Content-Type").startsWith("text/javascript"), header(decoder, "Content-Type"));
    assertEquals("nosniff", header(decoder, "X-Content-Type-Options"));
    assertTrue(decoder.body().contains("root[\"jsQR\"] = factory()"), "the browser build, which defines jsQR");
    HttpResponse<String> licence = get("/static/vendor/jsqr/LICENSE");
    assertEquals(200, licence.statusCode());
    assertTrue(licence.body().contains("Apache License"), licence.body());
  }

  @Test
  void theEmojiFontAndTheSearchIndexAreServedWithTheirLicences() throws Exception {
    // web/pom.xml copies them from their npm packages; the page links the font's stylesheet.
    assertTrue(get("/").body().contains("<link rel=\"stylesheet\" href=\"/static/vendor/emoji/twemoji.css\">"));
    HttpResponse<String> faces = get("/static/vendor/emoji/twemoji.css");
    assertEquals(200, faces.statusCode());
    assertTrue(header(faces, "Content-Type").startsWith("text/css"), header(faces, "Content-Type"));
    Matcher file = Pattern.compile("url\\(\"([^\"]+\\.woff2)\"\\)").matcher(faces.body());
    assertTrue(file.find(), faces.body());
    HttpResponse<byte[]> font = getBytes("/static/vendor/emoji/" + file.group(1));
    assertEquals(200, font.statusCode(), file.group(1));
    assertEquals("font/woff2", header(font, "Content-Type"));
    assertTrue(get("/static/vendor/emoji/LICENSE").body().contains("SIL OPEN FONT LICENSE"));
    HttpResponse<String> search = get("/static/vendor/minisearch/index.js");
    assertEquals(200, search.statusCode());
    assertTrue(header(search, "Content-Type").startsWith("text/javascript"), header(search, "Content-Type"));
    assertTrue(search.body().contains("export { MiniSearch as default }"), "the ES module build");
    assertTrue(get("/static/vendor/minisearch/LICENSE.txt").body().contains("Permission is hereby granted, free of charge"));
  }

  @Test
  void serviceWorkerIsServedAtTheRootAndRevalidated() throws Exception {
    // At the root, its scope is the whole site; revalidated, an upgrade reaches every browser.
    HttpResponse<String> worker = get(WebCompanion.SERVICE_WORKER_PATH);
    assertEquals(200, worker.statusCode());
    assertEquals("text/javascript; charset=utf-8", header(worker, "Content-Type"));
    assertEquals("no-cache", header(worker, "Cache-Control"));
    assertEquals("nosniff", header(worker, "X-Content-Type-Options"));
    assertEquals("no-referrer", header(worker, "Referrer-Policy"));
    assertTrue(worker.body().contains("addEventListener('fetch'"), worker.body());
  }

  @Test
  void manifestMakesThePageInstallable() throws Exception {
    HttpResponse<String> response = get(WebCompanion.MANIFEST_PATH);
    assertEquals(200, response.statusCode());
    assertEquals("application/manifest+json", header(response, "Content-Type"));
    assertEquals("no-cache", header(response, "Cache-Control"));
    assertEquals("nosniff", header(response, "X-Content-Type-Options"));
    JsonObject manifest = new JsonObject(response.body());
    assertEquals("Quintet", manifest.getString("name"));
    assertEquals("/", manifest.getString("start_url"));
    assertEquals("/", manifest.getString("scope"));
    assertEquals("standalone", manifest.getString("display"));
    // The colours of the page's bar and background (light scheme), so the app opens as the page looks.
    String style = get("/static/css/app.css").body();
    assertTrue(style.contains("--accent: " + manifest.getString("theme_color") + ";"), manifest.getString("theme_color"));
    assertTrue(style.contains("--bg: " + manifest.getString("background_color") + ";"), manifest.getString("background_color"));

    // Chromium installs a page whose manifest has raster icons of 192 and 512 px; launchers that cut
    // icons to their own shape take the maskable one. Each is served, and is as large as it says.
    JsonArray icons = manifest.getJsonArray("icons");
    List<String> rasters = new ArrayList<>();
    for (int i = 0; i < icons.size(); i++) {
      JsonObject icon = icons.getJsonObject(i);
      HttpResponse<byte[]> image = getBytes(icon.getString("src"));
      assertEquals(200, image.statusCode(), icon.getString("src"));
      assertEquals(icon.getString("type"), header(image, "Content-Type"), icon.getString("src"));
      if (icon.getString("type").equals("image/png")) {
        assertEquals(icon.getString("sizes"), pngSize(image.body()), icon.getString("src"));
        rasters.add(icon.getString("sizes") + " " + icon.getString("purpose", "any"));
      }
    }
    assertTrue(rasters.containsAll(List.of("192x192 any", "512x512 any", "512x512 maskable")), rasters.toString());
  }

  @Test
  void pageLinksItsManifestAndAppleTouchIcon() throws Exception {
    String body = get("/").body();
    assertTrue(body.contains("<link rel=\"manifest\" href=\"" + WebCompanion.MANIFEST_PATH + "\">"), body);
    Matcher touchIcon = Pattern.compile("<link rel=\"apple-touch-icon\" href=\"([^\"]+)\">").matcher(body);
    assertTrue(touchIcon.find(), body);
    HttpResponse<byte[]> image = getBytes(touchIcon.group(1));
    assertEquals(200, image.statusCode());
    assertEquals("image/png", header(image, "Content-Type"));
    assertEquals("180x180", pngSize(image.body()));
  }

  /** A PNG's width and height, from its header chunk, as a manifest writes them. */
  private static String pngSize(byte[] png) {
    assertEquals("PNG", new String(png, 1, 3, StandardCharsets.US_ASCII));
    ByteBuffer header = ByteBuffer.wrap(png, 16, 8);
    return header.getInt() + "x" + header.getInt();
  }

  @Test
  void qrIsAnSvgThatDecodesToTheData() throws Exception {
    for (String data : List.of(LINK_URI, "বাংলা ও English: ✓")) {
      HttpResponse<String> qr = get("/qr.svg?data=" + URLEncoder.encode(data, StandardCharsets.UTF_8));
      assertEquals(200, qr.statusCode());
      assertEquals("image/svg+xml", header(qr, "Content-Type"));
      assertEquals("no-store", header(qr, "Cache-Control"));
      assertTrue(qr.body().contains("shape-rendering=\"crispEdges\""));
      assertEquals(data, QrDecoder.decode(qr.body()));
    }
  }

  @Test
  void qrHasAQuietZoneOfFourModules() throws Exception {
    QrDecoder.Modules modules = QrDecoder.modules(QrSvg.render(LINK_URI));
    for (int y = 0; y < modules.size(); y++) {
      for (int x = 0; x < modules.size(); x++) {
        boolean border = Math.min(Math.min(x, y), Math.min(modules.size() - 1 - x, modules.size() - 1 - y))
            < QrSvg.QUIET_ZONE;
        assertFalse(border && modules.dark()[y][x], "dark module in the quiet zone at " + x + "," + y);
      }
    }
  }

  @Test
  void qrRefusesBadData() throws Exception {
    for (String query : List.of("", "?data=", "?data=a&data=b", "?data=" + "x".repeat(QrRoute.MAX_CHARACTERS + 1))) {
      HttpResponse<String> refused = get("/qr.svg" + query);
      assertEquals(400, refused.statusCode(), query);
      assertEquals("INVALID_REQUEST", new JsonObject(refused.body()).getString("error"), query);
    }
    HttpResponse<String> longest = get("/qr.svg?data=" + "x".repeat(QrRoute.MAX_CHARACTERS));
    assertEquals(200, longest.statusCode());
    assertEquals("x".repeat(QrRoute.MAX_CHARACTERS), QrDecoder.decode(longest.body()));
  }

  @Test
  void dataTooLargeForAnyQrCodeIsRefused() {
    // 1024 characters of 3 bytes each are more than the largest code holds. (Over HTTP such a
    // query is longer than the server's request line limit and stops before the route.)
    assertThrows(WriterException.class, () -> QrSvg.render("৳".repeat(QrRoute.MAX_CHARACTERS)));
  }

  @Test
  void templateIsAscii() throws Exception {
    // The template engine reads it in the platform charset; ASCII reads the same in every one.
    try (InputStream template = getClass().getClassLoader().getResourceAsStream(CompanionPage.TEMPLATE)) {
      for (byte b : template.readAllBytes()) {
        assertTrue(b >= 0, "non-ASCII byte in " + CompanionPage.TEMPLATE);
      }
    }
  }
}
