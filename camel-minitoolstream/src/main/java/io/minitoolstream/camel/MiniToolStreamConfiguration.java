package io.minitoolstream.camel;

import io.micrometer.core.instrument.MeterRegistry;
import io.minio.MinioClient;
import io.tarantool.driver.api.TarantoolClient;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * Every option of a minitoolstream endpoint. The component holds one instance with the connection options and
 * each endpoint gets a copy, so connection settings are given once
 * ({@code camel.component.minitoolstream.addresses=...}) and overridden per URI when needed.
 */
@Configurer
@UriParams
public class MiniToolStreamConfiguration implements Cloneable {

    /** Largest inline payload: a Tarantool tuple is limited to 1 MB by default and also holds the headers. */
    public static final int MAX_INLINE_THRESHOLD = 512 * 1024;
    /** Cap on one poll's batch, so an unbounded batch never becomes a memory hazard. */
    public static final int MAX_MESSAGES_PER_POLL_CAP = 1000;
    /** Each payload opened ahead holds an HTTP connection. */
    public static final int MAX_PAYLOAD_PREFETCH = 64;

    // No '*' here: the catalog generator keeps only letters, digits and a few punctuation marks.
    @UriPath(description = "The subject (stream name): non-empty, at most 255 bytes, no whitespace or control"
                           + " characters. For deleteOldMessages, a subject that is a single asterisk (the wildcard)"
                           + " means every subject.")
    @Metadata(required = true)
    private String subject;

    @UriParam(label = "common", defaultValue = "localhost:3301")
    private String addresses = "localhost:3301";
    @UriParam(label = "common,security", secret = true)
    private String username;
    @UriParam(label = "common,security", secret = true)
    private String password;
    @UriParam(label = "advanced", defaultValue = "5000")
    private int connectTimeout = 5000;
    @UriParam(label = "advanced", defaultValue = "10000")
    private int requestTimeout = 10000;

    @UriParam(label = "common", defaultValue = "http://localhost:9000")
    private String s3Endpoint = "http://localhost:9000";
    @UriParam(label = "common", defaultValue = "us-east-1")
    private String s3Region = "us-east-1";
    @UriParam(label = "common,security", secret = true)
    private String accessKey;
    @UriParam(label = "common,security", secret = true)
    private String secretKey;
    @UriParam(label = "common", defaultValue = "minitoolstream")
    private String bucket = "minitoolstream";
    @UriParam(label = "common", defaultValue = "true")
    private boolean autoCreateBucket = true;
    @UriParam(label = "security")
    private SSLContextParameters sslContextParameters;

    @UriParam(label = "common")
    private String durable;
    @UriParam(label = "common", defaultValue = "65536")
    private int inlineThreshold = 64 * 1024;

    @UriParam(label = "producer", defaultValue = "publish")
    private MiniToolStreamOperations operation = MiniToolStreamOperations.publish;
    @UriParam(label = "producer", defaultValue = "86400000", javaType = "java.time.Duration")
    private long ttl = 86_400_000L;

    @UriParam(label = "producer", defaultValue = "1h", javaType = "java.time.Duration")
    private long orphanGracePeriod = 3_600_000L;
    @UriParam(label = "producer", defaultValue = "2m", javaType = "java.time.Duration")
    private long duplicateWindow = 120_000L;

    @UriParam(label = "consumer", defaultValue = "100")
    private int maxMessagesPerPoll = 100;
    @UriParam(label = "consumer", defaultValue = "false")
    private boolean batchAck;
    @UriParam(label = "consumer,advanced", defaultValue = "4")
    private int payloadPrefetch = 4;
    @UriParam(label = "consumer", defaultValue = "all")
    private DeliverPolicy deliverPolicy = DeliverPolicy.ALL;
    @UriParam(label = "consumer", defaultValue = "1")
    private long startSequence = 1;
    @UriParam(label = "consumer")
    private String startTime;
    @UriParam(label = "consumer", defaultValue = "skip")
    private MissingPayloadPolicy missingPayloadPolicy = MissingPayloadPolicy.SKIP;
    @UriParam(label = "consumer")
    private String deadLetterSubject;
    @UriParam(label = "consumer", defaultValue = "ordered")
    private ConsumerMode consumerMode = ConsumerMode.ORDERED;
    @UriParam(label = "consumer", defaultValue = "30000", javaType = "java.time.Duration")
    private long ackWait = 30_000L;
    @UriParam(label = "consumer", defaultValue = "-1")
    private int maxDeliver = -1;
    @UriParam(label = "consumer")
    private String redeliveryBackoff;
    @UriParam(label = "consumer", defaultValue = "1")
    private int concurrentConsumers = 1;

