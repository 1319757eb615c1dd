package org.quintet.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quintet.relay.TestDevice.expectError;
import static org.quintet.relay.TestRelay.await;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attachment blobs on one node (docs/relay-api.md, "Attachments"): a tus upload in parts, resumed
 * after a broken connection, downloaded whole or in ranges by a device of another account; every
 * refusal says why and changes nothing; the sweep deletes what expired, bytes and all.
 */
class BlobsTest {
  private static final String ALICE = "+15550410001";
  private static final String BOB = "+15550410002";
  private static final int MIB = 1 << 20;

  @TempDir
  Path data;
  TestRelay relay;
  TestDevice alice;
  TestDevice bob;

  @BeforeEach
  void start() throws Exception {
    relay = TestRelay.start(data, new JsonObject().put("blobs", new JsonObject().put("maxMiB", 1).put("quotaMiB", 2)));
    alice = new TestDevice(relay, ALICE).registerAsPrimary(relay);
    bob = new TestDevice(relay, BOB).registerAsPrimary(relay);
  }

  @AfterEach
  void stop() throws Exception {
    relay.close();
  }

  static byte[] bytes(int length, int seed) {
    byte[] out = new byte[length];
    for (int i = 0; i < length; i++) {
      out[i] = (byte) (i * 13 + seed);
    }
    return out;
  }

  /** A request of the device's with tus's version header and these headers; body null sends none. */
  static HttpResponse<Buffer> tus(TestDevice device, HttpMethod method, String path, Map<String, String> headers,
      byte[] body) throws Exception {
    HttpRequest<Buffer> request = device.http.requestAbs(method, device.url + path).putHeader("Tus-Resumable", "1.0.0");
    if (device.token != null) {
      request.bearerTokenAuthentication(device.token);
    }
    headers.forEach(request::putHeader);
    return await(body == null ? request.send() : request.sendBuffer(Buffer.buffer(body)));
  }

  /** Creates a blob of {@code length} bytes; answers its path. */
  static String create(TestDevice device, long length) throws Exception {
    HttpResponse<Buffer> created = tus(device, HttpMethod.POST, "/v1/blobs", Map.of("Upload-Length", Long.toString(length)), null);
    assertEquals(201, created.statusCode(), created.bodyAsString());
    String location = created.getHeader("Location");
    assertTrue(location.matches("/v1/blobs/[A-Za-z0-9_-]{22}"), location);
    return location;
  }

  static HttpResponse<Buffer> patch(TestDevice device, String path, long offset, byte[] body) throws Exception {
    return tus(device, HttpMethod.PATCH, path, Map.of("Upload-Offset", Long.toString(offset),
        "Content-Type", "application/offset+octet-stream"), body);
  }

  private static long offset(TestDevice device, String path) throws Exception {
    HttpResponse<Buffer> head = tus(device, HttpMethod.HEAD, path, Map.of(), null);
    assertEquals(200, head.statusCode());
    assertEquals("no-store", head.getHeader("Cache-Control"));
    return Long.parseLong(head.getHeader("Upload-Offset"));
  }

  /** A HEAD's refusal: a status and no body. */
  private static void headRefused(TestDevice device, String path, int status) throws Exception {
    assertEquals(status, tus(device, HttpMethod.HEAD, path, Map.of(), null).statusCode());
  }

  static HttpResponse<Buffer> download(TestDevice device, String path, String range) throws Exception {
    HttpRequest<Buffer> request = device.http.getAbs(device.url + path).bearerTokenAuthentication(device.token);
    if (range != null) {
      request.putHeader("Range", range);
    }
    return await(request.send());
  }

  @Test
  void aBlobUploadedInPartsIsDownloadedWholeAndInRangesByAnotherAccount() throws Exception {
    byte[] blob = bytes(200_000, 1);
    String path = create(alice, blob.length);
    assertEquals(0, offset(alice, path));
    expectError(download(bob, path, null), 404, "UNKNOWN_BLOB");

    HttpResponse<Buffer> first = patch(alice, path, 0, Arrays.copyOf(blob, 120_000));
    assertEquals(204, first.statusCode());
    assertEquals("120000", first.getHeader("Upload-Offset"));
    assertEquals(120_000, offset(alice, path));
    expectError(patch(alice, path, 0, bytes(10, 2)), 409, "UPLOAD_OFFSET_CONFLICT");
    assertEquals(120_000, offset(alice, path), "a refused part changes nothing");
    assertEquals(204, patch(alice, path, 120_000, Arrays.copyOfRange(blob, 120_000, blob.length)).statusCode());

    HttpResponse<Buffer> whole = download(bob, path, null);
    assertEquals(200, whole.statusCode());
    assertArrayEquals(blob, whole.body().getBytes());
    assertEquals("bytes", whole.getHeader("Accept-Ranges"));
    HttpResponse<Buffer> middle = download(bob, path, "bytes=1000-1999");
    assertEquals(206, middle.statusCode());
    assertEquals("bytes 1000-1999/200000", middle.getHeader("Content-Range"));
    assertArrayEquals(Arrays.copyOfRange(blob, 1000, 2000), middle.body().getBytes());
    assertArrayEquals(Arrays.copyOfRange(blob, 150_000, blob.length), download(bob, path, "bytes=150000-").body().getBytes());
    assertArrayEquals(Arrays.copyOfRange(blob, blob.length - 10, blob.length), download(bob, path, "bytes=-10").body().getBytes());
    HttpResponse<Buffer> beyond = download(bob, path, "bytes=300000-");
    assertEquals(416, beyond.statusCode());
    assertEquals("bytes */200000", beyond.getHeader("Content-Range"));
    expectError(patch(alice, path, 200_000, bytes(1, 3)), 413, "TOO_LARGE");
  }

