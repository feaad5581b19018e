package io.minitoolstream.examples.grpc.auth;

import java.util.Set;

/**
 * What a verified token lets its client do: {@code client_id}, {@code allowed_subjects} and {@code permissions}.
 * Holds no part of the token itself.
 */
public record Grant(String clientId, SubjectPatterns subjects, Set<Permission> permissions) {

    public Grant {
        permissions = Set.copyOf(permissions);
    }

    /** True when any of {@code needed} is granted. */
    public boolean hasAny(Set<Permission> needed) {
        return needed.stream().anyMatch(permissions::contains);
    }
}
