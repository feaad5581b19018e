package io.minitoolstream.camel.store.s3;

import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;

import io.minitoolstream.camel.store.PayloadStore;

/**
 * How to reach the object store and which bucket holds the payloads.
 *
 * @param endpoint         the S3 endpoint URL, e.g. {@code http://localhost:9000}
 * @param region           the region, or null for the client's default
 * @param accessKey        the access key
 * @param secretKey        the secret key; never printed
 * @param bucket           the bucket holding the payload objects
 * @param autoCreateBucket whether {@link PayloadStore#ensureBucket()} may create a missing bucket
 */
public record S3Settings(String endpoint, String region, String accessKey, String secretKey, String bucket,
        boolean autoCreateBucket, SSLContext sslContext, X509TrustManager trustManager) {

    /** Settings for plain HTTP, or HTTPS with the JVM's default trust. */
    public S3Settings(String endpoint, String region, String accessKey, String secretKey, String bucket,
            boolean autoCreateBucket) {
        this(endpoint, region, accessKey, secretKey, bucket, autoCreateBucket, null, null);
    }

    public S3Settings {
        if ((sslContext == null) != (trustManager == null)) {
            throw new IllegalArgumentException("sslContext and trustManager go together");
        }
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("bucket is required");
        }
        if (region != null && region.isBlank()) {
            region = null;
        }
    }

    @Override
    public String toString() {
        return "S3Settings[endpoint=" + endpoint + ", region=" + region + ", accessKey=" + accessKey
                + ", secretKey=" + (secretKey == null ? "null" : "******") + ", bucket=" + bucket
                + ", autoCreateBucket=" + autoCreateBucket + ", customTls=" + (sslContext != null) + "]";
    }
}
