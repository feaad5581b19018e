package io.minitoolstream.camel.store;

import java.time.Instant;

/** A payload object as the object store lists it. */
public record StoredObject(String name, Instant lastModified, long size) {
}
