package io.minitoolstream.devservices;

/** A local service could not be started, stopped or located. */
public class DevServicesException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DevServicesException(String message) {
        super(message);
    }

    public DevServicesException(String message, Throwable cause) {
        super(message, cause);
    }
}
