package org.quintet.relay.media;

import java.net.URI;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Where an {@link S3BlobStore} keeps its blobs: an S3-compatible object store and a bucket in it.
 *
 * @param endpoint the store's URL, such as {@code https://s3.example.org:9000}; null for Amazon S3
 *     itself, whose endpoint follows from the region
 * @param region the region the requests are signed for (servers that have none accept any, such as
 *     {@code us-east-1})
 * @param bucket a bucket that exists: the store does not create it
 * @param accessKey the access key id the requests are signed with
 * @param secretKey its secret
 * @param prefix put before every key, so that the blobs may share a bucket with other objects
 *     ({@code blobs/}, or empty)
 * @param pathStyle the bucket in the URL's path ({@code endpoint/bucket/key}) rather than in its
 *     host name, as most servers other than Amazon's want
 */
public record S3Config(String endpoint, String region, String bucket, String accessKey, String secretKey,
    String prefix, boolean pathStyle) {

  public S3Config {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(accessKey, "accessKey");
    Objects.requireNonNull(secretKey, "secretKey");
    Objects.requireNonNull(prefix, "prefix");
  }

  /** A synchronous client for the store; its calls block, and it is closed by whoever made it. */
  public S3Client client() {
    S3ClientBuilder builder = S3Client.builder()
        .region(Region.of(region))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
        .forcePathStyle(pathStyle)
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        // Checksums only where the API demands them: many S3-compatible servers reject the
        // trailing checksums the SDK would otherwise add to every upload.
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    if (endpoint != null) {
      builder.endpointOverride(URI.create(endpoint));
    }
    return builder.build();
  }

  /** Without the secret, which would otherwise end up in whatever logs a configuration. */
  @Override
  public String toString() {
    return "S3Config[endpoint=" + endpoint + ", region=" + region + ", bucket=" + bucket + ", accessKey="
        + accessKey + ", prefix=" + prefix + ", pathStyle=" + pathStyle + "]";
  }
}
