package org.quintet.relay.verification;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.quintet.relay.RelayLimits;

/** Posts {@code {"number", "code", "text"}} to the operator's SMS gateway. */
public final class WebhookCodeSender implements CodeSender {
  private final WebClient client;
  private final String url;

  public WebhookCodeSender(WebClient client, String url) {
    this.client = client;
    this.url = url;
  }

  @Override
  public Future<Void> send(String number, String code) {
    JsonObject body = new JsonObject().put("number", number).put("code", code)
        .put("text", "Your Quintet code is " + code);
    return client.postAbs(url).timeout(RelayLimits.WEBHOOK_TIMEOUT.toMillis()).sendJsonObject(body).transform(sent -> {
      if (sent.failed()) {
        // Not the exception's own message: a timeout's names the URL, and the URL may hold the gateway's key.
        return Future.failedFuture("the SMS gateway could not be reached (" + sent.cause().getClass().getSimpleName()
            + ")");
      }
      return sent.result().statusCode() / 100 == 2
          ? Future.<Void>succeededFuture()
          : Future.failedFuture("the SMS gateway answered " + sent.result().statusCode());
    });
  }

  @Override
  public String channel() {
    return "webhook";
  }
}
