package io.minitoolstream.examples.grpc;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.minitoolstream.examples.Keys;
import io.minitoolstream.grpc.Notification;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the open Subscribe streams. One thread polls each subscribed subject's last sequence every
 * {@code pollInterval} (one query per subject, however many streams watch it) and pushes a {@link Notification}
 * to every stream whose last sent sequence it passed. A stream whose client is slow gets the newest value when it
 * can take it (notifications coalesce, they never queue up). A stream ends when its client cancels; when the hub
 * stops (the CamelContext stops) every open stream ends with {@code UNAVAILABLE}, so shutdown never waits on
 * a subscriber.
 */
public class SubscriptionHub extends ServiceSupport implements CamelContextAware {

    /** Where the hub reads a subject's last sequence; the subject is given as its endpoint path. */
    @FunctionalInterface
    public interface LastSequences {
        long lastSequence(String subjectPath) throws Exception;
    }

    /** The route that answers a subject's last sequence for {@link Keys#SUBJECT_PATH}. */
    public static final String LAST_SEQUENCE_ENDPOINT = "direct:last-sequence";

    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionHub.class);

    private final Duration pollInterval;
    private final ConcurrentMap<String, Set<Subscription>> bySubjectPath = new ConcurrentHashMap<>();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private CamelContext camelContext;
    private LastSequences source;
    private ProducerTemplate template;
    private ScheduledExecutorService scheduler;

    public SubscriptionHub(Duration pollInterval) {
        this(pollInterval, null);
    }

    /** With {@code source} null the hub asks {@value #LAST_SEQUENCE_ENDPOINT}. */
    public SubscriptionHub(Duration pollInterval, LastSequences source) {
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("invalid subscribe poll interval " + pollInterval
                                               + ": must be positive");
        }
        this.pollInterval = pollInterval;
        this.source = source;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    public Duration getPollInterval() {
        return pollInterval;
    }

    /** Open streams, for tests and monitoring. */
    public int subscriptionCount() {
        return bySubjectPath.values().stream().mapToInt(Set::size).sum();
    }

    /** Open streams on one subject. */
    public int subscriptionCount(String subject) {
        Set<Subscription> subscriptions = bySubjectPath.get(SubjectPaths.of(subject));
        return subscriptions == null ? 0 : subscriptions.size();
    }

    @Override
    protected void doStart() {
        if (source == null) {
            template = camelContext.createProducerTemplate();
            source = this::askRoute;
        }
        scheduler = camelContext.getExecutorServiceManager().newSingleThreadScheduledExecutor(this,
                "MiniToolStreamSubscriptions");
        long millis = pollInterval.toMillis();
        scheduler.scheduleWithFixedDelay(this::poll, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() throws Exception {
        if (scheduler != null) {
            camelContext.getExecutorServiceManager().shutdownNow(scheduler);
            scheduler = null;
        }
        int open = subscriptionCount();
        for (Set<Subscription> subscriptions : bySubjectPath.values()) {
            for (Subscription subscription : subscriptions) {
                subscription.end(Status.UNAVAILABLE.withDescription("the server is shutting down"));
            }
        }
        bySubjectPath.clear();
        if (open > 0) {
            LOG.info("Ended {} open Subscribe stream(s)", open);
        }
        if (template != null) {
            template.stop();
            template = null;
        }
    }

    /**
     * Starts notifying {@code observer} when the subject's last sequence passes {@code baseline}. Must be called
     * during the gRPC call's initial invocation (the cancel handler is set here).
     */
    public void subscribe(String subject, String subjectPath, long baseline,
                          ServerCallStreamObserver<Notification> observer) {
        if (!isRunAllowed()) {
            observer.onError(Status.UNAVAILABLE.withDescription("the server is shutting down").asRuntimeException());
            return;
        }
        Subscription subscription = new Subscription(subject, subjectPath, baseline, observer);
        observer.setOnCancelHandler(() -> remove(subscription));
        bySubjectPath.compute(subjectPath, (key, set) -> {
            Set<Subscription> subscriptions = set != null ? set : ConcurrentHashMap.newKeySet();
            subscriptions.add(subscription);
            return subscriptions;
        });
        LOG.debug("Subscribed to {} after sequence {}", subject, baseline);
    }

    private void remove(Subscription subscription) {
        bySubjectPath.computeIfPresent(subscription.subjectPath, (key, set) -> {
            set.remove(subscription);
            return set.isEmpty() ? null : set;
        });
    }

    /** One round: each watched subject's last sequence, offered to its streams. Never throws. */
    void poll() {
        for (Map.Entry<String, Set<Subscription>> entry : bySubjectPath.entrySet()) {
            String subjectPath = entry.getKey();
            long last;
            try {
                last = source.lastSequence(subjectPath);
                if (failing.remove(subjectPath)) {
                    LOG.info("Polling subject path {} works again", subjectPath);
                }
            } catch (Exception e) {
                if (failing.add(subjectPath)) {
                    LOG.warn("Could not poll the last sequence of subject path {} (retrying every {} ms): {}",
                            subjectPath, pollInterval.toMillis(), e.getMessage());
                }
                continue;
            }
            for (Subscription subscription : entry.getValue()) {
                if (!subscription.offer(last)) {
                    remove(subscription);
                }
            }
        }
    }

    private long askRoute(String subjectPath) throws Exception {
        Exchange answer = template.send(LAST_SEQUENCE_ENDPOINT,
                exchange -> exchange.setProperty(Keys.SUBJECT_PATH, subjectPath));
        if (answer.getException() != null) {
            throw answer.getException();
        }
        return answer.getMessage().getMandatoryBody(Long.class);
    }

    /** One open stream. Synchronized: gRPC observers are not thread-safe. */
    private static final class Subscription {
        private final String subject;
        private final String subjectPath;
        private final ServerCallStreamObserver<Notification> observer;
        private long lastSent;
        private boolean ended;

        Subscription(String subject, String subjectPath, long baseline,
                     ServerCallStreamObserver<Notification> observer) {
            this.subject = subject;
            this.subjectPath = subjectPath;
            this.lastSent = baseline;
            this.observer = observer;
        }

        /** Sends {@code last} when it is new and the client can take it; false once the stream is over. */
        synchronized boolean offer(long last) {
            if (ended || observer.isCancelled()) {
                ended = true;
                return false;
            }
            if (last <= lastSent || !observer.isReady()) {
                return true;
            }
            try {
                observer.onNext(Notification.newBuilder().setSubject(subject).setSequence(last).build());
                lastSent = last;
                return true;
            } catch (RuntimeException e) {
                LOG.debug("Subscribe stream for {} is gone: {}", subject, e.toString());
                ended = true;
                return false;
            }
        }

        synchronized void end(Status status) {
            if (ended) {
                return;
            }
            ended = true;
            try {
                observer.onError(status.asRuntimeException());
            } catch (RuntimeException e) {
                // already cancelled by the client or by the server's shutdown
            }
        }
    }
}