    @UriParam(label = "advanced")
    @Metadata(autowired = true)
    private MinioClient minioClient;
    @UriParam(label = "advanced")
    @Metadata(autowired = true)
    private TarantoolClient<?, ?> tarantoolClient;
    @UriParam(label = "advanced")
    private HeaderFilterStrategy headerFilterStrategy;
    @UriParam(label = "advanced")
    @Metadata(autowired = true)
    private MeterRegistry meterRegistry;

    public String getSubject() {
        return subject;
    }

    /**
     * The subject (stream name).
     */
    public void setSubject(String subject) {
        this.subject = subject;
    }

    public String getAddresses() {
        return addresses;
    }

    /**
     * Tarantool instances as comma-separated host:port pairs.
     */
    public void setAddresses(String addresses) {
        this.addresses = addresses;
    }

    public String getUsername() {
        return username;
    }

    /**
     * Tarantool user name (the instance script's MTS_USER).
     */
    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    /**
     * Tarantool password.
     */
    public void setPassword(String password) {
        this.password = password;
    }

    public int getConnectTimeout() {
        return connectTimeout;
    }

    /**
     * Milliseconds to wait for a Tarantool connection.
     */
    public void setConnectTimeout(int connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public int getRequestTimeout() {
        return requestTimeout;
    }

    /**
     * Milliseconds to wait for one Tarantool call.
     */
    public void setRequestTimeout(int requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    public String getS3Endpoint() {
        return s3Endpoint;
    }

    /**
     * URL of the S3-compatible object storage (MinIO, AWS S3, Ceph, S3Proxy...).
     */
    public void setS3Endpoint(String s3Endpoint) {
        this.s3Endpoint = s3Endpoint;
    }

    public String getS3Region() {
        return s3Region;
    }

    /**
     * Object storage region.
     */
    public void setS3Region(String s3Region) {
        this.s3Region = s3Region;
    }

    public String getAccessKey() {
        return accessKey;
    }

    /**
     * Object storage access key.
     */
    public void setAccessKey(String accessKey) {
        this.accessKey = accessKey;
    }

    public String getSecretKey() {
        return secretKey;
    }

    /**
     * Object storage secret key.
     */
    public void setSecretKey(String secretKey) {
        this.secretKey = secretKey;
    }

    public String getBucket() {
        return bucket;
    }

    /**
     * Bucket that holds the payloads.
     */
    public void setBucket(String bucket) {
        this.bucket = bucket;
    }

    public boolean isAutoCreateBucket() {
        return autoCreateBucket;
    }

    /**
     * Create the bucket when it does not exist. The bucket is checked on first use (the first upload, download or
     * health check), not at start, so an object-storage outage never stops routes from starting; when false a
     * missing bucket fails that first use, naming the bucket.
     */
    public void setAutoCreateBucket(boolean autoCreateBucket) {
        this.autoCreateBucket = autoCreateBucket;
    }

    public SSLContextParameters getSslContextParameters() {
        return sslContextParameters;
    }

    /**
     * TLS settings for an https s3Endpoint (for example a trust store for a private CA or a self-signed
     * certificate). Without them the JVM's default trust applies.
     */
    public void setSslContextParameters(SSLContextParameters sslContextParameters) {
        this.sslContextParameters = sslContextParameters;
    }

    public String getDurable() {
        return durable;
    }

    /**
     * Durable consumer name. A consumer with a durable name keeps its position in Tarantool, so it resumes where it
     * left off after a restart; without one the position lives in memory. Producer operations fetch, peek, ack,
     * getConsumerPosition and checkNewMessages act on this durable.
     */
    public void setDurable(String durable) {
        this.durable = durable;
    }

    public int getInlineThreshold() {
        return inlineThreshold;
    }

    /**
     * Payloads of at most this many bytes are stored inline in Tarantool (no object storage round trip); larger
     * ones are streamed to object storage. 0 puts every payload in object storage. At most 524288.
     */
    public void setInlineThreshold(int inlineThreshold) {
        this.inlineThreshold = inlineThreshold;
    }

    public MiniToolStreamOperations getOperation() {
        return operation;
    }

    /**
     * The producer operation; the CamelMiniToolStreamOperation header overrides it per exchange.
     */
    public void setOperation(MiniToolStreamOperations operation) {
        this.operation = operation;
    }

    public long getTtl() {
        return ttl;
    }

    /**
     * Time to live for deleteOldMessages: messages older than this are deleted with their payload objects.
     * Default 24 hours.
     */
    public void setTtl(long ttl) {
        this.ttl = ttl;
    }

    public long getOrphanGracePeriod() {
        return orphanGracePeriod;
    }

    /**
     * For sweepOrphans: only objects older than this are removed when no message references them, so an upload
     * whose record is still being inserted is never swept. Must be longer than requestTimeout. Default 1 hour.
     */
    public void setOrphanGracePeriod(long orphanGracePeriod) {
        this.orphanGracePeriod = orphanGracePeriod;
    }

    public long getDuplicateWindow() {
        return duplicateWindow;
    }

    /**
     * For publish with a CamelMiniToolStreamMessageId header: how long the id is remembered. Within it, a second
     * publish of the same id to the same subject stores and uploads nothing and returns the original's sequence
     * (with CamelMiniToolStreamDuplicate=true). 0 turns it off. Default 2 minutes.
     */
    public void setDuplicateWindow(long duplicateWindow) {
        this.duplicateWindow = duplicateWindow;
    }

    public int getMaxMessagesPerPoll() {
        return maxMessagesPerPoll;
    }

    /**
     * The most messages one poll fetches and delivers. 0 or negative means the cap, 1000; above 1000 is rejected.
     * With a backlog the next batch is read while one is delivered, so up to two batches are in memory.
     */
    public void setMaxMessagesPerPoll(int maxMessagesPerPoll) {
        this.maxMessagesPerPoll = maxMessagesPerPoll;
    }

    public boolean isBatchAck() {
        return batchAck;
    }

    /**
     * For a durable: store the position once per poll (after its batch). By default the position is stored after
     * every completed message, without holding up the next delivery (at most one store in flight; completions
     * meanwhile are folded into the next one). batchAck saves Tarantool writes; still at least once: after a
     * crash, the messages completed since the last stored position (at most one batch) are delivered again.
     */
    public void setBatchAck(boolean batchAck) {
        this.batchAck = batchAck;
    }

    public int getPayloadPrefetch() {
        return payloadPrefetch;
    }

    /**
     * Ordered consumer: how many object-storage payloads of a batch are opened ahead of delivery, in parallel, so
     * their request latency overlaps the route's work. Delivery order does not change. Each opened payload holds
     * a connection, not the payload bytes. 0 opens each payload when its message is delivered; at most 64.
     */
    public void setPayloadPrefetch(int payloadPrefetch) {
        this.payloadPrefetch = payloadPrefetch;
    }

    public DeliverPolicy getDeliverPolicy() {
        return deliverPolicy;
    }

    /**
     * Where a consumer without a stored position starts: all (the first message), new (messages published after
     * it started), bySequence (startSequence) or byStartTime (the first message published at or after startTime).
     */
    public void setDeliverPolicy(DeliverPolicy deliverPolicy) {
        this.deliverPolicy = deliverPolicy;
    }

    public long getStartSequence() {
        return startSequence;
    }

    /**
     * The first sequence to deliver when deliverPolicy is bySequence.
     */
    public void setStartSequence(long startSequence) {
        this.startSequence = startSequence;
    }

    public String getStartTime() {
        return startTime;
    }

    /**
     * Where deliverPolicy byStartTime starts: the first message published at or after this time, given as an
     * ISO-8601 instant (2026-12-01T10:15:30Z, 2026-12-01T10:15:30.250+01:00) or as milliseconds since the epoch.
     * Required with byStartTime.
     */
    public void setStartTime(String startTime) {
        this.startTime = startTime;
    }

    /** startTime in milliseconds since the epoch (validated when the endpoint was created). */
    public long startTimeMillis() {
        return io.minitoolstream.camel.support.StartTimes.parse("startTime", startTime);
    }

    public MissingPayloadPolicy getMissingPayloadPolicy() {
        return missingPayloadPolicy;
    }

    /**
     * What the consumer does when a message's payload object is gone from object storage: skip (warn and
     * acknowledge), fail (report and retry every poll) or deadLetter (publish the headers and the reason to
     * deadLetterSubject, then acknowledge).
     */
    public void setMissingPayloadPolicy(MissingPayloadPolicy missingPayloadPolicy) {
        this.missingPayloadPolicy = missingPayloadPolicy;
    }

    public String getDeadLetterSubject() {
        return deadLetterSubject;
    }

    /**
     * Subject that receives undeliverable messages: those delivered maxDeliver times without completing, and,
     * with missingPayloadPolicy deadLetter, those whose payload is gone. The dead letter carries the payload, the
     * failure reason and the original subject and sequence.
     */
    public void setDeadLetterSubject(String deadLetterSubject) {
        this.deadLetterSubject = deadLetterSubject;
    }

    public ConsumerMode getConsumerMode() {
        return consumerMode;
    }

    /**
     * How the consumers of one durable share it: ordered (strict order; one active consumer, the others stand by
     * and take over when its lease lapses) or competing (each message leased to one consumer; acks in any order;
     * more throughput, no order across consumers).
     */
    public void setConsumerMode(ConsumerMode consumerMode) {
        this.consumerMode = consumerMode;
    }

    public long getAckWait() {
        return ackWait;
    }

    /**
     * The lease on what a consumer holds: a competing consumer's claimed messages and an ordered consumer's
     * ownership of its durable. A running consumer renews its leases about every ackWait/3 while it holds them,
     * also while a slow route is still processing, so a lease lapses only when its consumer stops renewing (the
     * JVM died, the consumer stopped, or it lost Tarantool): ackWait is how long the others wait before taking over.
     */
    public void setAckWait(long ackWait) {
        this.ackWait = ackWait;
    }

    public int getMaxDeliver() {
        return maxDeliver;
    }

    /**
     * After this many deliveries without completion a message goes to deadLetterSubject (with its payload and the
     * last failure) or, without one, is dropped with a warning; then the subject moves on. Both consumer modes;
     * deliveries are counted in Tarantool per durable and message, so the count survives restarts and follows the
     * message to another consumer. -1 means no limit.
     */
    public void setMaxDeliver(int maxDeliver) {
        this.maxDeliver = maxDeliver;
    }

    public String getRedeliveryBackoff() {
        return redeliveryBackoff;
    }

    /**
     * How long a failed message waits before it is delivered again, as comma-separated durations: the n-th
     * redelivery waits the n-th value and the last one repeats (1s,5s,30s). In ordered mode nothing after the
     * message is delivered meanwhile. Empty means at once.
     */
    public void setRedeliveryBackoff(String redeliveryBackoff) {
        this.redeliveryBackoff = redeliveryBackoff;
    }

    public int getConcurrentConsumers() {
        return concurrentConsumers;
    }

    /**
     * Competing mode: how many messages one endpoint processes at once (threads from Camel's thread pool
     * manager).
     */
    public void setConcurrentConsumers(int concurrentConsumers) {
        this.concurrentConsumers = concurrentConsumers;
    }


    public MinioClient getMinioClient() {
        return minioClient;
    }

    /**
     * A MinIO client to use instead of creating one from s3Endpoint and the keys; it is not closed by the
     * component.
     */
    public void setMinioClient(MinioClient minioClient) {
        this.minioClient = minioClient;
    }

    public TarantoolClient<?, ?> getTarantoolClient() {
        return tarantoolClient;
    }

    /**
     * A Tarantool client (cartridge-driver) to use instead of creating one from addresses and credentials; it is
     * not closed by the component.
     */
    public void setTarantoolClient(TarantoolClient<?, ?> tarantoolClient) {
        this.tarantoolClient = tarantoolClient;
    }

    public HeaderFilterStrategy getHeaderFilterStrategy() {
        return headerFilterStrategy;
    }

    /**
     * Decides which Camel headers are stored with a message and which stored headers are set on consumed
     * exchanges. By default Camel's own headers (Camel*, org.apache.camel*) are not stored.
     */
    public void setHeaderFilterStrategy(HeaderFilterStrategy headerFilterStrategy) {
        this.headerFilterStrategy = headerFilterStrategy;
    }

    public MeterRegistry getMeterRegistry() {
        return meterRegistry;
    }

    /**
     * A Micrometer registry for the component's meters (messages and bytes published and consumed, redeliveries,
     * failures, consumer lag). Without one no meters are recorded.
     */
    public void setMeterRegistry(MeterRegistry meterRegistry) {
        this.meterRegistry = meterRegistry;
    }



    /** maxMessagesPerPoll with Camel's "0 or negative means no limit" read as the cap. */
    public int effectiveMaxMessagesPerPoll() {
        return maxMessagesPerPoll <= 0 ? MAX_MESSAGES_PER_POLL_CAP : maxMessagesPerPoll;
    }

    public MiniToolStreamConfiguration copy() {
        try {
            return (MiniToolStreamConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    /** Deliberately names no credentials. */
    @Override
    public String toString() {
        return "MiniToolStreamConfiguration[subject=" + subject + ", addresses=" + addresses + ", s3Endpoint="
               + s3Endpoint + ", bucket=" + bucket + ", durable=" + durable + ", operation=" + operation + "]";
    }
}
