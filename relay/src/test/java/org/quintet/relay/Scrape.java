package org.quintet.relay;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One answer of {@code GET /metrics}, read as Prometheus reads it: each sample by name and labels. */
final class Scrape {
  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private record Sample(String name, Map<String, String> labels, double value) {}

  final String text;
  private final List<Sample> samples = new ArrayList<>();

  private Scrape(String text) {
    this.text = text;
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher sample = SAMPLE.matcher(line);
      if (!sample.matches()) {
        throw new AssertionError("not a Prometheus sample: " + line);
      }
      Map<String, String> labels = new HashMap<>();
      if (sample.group(2) != null) {
        Matcher label = LABEL.matcher(sample.group(2));
        while (label.find()) {
          labels.put(label.group(1), label.group(2));
        }
      }
      samples.add(new Sample(sample.group(1), labels, Double.parseDouble(sample.group(3))));
    }
  }

  /** GETs {@code url} (a metrics endpoint) and checks that it answers Prometheus's text format. */
  static Scrape from(Vertx vertx, String url) throws Exception {
    HttpResponse<Buffer> response = TestRelay.await(WebClient.create(vertx).getAbs(url).send());
    if (response.statusCode() != 200) {
      throw new AssertionError("GET " + url + " answered " + response.statusCode() + " " + response.bodyAsString());
    }
    String type = response.getHeader("content-type");
    if (type == null || !type.startsWith("text/plain; version=0.0.4")) {
      throw new AssertionError("metrics come as Prometheus text, not " + type);
    }
    return new Scrape(response.bodyAsString());
  }

  /** The sum of the samples named {@code name} that have every label given as {@code "key=value"}; 0 when none. */
  double sum(String name, String... labels) {
    return matching(name, labels).stream().mapToDouble(Sample::value).sum();
  }

  /** The one sample named so with these labels. */
  double value(String name, String... labels) {
    List<Sample> found = matching(name, labels);
    if (found.size() != 1) {
      throw new AssertionError(found.size() + " samples " + name + " " + List.of(labels) + " in:\n" + text);
    }
    return found.get(0).value();
  }

  /** Whether some sample is named {@code name} and has these labels. */
  boolean has(String name, String... labels) {
    return !matching(name, labels).isEmpty();
  }

  /** Every label value of every sample. */
  List<String> labelValues() {
    return samples.stream().flatMap(sample -> sample.labels().values().stream()).toList();
  }

  /** Labels are {@code "key=value"}, or {@code "key$=end"} for a value that ends so. */
  private List<Sample> matching(String name, String... labels) {
    return samples.stream().filter(sample -> sample.name().equals(name)).filter(sample -> {
      for (String label : labels) {
        String[] pair = label.split("=", 2);
        boolean suffix = pair[0].endsWith("$");
        String value = sample.labels().get(suffix ? pair[0].substring(0, pair[0].length() - 1) : pair[0]);
        if (value == null || !(suffix ? value.endsWith(pair[1]) : value.equals(pair[1]))) {
          return false;
        }
      }
      return true;
    }).toList();
  }
}
