package org.quintet.relay.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The error codes clients see: the code's list and the API document's table are the same list. */
class ApiErrorTest {
  private static final Pattern ROW = Pattern.compile("^\\| (\\d{3}) \\| `([A-Z_]+)` \\|", Pattern.MULTILINE);

  @Test
  void theApiDocumentListsEveryCodeWithItsStatusAndNoOther() throws IOException {
    String document = Files.readString(Path.of(System.getProperty("quintet.docs.dir"), "relay-api.md"));
    Set<String> documented = new TreeSet<>();
    Matcher row = ROW.matcher(document);
    while (row.find()) {
      documented.add(row.group(1) + " " + row.group(2));
    }

    Set<String> defined = Arrays.stream(ApiError.values()).map(error -> error.status() + " " + error.code())
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(defined, documented);
  }

  @Test
  void aRefusalCarriesItsCodeAndStatusOnTheWire() {
    ApiException refusal = new ApiException(ApiError.UNKNOWN_DEVICE_AT_LOGIN, "no such device");

    assertEquals(401, refusal.status());
    assertEquals("UNKNOWN_DEVICE", refusal.body().getString("error"));
    assertEquals("no such device", refusal.body().getString("message"));
  }
}
