package io.minitoolstream.camel.store;

/** The record an earlier publish with the same message id stored: its sequence and object name (null when inline). */
public record OriginalMessage(long sequence, String objectName) {
}
