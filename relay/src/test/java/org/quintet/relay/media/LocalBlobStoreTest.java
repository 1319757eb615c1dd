package org.quintet.relay.media;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;

class LocalBlobStoreTest extends BlobStoreContract {
  @Override
  protected Future<BlobStore> openEmpty(Vertx vertx, Path scratch) {
    return Future.succeededFuture(new LocalBlobStore(vertx, scratch.resolve("data")));
  }
}
