package io.minitoolstream.camel.store.s3;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import io.minio.MinioClient;
import io.minio.http.HttpUtils;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;

/** Builds MinIO clients from {@link S3Settings}: TCP_NODELAY sockets, enough concurrent requests, optional TLS. */
public final class S3Clients {

    private static final long CONNECT_TIMEOUT_MS = TimeUnit.SECONDS.toMillis(30);
    private static final long READ_WRITE_TIMEOUT_MS = TimeUnit.MINUTES.toMillis(5);
    private static final int MAX_CONCURRENT_REQUESTS = 64;
    private static final AtomicInteger THREAD_COUNTER = new AtomicInteger();

    private S3Clients() {
    }

    /**
     * The settings with the SSL context and trust manager built from Camel's {@code sslContextParameters} (for an
     * https endpoint with a private CA or a self-signed certificate); unchanged when there are none.
     *
     * @throws IllegalArgumentException when the parameters cannot be turned into a context
     */
    public static S3Settings withTls(S3Settings settings, SSLContextParameters parameters, CamelContext camelContext) {
        if (parameters == null) {
            return settings;
        }
        try {
            SSLContext sslContext = parameters.createSSLContext(camelContext);
            return new S3Settings(settings.endpoint(), settings.region(), settings.accessKey(), settings.secretKey(),
                    settings.bucket(), settings.autoCreateBucket(), sslContext,
                    x509TrustManager(parameters, camelContext));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("invalid sslContextParameters: " + e.getMessage(), e);
        }
    }

    /**
     * A MinIO client for the settings whose HTTP client sets TCP_NODELAY and allows
     * {@value #MAX_CONCURRENT_REQUESTS} concurrent requests. Closing the returned client releases its HTTP
     * threads and connections.
     */
    public static MinioClient create(S3Settings settings) {
        return create(settings, createHttpClient(settings));
    }

    static MinioClient create(S3Settings settings, OkHttpClient httpClient) {
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

    static OkHttpClient createHttpClient(S3Settings settings) {
        // minio's own defaults (HTTP/1.1, SSL_CERT_FILE), plus TCP_NODELAY (without it every PUT waits ~50 ms for
        // Nagle), a dispatcher on daemon threads that allows more than OkHttp's 5 requests per host, and a larger
        // idle connection pool.
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

    private static X509TrustManager x509TrustManager(SSLContextParameters parameters, CamelContext camelContext)
            throws GeneralSecurityException, IOException {
        TrustManager[] managers;
        TrustManagersParameters trust = parameters.getTrustManagers();
        if (trust != null) {
            trust.setCamelContext(camelContext);
            managers = trust.createTrustManagers();
        } else {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            managers = factory.getTrustManagers();
        }
        for (TrustManager manager : managers) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X509 trust manager in sslContextParameters");
    }
}
