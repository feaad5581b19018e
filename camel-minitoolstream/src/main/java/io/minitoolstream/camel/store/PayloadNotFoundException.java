package io.minitoolstream.camel.store;

/** The payload object a record points to does not exist (deleted by hand or by a lifecycle rule). */
public class PayloadNotFoundException extends PayloadStoreException {

    private final String objectName;

    public PayloadNotFoundException(String bucket, String objectName, Throwable cause) {
        super("payload object '" + objectName + "' not found in bucket '" + bucket + "'", cause);
        this.objectName = objectName;
    }

    public String getObjectName() {
        return objectName;
    }
}
