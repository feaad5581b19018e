package io.minitoolstream.devservices;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.filesystem.reference.FilesystemConstants;
import org.jclouds.logging.slf4j.config.SLF4JLoggingModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An S3-compatible server in this JVM: S3Proxy over the {@code filesystem-nio2} blob store (each
 * bucket a directory under a temp base dir, or a given one), on a free loopback port, AWS
 * Signature V4 with a random access/secret key pair per server.
 *
 * <p>Restartable: {@link #stop()} then {@link #start()} serves the same directory on the same port,
 * so stored objects survive (fault tests rely on this). {@link #close()} also deletes the base dir
 * when this server created it.
 *
 * <h2>Logging</h2>
 * S3Proxy, Jetty and jclouds log every request at DEBUG, which is what Logback does when it has no
 * configuration. So by default {@link #start()} raises the loggers {@code org.gaul},
 * {@code org.eclipse.jetty} and {@code org.jclouds} to WARN when Logback is the SLF4J backend and
 * those loggers have no level of their own. To choose yourself, either set those loggers in your
 * {@code logback.xml} / {@code logback-test.xml} (explicit levels are never overridden):
 * <pre>{@code
 * <logger name="org.gaul" level="WARN"/>
 * <logger name="org.eclipse.jetty" level="WARN"/>
 * <logger name="org.jclouds" level="WARN"/>
 * }</pre>
 * or include the same settings shipped in this jar with
 * {@code <include resource="minitoolstream-dev-services-logback.xml"/>}; or switch the automatic
 * adjustment off with {@code S3Server.builder().quietLogging(false)}. With another SLF4J backend,
 * configure those three logger names there.
 */
public final class S3Server implements AutoCloseable {

    public static final String REGION = "us-east-1";

    private static final Logger LOG = LoggerFactory.getLogger(S3Server.class);
    // The nio2 store ignores them, but jclouds refuses to build a context without credentials.
    private static final String JCLOUDS_IDENTITY = "local-identity";
    private static final String JCLOUDS_CREDENTIAL = "local-credential";

    private final boolean ownsBaseDir;
    private final String accessKey;
    private final String secretKey;
    private final boolean quietLogging;
    private final boolean tls;

    private Path baseDir;
    private SelfSignedCertificate certificate;
    private int port;
    private S3Proxy proxy;
    private BlobStoreContext context;
    private boolean closed;

    /** A server with every default; call {@link #start()}. */
    public S3Server() {
        this(builder());
    }

    private S3Server(Builder builder) {
        this.baseDir = builder.baseDir;
        this.ownsBaseDir = builder.baseDir == null;
        this.port = builder.port;
        this.accessKey = builder.accessKey != null ? builder.accessKey : "mts-" + Secrets.random(9);
        this.secretKey = builder.secretKey != null ? builder.secretKey : Secrets.random(30);
        this.quietLogging = builder.quietLogging;
        this.tls = builder.tls;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts serving; does nothing when already running. */
    public synchronized S3Server start() {
        if (closed) {
            throw new IllegalStateException("S3Server is closed");
        }
        if (proxy != null) {
            return this;
        }
        if (quietLogging) {
            QuietLogging.apply();
        }
        prepareBaseDir();
        context = openBlobStore(baseDir);
        S3Proxy.Builder proxyBuilder = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .awsAuthentication(AuthenticationType.AWS_V4, accessKey, secretKey);
        if (tls) {
            // Beside the base dir, not in it: every directory in the base dir is served as a bucket.
            certificate = SelfSignedCertificate.createIn(baseDir.resolveSibling(baseDir.getFileName() + "-tls"));
            proxyBuilder.secureEndpoint(URI.create("https://" + Net.LOOPBACK + ":" + port))
                    .keyStore(certificate.keyStore().toString(), certificate.password());
        } else {
            proxyBuilder.endpoint(URI.create("http://" + Net.LOOPBACK + ":" + port));
        }
        S3Proxy candidate = proxyBuilder.build();
        try {
            candidate.start();
        } catch (Exception e) {
            // S3Proxy.start() declares Exception (it is Jetty's start).
            stopQuietly(candidate);
            context.close();
            context = null;
            throw new DevServicesException("Could not start S3Proxy on port " + port + ": " + e.getMessage(), e);
        }
        proxy = candidate;
        // Port 0 asked for any free port; keep the one we got so a restart comes back on it.
        port = tls ? proxy.getSecurePort() : proxy.getPort();
        LOG.info("S3 server ready on {} (base dir {})", endpoint(), baseDir);
        return this;
    }

    /** Stops serving; the stored objects stay on disk for the next {@link #start()}. */
    public synchronized void stop() {
        if (proxy == null) {
            return;
        }
        stopQuietly(proxy);
        proxy = null;
        context.close();
        context = null;
        LOG.debug("S3 server on port {} stopped", port);
    }

    /** Stops and deletes the base directory if this server created it. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        stop();
        closed = true;
        if (ownsBaseDir) {
            TempDirs.deleteQuietly(baseDir);
            if (certificate != null) {
                TempDirs.deleteQuietly(certificate.keyStore().getParent());
            }
        }
    }

    public synchronized boolean isRunning() {
        return proxy != null;
    }

    /**
     * The self-signed certificate of a TLS server (its trust store is what clients need); null without TLS or
     * before the first {@link #start()}.
     */
    public synchronized SelfSignedCertificate certificate() {
        return certificate;
    }

    /** {@code http://127.0.0.1:port} ({@code https} with TLS); the port is assigned on the first {@link #start()}. */
    public synchronized String endpoint() {
        if (port == 0) {
            throw new IllegalStateException("S3Server has not been started yet");
        }
        return (tls ? "https://" : "http://") + Net.LOOPBACK + ":" + port;
    }

    public synchronized int port() {
        if (port == 0) {
            throw new IllegalStateException("S3Server has not been started yet");
        }
        return port;
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    public String region() {
        return REGION;
    }

    /** Directory holding one subdirectory per bucket; created on the first {@link #start()} if not given. */
    public synchronized Path baseDir() {
        if (baseDir == null) {
            throw new IllegalStateException("S3Server has not been started yet");
        }
        return baseDir;
    }

    @Override
    public String toString() {
        return "S3Server[endpoint=" + (tls ? "https://" : "http://") + Net.LOOPBACK + ":" + port + ", accessKey="
               + accessKey
                + ", baseDir=" + baseDir + ", running=" + isRunning() + "]";
    }

    private void prepareBaseDir() {
        try {
            if (baseDir == null) {
                baseDir = TempDirs.create("minitoolstream-s3-");
            } else {
                Files.createDirectories(baseDir);
            }
        } catch (IOException e) {
            throw new DevServicesException("Could not create the S3 base directory", e);
        }
    }

    private static BlobStoreContext openBlobStore(Path baseDir) {
        Properties overrides = new Properties();
        overrides.setProperty(FilesystemConstants.PROPERTY_BASEDIR, baseDir.toString());
        return ContextBuilder.newBuilder("filesystem-nio2")
                .credentials(JCLOUDS_IDENTITY, JCLOUDS_CREDENTIAL)
                .overrides(overrides)
                .modules(List.of(new SLF4JLoggingModule()))
                .build(BlobStoreContext.class);
    }

    private static void stopQuietly(S3Proxy proxy) {
        try {
            proxy.stop();
        } catch (Exception e) {
            LOG.warn("S3Proxy did not stop cleanly: {}", e.toString());
        }
    }

    /** Options for an {@link S3Server}; every one has a working default. */
    public static final class Builder {

        private Path baseDir;
        private int port;
        private String accessKey;
        private String secretKey;
        private boolean quietLogging = true;
        private boolean tls;

        private Builder() {
        }

        /** Directory for the buckets, kept on close (default: a temp dir deleted on {@link #close()}). */
        public Builder baseDir(Path baseDir) {
            this.baseDir = baseDir;
            return this;
        }

        /** Loopback port (default: any free one, chosen on first start and kept). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /** Access key (default: random per server). */
        public Builder accessKey(String accessKey) {
            this.accessKey = Objects.requireNonNull(accessKey, "accessKey");
            return this;
        }

        /** Secret key (default: random per server). */
        public Builder secretKey(String secretKey) {
            this.secretKey = Objects.requireNonNull(secretKey, "secretKey");
            return this;
        }

        /** Raise unconfigured S3Proxy/Jetty/jclouds Logback loggers to WARN on start (default true). */
        public Builder quietLogging(boolean quietLogging) {
            this.quietLogging = quietLogging;
            return this;
        }

        /** Serve HTTPS only, with a self-signed certificate for 127.0.0.1 made at first start (default false). */
        public Builder tls(boolean tls) {
            this.tls = tls;
            return this;
        }

        public S3Server build() {
            return new S3Server(this);
        }
    }
}
