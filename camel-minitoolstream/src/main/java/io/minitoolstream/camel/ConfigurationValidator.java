package io.minitoolstream.camel;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

import io.minitoolstream.camel.consumer.RedeliveryBackoff;
import io.minitoolstream.camel.store.tarantool.TarantoolSettings;
import io.minitoolstream.camel.support.StartTimes;

/** Checks an endpoint's options when it is created, so a bad URI never waits for the first message to fail. */
final class ConfigurationValidator {

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    private ConfigurationValidator() {
    }

    static void validate(MiniToolStreamConfiguration config) {
        validateSubject(config);
        if (config.getDurable() != null) {
            SubjectNames.requireValid("durable", config.getDurable());
        }
        TarantoolSettings.parseAddresses(config.getAddresses());
        validateS3Endpoint(config.getS3Endpoint());
        if (config.getBucket() == null || !BUCKET.matcher(config.getBucket()).matches()) {
            throw new IllegalArgumentException("invalid bucket '" + config.getBucket()
                                               + "': 3-63 characters of a-z, 0-9, '.' and '-'");
        }
        requireRange("inlineThreshold", config.getInlineThreshold(), 0,
                MiniToolStreamConfiguration.MAX_INLINE_THRESHOLD);
        if (config.getMaxMessagesPerPoll() > MiniToolStreamConfiguration.MAX_MESSAGES_PER_POLL_CAP) {
            throw new IllegalArgumentException("invalid maxMessagesPerPoll '" + config.getMaxMessagesPerPoll()
                                               + "': at most " + MiniToolStreamConfiguration.MAX_MESSAGES_PER_POLL_CAP
                                               + " (0 or negative means " + MiniToolStreamConfiguration.MAX_MESSAGES_PER_POLL_CAP + ")");
        }
        requireRange("connectTimeout", config.getConnectTimeout(), 1, Integer.MAX_VALUE);
        requireRange("requestTimeout", config.getRequestTimeout(), 1, Integer.MAX_VALUE);
        if (config.getTtl() < 0) {
            throw new IllegalArgumentException("invalid ttl '" + config.getTtl() + "': must not be negative");
        }
        if (config.getOrphanGracePeriod() <= config.getRequestTimeout()) {
            throw new IllegalArgumentException("invalid orphanGracePeriod '" + config.getOrphanGracePeriod()
                                               + "': must be longer than requestTimeout (" + config.getRequestTimeout()
                                               + " ms), so an upload whose record is still being inserted is never"
                                               + " swept");
        }
        if (config.getDuplicateWindow() < 0) {
            throw new IllegalArgumentException("invalid duplicateWindow '" + config.getDuplicateWindow()
                                               + "': must not be negative (0 turns it off)");
        }
        if (config.getStartTime() != null) {
            StartTimes.parse("startTime", config.getStartTime());
        } else if (config.getDeliverPolicy() == DeliverPolicy.BY_START_TIME) {
            throw new IllegalArgumentException("deliverPolicy 'byStartTime' needs the startTime option (an ISO-8601"
                                               + " instant or epoch milliseconds)");
        }
        if (config.getStartSequence() < 1) {
            throw new IllegalArgumentException("invalid startSequence '" + config.getStartSequence()
                                               + "': sequences start at 1");
        }
        if (config.getConsumerMode() == ConsumerMode.COMPETING && config.getDurable() == null) {
            throw new IllegalArgumentException("consumerMode 'competing' needs the durable option: competing"
                                               + " consumers share a durable");
        }
        if (config.getConcurrentConsumers() < 1
                || config.getConcurrentConsumers() > 1 && config.getConsumerMode() != ConsumerMode.COMPETING) {
            throw new IllegalArgumentException("invalid concurrentConsumers '" + config.getConcurrentConsumers()
                                               + "': at least 1, and more than 1 only with consumerMode 'competing'");
        }
        requireRange("payloadPrefetch", config.getPayloadPrefetch(), 0,
                MiniToolStreamConfiguration.MAX_PAYLOAD_PREFETCH);
        if (config.getAckWait() < 1) {
            throw new IllegalArgumentException("invalid ackWait '" + config.getAckWait() + "': must be positive");
        }
        RedeliveryBackoff.parse(config.getRedeliveryBackoff());
        if (config.getMaxDeliver() == 0 || config.getMaxDeliver() < -1) {
            throw new IllegalArgumentException("invalid maxDeliver '" + config.getMaxDeliver()
                                               + "': -1 (no limit) or at least 1");
        }
        if (config.getMissingPayloadPolicy() == MissingPayloadPolicy.DEAD_LETTER) {
            if (config.getDeadLetterSubject() == null) {
                throw new IllegalArgumentException(
                        "missingPayloadPolicy 'deadLetter' needs the deadLetterSubject option");
            }
        }
        if (config.getDeadLetterSubject() != null) {
            SubjectNames.requireValid("deadLetterSubject", config.getDeadLetterSubject());
            if (config.getDeadLetterSubject().equals(config.getSubject())) {
                throw new IllegalArgumentException("invalid deadLetterSubject '" + config.getDeadLetterSubject()
                                                   + "': must differ from the subject");
            }
        }
    }

    private static void validateSubject(MiniToolStreamConfiguration config) {
        String subject = config.getSubject();
        if (SubjectNames.ALL_SUBJECTS.equals(subject)) {
            if (!config.getOperation().acceptsAllSubjects()) {
                throw new IllegalArgumentException("invalid subject '*': it means every subject and is allowed"
                                                   + " only with operations deleteOldMessages and sweepOrphans");
            }
            return;
        }
        SubjectNames.requireValid("subject", subject);
    }

    private static void validateS3Endpoint(String endpoint) {
        try {
            URI uri = new URI(endpoint);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new URISyntaxException(String.valueOf(endpoint), "expected http(s)://host[:port]");
            }
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalArgumentException("invalid s3Endpoint '" + endpoint + "': expected an http(s)://host[:port] URL");
        }
    }

    private static void requireRange(String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("invalid " + option + " '" + value + "': must be between " + min
                                               + " and " + max);
        }
    }
}
