package org.quintet.relay.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.List;

/**
 * How the devices a send named for one account differ from that account's devices: one entry of a
 * {@code 409 DEVICE_MISMATCH} (docs/relay-api.md). Device ids are in ascending order.
 *
 * @param missing devices of the account the send left out
 * @param extra devices named that are not the account's (or not in its signed list)
 * @param stale devices named with a registration id that is not the device's current one
 */
public record DeviceMismatch(String number, List<Long> missing, List<Long> extra, List<Long> stale) {

  public DeviceMismatch {
    missing = List.copyOf(missing);
    extra = List.copyOf(extra);
    stale = List.copyOf(stale);
  }

  public boolean isEmpty() {
    return missing.isEmpty() && extra.isEmpty() && stale.isEmpty();
  }

  /** {@code {"number", "missing": [ids], "extra": [ids], "stale": [ids]}}. */
  public JsonObject toJson() {
    return new JsonObject().put("number", number).put("missing", new JsonArray(missing))
        .put("extra", new JsonArray(extra)).put("stale", new JsonArray(stale));
  }

  /** The refusal of a send whose devices differ from these accounts' devices. */
  static ApiException refusal(Collection<DeviceMismatch> mismatches) {
    JsonArray entries = new JsonArray();
    mismatches.forEach(mismatch -> entries.add(mismatch.toJson()));
    return new ApiException(ApiError.DEVICE_MISMATCH,
        "the devices named differ from the accounts' devices; refresh them and send again",
        new JsonObject().put("mismatches", entries));
  }
}
