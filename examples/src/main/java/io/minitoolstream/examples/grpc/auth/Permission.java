package io.minitoolstream.examples.grpc.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a token's {@code permissions} claim may grant; each RPC needs one of them ({@link RpcAccessRules}). */
public enum Permission {
    PUBLISH,
    SUBSCRIBE,
    FETCH,
    ACK;

    /** The name used in the claim: lower case. */
    public String claimValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The permission a claim entry names; unknown entries are an error so a typo never passes silently. */
    public static Permission fromClaim(String value) {
        for (Permission permission : values()) {
            if (permission.claimValue().equals(value)) {
                return permission;
            }
        }
        throw new IllegalArgumentException("unknown permission '" + value + "' (known: " + known() + ")");
    }

    static String known() {
        return Arrays.stream(values()).map(Permission::claimValue).collect(Collectors.joining(", "));
    }
}
