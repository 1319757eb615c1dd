package org.quintet.relay;

import io.vertx.core.json.JsonObject;

/** The abuse limits on one node, its buckets in memory (Bucket4j). */
class AbuseLimitsOneNodeTest extends AbuseLimitsTest {

  @Override
  void startNodes(JsonObject config) throws Exception {
    nodes.add(TestRelay.start(data.resolve("node"), config));
  }
}
