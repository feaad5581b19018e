package io.minitoolstream.examples.grpc.auth;

/**
 * A bearer token that cannot be accepted. The message says why in words the client may see (it becomes the
 * {@code UNAUTHENTICATED} status description) and never contains the token or a key.
 */
public class TokenRejectedException extends Exception {

    private static final long serialVersionUID = 1L;

    public TokenRejectedException(String message) {
        super(message);
    }
}
