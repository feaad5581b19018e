package io.minitoolstream.examples.cleaner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.minitoolstream.examples.Durations;
import io.minitoolstream.examples.grpc.SubjectPaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long messages live. Every subject is cleaned with the default TTL
 * ({@code minitoolstream.cleaner.default-ttl}); subjects listed in {@code minitoolstream.cleaner.subject-ttls}
 * are also cleaned with their own, shorter TTL. The list is whitespace-separated {@code subject=duration} pairs
 * (split at the last {@code =}; subjects never contain whitespace, so any subject can be listed), e.g.
 * {@code "orders=7d audit.log=30d"}: one key, so one environment variable
 * ({@code MINITOOLSTREAM_CLEANER_SUBJECT_TTLS}) can set it.
 * <p>
 * A subject TTL longer than the default has no effect: the component's all-subjects cleanup ({@code *}) cannot
 * exclude subjects, so the default applies to them too. Such entries are reported at start.
 */
public final class TtlPolicy {

    /** A subject's own TTL; {@code subjectPath} is the subject as an endpoint path. */
    public record SubjectTtl(String subject, String subjectPath, long ttlSeconds) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(TtlPolicy.class);

    private final Duration defaultTtl;
    private final List<SubjectTtl> subjectTtls;

    private TtlPolicy(Duration defaultTtl, List<SubjectTtl> subjectTtls) {
        this.defaultTtl = defaultTtl;
        this.subjectTtls = List.copyOf(subjectTtls);
    }

    public static TtlPolicy parse(String defaultTtl, String subjectTtls) {
        Duration fallback = Durations.seconds("minitoolstream.cleaner.default-ttl", defaultTtl);
        Map<String, SubjectTtl> bySubject = new LinkedHashMap<>();
        if (subjectTtls != null) {
            for (String entry : subjectTtls.trim().split("\\s+")) {
                if (entry.isEmpty()) {
                    continue;
                }
                int split = entry.lastIndexOf('=');
                if (split <= 0) {
                    throw new IllegalArgumentException("invalid minitoolstream.cleaner.subject-ttls entry '" + entry
                                                       + "': expected subject=duration");
                }
                String subject = entry.substring(0, split);
                Duration ttl = Durations.seconds("TTL of subject " + subject, entry.substring(split + 1));
                if (ttl.compareTo(fallback) >= 0) {
                    LOG.warn("The TTL of subject {} ({}) is not shorter than the default TTL ({}) and has no effect:"
                             + " every subject is also cleaned with the default", subject, ttl, fallback);
                }
                if (bySubject.put(subject, new SubjectTtl(subject, SubjectPaths.of(subject), ttl.toSeconds()))
                        != null) {
                    throw new IllegalArgumentException("invalid minitoolstream.cleaner.subject-ttls: subject "
                                                       + subject + " is listed twice");
                }
            }
        }
        return new TtlPolicy(fallback, new ArrayList<>(bySubject.values()));
    }

    public Duration getDefaultTtl() {
        return defaultTtl;
    }

    /** The subject TTLs, for the cleaner route to split over. */
    public List<SubjectTtl> getSubjectTtls() {
        return subjectTtls;
    }
}