  @Test
  void anUploadBrokenOffMidwayResumesFromTheOffsetTheRelayKept() throws Exception {
    byte[] blob = bytes(600_000, 4);
    String path = create(alice, blob.length);
    HttpClient client = relay.vertx.createHttpClient();
    URLParts url = URLParts.of(alice.url + path);
    HttpClientRequest request = await(client.request(new RequestOptions().setMethod(HttpMethod.PATCH).setHost(url.host)
        .setPort(url.port).setURI(path).putHeader("Tus-Resumable", "1.0.0").putHeader("Upload-Offset", "0")
        .putHeader("Content-Type", "application/offset+octet-stream").putHeader("Authorization", "Bearer " + alice.token)
        .putHeader("Content-Length", Integer.toString(blob.length))));
    await(request.write(Buffer.buffer(Arrays.copyOf(blob, 250_000))));
    Thread.sleep(300); // the relay reads what was sent
    await(request.connection().close());
    long kept = waitForOffset(alice, path);
    assertTrue(kept > 0 && kept <= 250_000, "kept " + kept);

    assertEquals(204, patch(alice, path, kept, Arrays.copyOfRange(blob, (int) kept, blob.length)).statusCode());
    assertArrayEquals(blob, download(bob, path, null).body().getBytes());
    await(client.close());
  }

  private static long waitForOffset(TestDevice device, String path) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    long offset;
    while ((offset = offset(device, path)) == 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    return offset;
  }

  private record URLParts(String host, int port) {
    static URLParts of(String url) {
      java.net.URI uri = java.net.URI.create(url);
      return new URLParts(uri.getHost(), uri.getPort());
    }
  }

  @Test
  void everyRefusalSaysWhyAndChangesNothing() throws Exception {
    expectError(tus(alice, HttpMethod.POST, "/v1/blobs", Map.of("Upload-Length", Integer.toString(MIB + 1)), null),
        413, "TOO_LARGE");
    expectError(tus(alice, HttpMethod.POST, "/v1/blobs", Map.of(), null), 400, "INVALID_REQUEST");
    expectError(tus(alice, HttpMethod.POST, "/v1/blobs", Map.of("Upload-Length", "-1"), null), 400, "INVALID_REQUEST");
    HttpResponse<Buffer> oldTus = await(alice.http.postAbs(alice.url + "/v1/blobs").bearerTokenAuthentication(alice.token)
        .putHeader("Tus-Resumable", "0.2.2").putHeader("Upload-Length", "10").send());
    expectError(oldTus, 412, "UNSUPPORTED_TUS_VERSION");
    HttpResponse<Buffer> anonymous = await(alice.http.postAbs(alice.url + "/v1/blobs").putHeader("Tus-Resumable", "1.0.0")
        .putHeader("Upload-Length", "10").send());
    assertEquals(401, anonymous.statusCode());

    String first = create(alice, MIB);
    create(alice, MIB);
    expectError(tus(alice, HttpMethod.POST, "/v1/blobs", Map.of("Upload-Length", "1"), null), 507, "OVER_QUOTA");
    create(bob, 10);

    headRefused(bob, first, 403);
    expectError(patch(bob, first, 0, bytes(10, 5)), 403, "NOT_ALLOWED");
    expectError(tus(bob, HttpMethod.DELETE, first, Map.of(), null), 403, "NOT_ALLOWED");
    expectError(tus(alice, HttpMethod.PATCH, first, Map.of("Upload-Offset", "0", "Content-Type", "application/json"),
        bytes(10, 6)), 415, "UNSUPPORTED_MEDIA_TYPE");
    expectError(patch(alice, "/v1/blobs/AAAAAAAAAAAAAAAAAAAAAA", 0, bytes(1, 7)), 404, "UNKNOWN_BLOB");
    assertEquals(0, offset(alice, first), "nothing of it was taken");

    assertEquals(204, tus(alice, HttpMethod.DELETE, first, Map.of(), null).statusCode());
    headRefused(alice, first, 404);
    create(alice, MIB); // the deleted blob's room is free again
  }

  @Test
  void theSweepDeletesExpiredBlobsAndUnfinishedUploadsWithTheirBytes() throws Exception {
    String done = create(alice, 5000);
    assertEquals(204, patch(alice, done, 0, bytes(5000, 8)).statusCode());
    String unfinished = create(alice, 5000);
    assertEquals(204, patch(alice, unfinished, 0, bytes(100, 9)).statusCode());
    assertEquals(2, blobFiles().count());

    relay.clock.advance(Duration.ofHours(25));
    await(relay.server.housekeeping());
    alice.login();
    bob.login();
    headRefused(alice, unfinished, 404);
    assertEquals(200, download(bob, done, null).statusCode(), "a complete blob lives on");

    relay.clock.advance(Duration.ofDays(30));
    await(relay.server.housekeeping());
    bob.login();
    expectError(download(bob, done, null), 404, "UNKNOWN_BLOB");
    assertEquals(0, blobFiles().count(), "no bytes are left behind");
  }

  private Stream<Path> blobFiles() throws Exception {
    Path blobs = data.resolve("blobs");
    return Files.exists(blobs) ? Files.walk(blobs).filter(Files::isRegularFile).toList().stream() : Stream.empty();
  }
}
