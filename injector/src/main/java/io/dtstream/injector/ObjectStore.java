package io.dtstream.injector;

import java.net.URI;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Where {@code s3://} sources live: Beam's AWS SDK v2 file system, pointed at AWS or at any
 * S3-compatible server. Credentials come from the usual AWS places (environment, system
 * properties, {@code ~/.aws} profiles, instance roles), never from an option of ours.
 *
 * @param endpoint an S3-compatible server, or null for AWS itself
 * @param region the signing region
 * @param pathStyleAccess {@code http://host/bucket/key} rather than {@code http://bucket.host/key}:
 *     what local servers need, since {@code bucket.127.0.0.1} resolves nowhere
 * @param noSignRequest anonymous requests, as {@code aws --no-sign-request}: for public buckets and
 *     servers that check no credentials
 */
record ObjectStore(URI endpoint, String region, boolean pathStyleAccess, boolean noSignRequest) {

  /** A local S3-compatible server that takes any request. */
  static ObjectStore local(URI endpoint) {
    return new ObjectStore(endpoint, "us-east-1", true, true);
  }

  /** Makes {@code s3://} paths readable through {@link FileSystems} in this JVM. */
  void register() {
    S3Options options = PipelineOptionsFactory.as(S3Options.class);
    options.setAwsRegion(Region.of(region));
    options.setEndpoint(endpoint);
    // A fresh provider chain per run: the shared default one caches what it found first.
    options.setAwsCredentialsProvider(
        noSignRequest ? AnonymousCredentialsProvider.create() : DefaultCredentialsProvider.builder().build());
    options.setS3ClientFactoryClass(pathStyleAccess ? PathStyle.class : DefaultS3ClientBuilderFactory.class);
    FileSystems.setDefaultPipelineOptions(options);
  }

  /** The cause of a failed read in one phrase a user can act on. */
  static String explain(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof NoSuchBucketException) {
        return "no such bucket";
      }
      if (cause instanceof S3Exception s3) {
        return switch (s3.statusCode()) {
          case 403 -> "access denied (check the AWS credentials and their rights on the bucket)";
          case 404 -> "not found";
          default -> s3.awsErrorDetails() == null ? s3.getMessage() : s3.awsErrorDetails().errorMessage();
        };
      }
      if (cause instanceof SdkClientException && String.valueOf(cause.getMessage()).contains("credentials")) {
        return "no AWS credentials found (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE"
            + " with ~/.aws/credentials)";
      }
    }
    Throwable root = error;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.toString() : root.getMessage();
  }

  /** Beam's default S3 client, with path-style addressing. */
  public static final class PathStyle implements S3ClientBuilderFactory {
    @Override
    public S3ClientBuilder createBuilder(S3Options options) {
      return new DefaultS3ClientBuilderFactory().createBuilder(options).forcePathStyle(true);
    }
  }
}
