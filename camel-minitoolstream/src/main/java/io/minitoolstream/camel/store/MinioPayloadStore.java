package io.minitoolstream.camel.store;

import java.io.InputStream;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.http.HttpUtils;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PayloadStore} on any S3-compatible object store through the MinIO Java client. Payloads are streamed:
 * a known size is uploaded with that size (the client picks the part size and holds one part at a time), an
 * unknown size as a multipart upload of {@value #UNKNOWN_SIZE_PART_BYTES}-byte parts.
 */
public class MinioPayloadStore implements PayloadStore {

    /** Part size of uploads whose length is unknown; memory stays bounded by one part. */
    public static final long UNKNOWN_SIZE_PART_BYTES = 10L * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(MinioPayloadStore.class);

    private static final long CONNECT_TIMEOUT_MS = TimeUnit.SECONDS.toMillis(30);
    private static final long READ_WRITE_TIMEOUT_MS = TimeUnit.MINUTES.toMillis(5);
    private static final int MAX_CONCURRENT_REQUESTS = 64;
    private static final AtomicInteger THREAD_COUNTER = new AtomicInteger();

    private static final String NO_SUCH_KEY = "NoSuchKey";
    private static final int MAX_REASON_LENGTH = 300;

    private final MinioClient client;
    private final OkHttpClient httpClient;
    private final String bucket;
    private final String region;
    private final boolean autoCreateBucket;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Creates its own client (TCP_NODELAY sockets); {@link #close()} releases it. */
    public MinioPayloadStore(S3Settings settings) {
        Objects.requireNonNull(settings, "settings");
        this.httpClient = createHttpClient(settings);
        this.client = createClient(settings, httpClient);
        this.bucket = settings.bucket();
        this.region = settings.region();
        this.autoCreateBucket = settings.autoCreateBucket();
    }

    /**
     * Uses a client the caller owns ({@link #close()} leaves it open); of the settings only the bucket, the
     * region (for creating the bucket) and autoCreateBucket are used.
     */
    public MinioPayloadStore(MinioClient client, S3Settings settings) {
        this.client = Objects.requireNonNull(client, "client");
        Objects.requireNonNull(settings, "settings");
        this.httpClient = null;
        this.bucket = settings.bucket();
        this.region = settings.region();
        this.autoCreateBucket = settings.autoCreateBucket();
    }

    /**
     * A MinIO client for the settings whose HTTP client sets TCP_NODELAY and allows
     * {@value #MAX_CONCURRENT_REQUESTS} concurrent requests. Closing the returned client releases its HTTP
     * threads and connections.
     */
    public static MinioClient createClient(S3Settings settings) {
        return createClient(settings, createHttpClient(settings));
    }

    private static MinioClient createClient(S3Settings settings, OkHttpClient httpClient) {
        if (settings.endpoint() == null || settings.endpoint().isBlank()) {
            throw new IllegalArgumentException("S3 endpoint is required");
        }
        MinioClient.Builder builder = MinioClient.builder()
                .endpoint(settings.endpoint())
                .httpClient(httpClient, true);
        if (settings.region() != null) {
            builder.region(settings.region());
        }
        if (settings.accessKey() != null || settings.secretKey() != null) {
            builder.credentials(settings.accessKey(), settings.secretKey());
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            // the builder's messages name the endpoint, never the keys
            throw new IllegalArgumentException("invalid S3 endpoint '" + settings.endpoint() + "': "
                    + e.getMessage(), e);
        }
    }

    private static OkHttpClient createHttpClient(S3Settings settings) {
        // minio's own defaults (HTTP/1.1, SSL_CERT_FILE), plus TCP_NODELAY, a dispatcher on daemon threads that
        // allows more than OkHttp's 5 requests per host, and a larger idle connection pool.
        ExecutorService executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, "minitoolstream-s3-" + THREAD_COUNTER.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        Dispatcher dispatcher = new Dispatcher(executor);
        dispatcher.setMaxRequests(MAX_CONCURRENT_REQUESTS);
        dispatcher.setMaxRequestsPerHost(MAX_CONCURRENT_REQUESTS);
        OkHttpClient.Builder builder = HttpUtils.newDefaultHttpClient(CONNECT_TIMEOUT_MS, READ_WRITE_TIMEOUT_MS,
                        READ_WRITE_TIMEOUT_MS)
                .newBuilder()
                .socketFactory(new NoDelaySocketFactory())
                .dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(16, 5, TimeUnit.MINUTES));
        if (settings.sslContext() != null) {
            // TLS is layered over the TCP_NODELAY sockets, so the Nagle fix holds for HTTPS too.
            builder.sslSocketFactory(settings.sslContext().getSocketFactory(), settings.trustManager());
        }
        return builder.build();
    }

    public String bucket() {
        return bucket;
    }

    /** The client in use (owned or user-supplied). */
    public MinioClient client() {
        return client;
    }

    @Override
    public void ensureBucket() {
        try {
            if (client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                return;
            }
        } catch (Exception e) {
            throw failure("checking", null, e);
        }
        if (!autoCreateBucket) {
            throw new PayloadStoreException("bucket '" + bucket + "' does not exist and autoCreateBucket is false");
        }
        try {
            MakeBucketArgs.Builder args = MakeBucketArgs.builder().bucket(bucket);
            if (region != null) {
                args.region(region);
            }
            client.makeBucket(args.build());
            LOG.info("Created bucket '{}'", bucket);
        } catch (ErrorResponseException e) {
            String code = e.errorResponse().code();
            if (!"BucketAlreadyOwnedByYou".equals(code) && !"BucketAlreadyExists".equals(code)) {
                throw failure("creating", null, e);
            }
            // created concurrently by someone else
        } catch (Exception e) {
            throw failure("creating", null, e);
        }
    }

    @Override
    public void put(String objectName, InputStream content, long size, String contentType) {
        Objects.requireNonNull(objectName, "objectName");
        Objects.requireNonNull(content, "content");
        if (size < -1) {
            throw new IllegalArgumentException("size must be -1 (unknown) or >= 0, was " + size);
        }
        try {
            PutObjectArgs.Builder args = PutObjectArgs.builder().bucket(bucket).object(objectName);
            if (size >= 0) {
                args.stream(content, size, -1);
            } else {
                args.stream(content, -1, UNKNOWN_SIZE_PART_BYTES);
            }
            if (contentType != null && !contentType.isBlank()) {
                args.contentType(contentType);
            }
            client.putObject(args.build());
        } catch (Exception e) {
            throw failure("uploading", objectName, e);
        }
    }

    @Override
    public InputStream get(String objectName) throws PayloadNotFoundException {
        Objects.requireNonNull(objectName, "objectName");
        try {
            return client.getObject(GetObjectArgs.builder().bucket(bucket).object(objectName).build());
        } catch (ErrorResponseException e) {
            if (NO_SUCH_KEY.equals(e.errorResponse().code())) {
                throw new PayloadNotFoundException(bucket, objectName, e);
            }
            throw failure("downloading", objectName, e);
        } catch (Exception e) {
            throw failure("downloading", objectName, e);
        }
    }

    @Override
    public void delete(String objectName) {
        Objects.requireNonNull(objectName, "objectName");
        try {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(objectName).build());
        } catch (ErrorResponseException e) {
            if (!NO_SUCH_KEY.equals(e.errorResponse().code())) {
                throw failure("deleting", objectName, e);
            }
        } catch (Exception e) {
            throw failure("deleting", objectName, e);
        }
    }

    @Override
    public boolean exists(String objectName) {
        Objects.requireNonNull(objectName, "objectName");
        try {
            client.statObject(StatObjectArgs.builder().bucket(bucket).object(objectName).build());
            return true;
        } catch (ErrorResponseException e) {
            if (NO_SUCH_KEY.equals(e.errorResponse().code())) {
                return false;
            }
            throw failure("checking", objectName, e);
        } catch (Exception e) {
            throw failure("checking", objectName, e);
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true) || httpClient == null) {
            return;
        }
        try {
            client.close();
        } catch (Exception e) {
            LOG.warn("Closing the S3 client failed: {}", e.toString());
        }
        // what MinioClient.close() does for a client it owns; repeated so it holds whatever the client version
        httpClient.dispatcher().executorService().shutdown();
        httpClient.connectionPool().evictAll();
    }

    private PayloadStoreException failure(String action, String objectName, Exception e) {
        if (e instanceof PayloadStoreException pse) {
            return pse;
        }
        String target = objectName == null
                ? "bucket '" + bucket + "'"
                : "object '" + objectName + "' in bucket '" + bucket + "'";
        return new PayloadStoreException("S3 " + action + " " + target + " failed: " + reason(e), e);
    }

    private static String reason(Exception e) {
        if (e instanceof ErrorResponseException ere && ere.errorResponse() != null) {
            String code = ere.errorResponse().code();
            String message = ere.errorResponse().message();
            return code + (message == null || message.isBlank() ? "" : " (" + message + ")");
        }
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        // some messages carry a whole HTML error page: keep its first line, bounded
        int newline = message.indexOf('\n');
        if (newline >= 0) {
            message = message.substring(0, newline) + " ...";
        }
        if (message.length() > MAX_REASON_LENGTH) {
            message = message.substring(0, MAX_REASON_LENGTH) + " ...";
        }
        return e.getClass().getSimpleName() + ": " + message;
    }

    @Override
    public String toString() {
        return "MinioPayloadStore[bucket=" + bucket + ", ownsClient=" + (httpClient != null) + "]";
    }
}
